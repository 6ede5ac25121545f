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

/** What d3-format needs of a locale besides grouping by three: its separators and currency placement. */
export interface SeparatorSymbols {
  decimal: string;
  group: string;
  /** Before and after the amount: `["$", ""]`, `["", "\u00a0€"]`. */
  currency: [string, string];
}

/** A locale's separators and currency as Intl formats them (loads ICU data on a page's first use). */
export function intlSeparatorSymbols(locale: string): SeparatorSymbols {
  const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
  const group = parts.find((p) => p.type === "group")?.value ?? ",";
  const decimal = parts.find((p) => p.type === "decimal")?.value ?? ".";
  const currencyParts = new Intl.NumberFormat(locale, {
    style: "currency",
    currency: currencyFor(locale),
  }).formatToParts(1);
  const symbol = currencyParts.find((p) => p.type === "currency")?.value ?? "$";
  const symbolFirst = currencyParts.findIndex((p) => p.type === "currency") === 0;
  return { decimal, group, currency: symbolFirst ? [symbol, ""] : ["", `\u00a0${symbol}`] };
}
