import type { FieldType } from "@portico/protocol";
import { formatLocale } from "d3-format";
import {
  COMPACT_OPTIONS,
  DATE_OPTIONS,
  intlSeparatorSymbols,
  NUMBER_OPTIONS,
  PERCENT_OPTIONS,
} from "./intl-options.js";
import { type PlainNumberFormats, plainNumberFormats } from "./plain-number-formats.js";

/** Number and date formatting for one locale: Intl for defaults, d3-format for a measure's own specifier. */
export interface Formatters {
  locale: string;
  /** A measure value: its d3 specifier when given, else the locale's grouping with up to two decimals. */
  measure(value: number | null, specifier?: string): string;
  /** Axis ticks: short (`1.2K`, `1,2 Tsd.`). */
  tick(value: number): string;
  /** Percentages for pie labels. */
  percent(value: number): string;
  /** A dimension value as text: ISO dates become the locale's date. */
  dimension(text: string, type: FieldType): string;
  /**
   * Builds the formats a chart's first paint uses (values and ticks) now: the first Intl format of a page
   * loads ICU data for tens of ms, better spent while the page waits for its data than after it came.
   * Nothing to build for a locale of `plainNumberFormats`.
   */
  warm(): void;
}

const cache = new Map<string, Formatters>();

/** Built on first use: each Intl format loads ICU data, and a chart needs only some of them. */
function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => {
    value ??= make();
    return value;
  };
}

export function formatters(locale: string): Formatters {
  const cached = cache.get(locale);
  if (cached) return cached;
  // An unknown locale fails here, at once, not in the middle of a render.
  Intl.getCanonicalLocales(locale);
  // Intl's own output without loading ICU data on a first paint, for the locales it covers.
  const plain = plainNumberFormats(locale);
  const number = lazy(() => new Intl.NumberFormat(locale, NUMBER_OPTIONS));
  const formatNumber = (value: number) => plain?.number(value) ?? number().format(value);
  const compact = lazy(() => new Intl.NumberFormat(locale, COMPACT_OPTIONS));
  const percent = lazy(() => new Intl.NumberFormat(locale, PERCENT_OPTIONS));
  const date = lazy(() => new Intl.DateTimeFormat(locale, DATE_OPTIONS));
  const d3 = lazy(() => d3LocaleFor(locale, plain));
  const specifiers = new Map<string, (n: number) => string>();
  const f: Formatters = {
    locale,
    measure(value, specifier) {
      if (value === null || !Number.isFinite(value)) return "–";
      if (!specifier) return formatNumber(value);
      let fn = specifiers.get(specifier);
      if (!fn) {
        try {
          fn = d3().format(specifier);
        } catch {
          // A bad specifier in the app's configuration must not blank the chart: fall back to the locale.
          fn = formatNumber;
        }
        specifiers.set(specifier, fn);
      }
      return fn(value);
    },
    tick: (value) => plain?.compact(value) ?? compact().format(value),
    percent: (value) => plain?.percent(value) ?? percent().format(value),
    dimension(text, type) {
      if (type !== "date" || !/^\d{4}-\d{2}-\d{2}/.test(text)) return text;
      const parsed = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
      return Number.isNaN(parsed) ? text : date().format(parsed);
    },
    warm() {
      if (plain) return;
      number();
      compact();
    },
  };
  cache.set(locale, f);
  return f;
}

/** d3-format's locale definition for the visitor's locale, so `,.2f` groups and separates as they expect. */
function d3LocaleFor(locale: string, plain: PlainNumberFormats | undefined) {
  const { decimal, group, currency } = plain?.symbols ?? intlSeparatorSymbols(locale);
  return formatLocale({ decimal, thousands: group, grouping: [3], currency, minus: "−" });
}
