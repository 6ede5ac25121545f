/**
 * The Intl formats the frame uses, in one place: `formatters()` builds them on the main thread and the
 * warm-up worker builds the same ones beforehand, so ICU has their data loaded when the page needs it.
 */
export const NUMBER_OPTIONS: Intl.NumberFormatOptions = { maximumFractionDigits: 2 };
export const COMPACT_OPTIONS: Intl.NumberFormatOptions = { notation: "compact", maximumFractionDigits: 1 };
export const PERCENT_OPTIONS: Intl.NumberFormatOptions = { style: "percent", maximumFractionDigits: 1 };
export const DATE_OPTIONS: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeZone: "UTC" };

const REGION_CURRENCY: Record<string, string> = { US: "USD", GB: "GBP", CH: "CHF", JP: "JPY", CA: "CAD" };

/** The `$` in a d3 specifier means "the visitor's currency": guessed from the locale's region. */
export function currencyFor(locale: string): string {
  const parsed = new Intl.Locale(locale);
  const region = parsed.maximize().region ?? "US";
  return REGION_CURRENCY[region] ?? (parsed.language === "en" ? "USD" : "EUR");
}

/** Builds and uses every format of a locale once (what the worker does; the results are thrown away). */
export function exerciseIntl(locale: string): void {
  new Intl.NumberFormat(locale, NUMBER_OPTIONS).formatToParts(1234567.5);
  new Intl.NumberFormat(locale, COMPACT_OPTIONS).format(12345);
  new Intl.NumberFormat(locale, PERCENT_OPTIONS).format(0.5);
  new Intl.NumberFormat(locale, { style: "currency", currency: currencyFor(locale) }).formatToParts(1);
  new Intl.DateTimeFormat(locale, DATE_OPTIONS).format(0);
}
