/** The Intl formats the frame uses, in one place (`formatters()` builds them on first use). */
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
