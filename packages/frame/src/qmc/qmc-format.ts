/** Dates and numbers as the console's locale writes them (its `t.locale`), one Intl formatter per locale. */
const dateTimes = new Map<string, Intl.DateTimeFormat>();
const numbers = new Map<string, Intl.NumberFormat>();

/** A time the server sent (ISO 8601) in the locale's date and time; text that is not a time, as it came. */
export function formatTime(locale: string, iso: unknown): string {
  if (typeof iso !== "string" || iso === "") return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  let format = dateTimes.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "medium" });
    dateTimes.set(locale, format);
  }
  return format.format(date);
}

/** A count or amount in the locale's digits and grouping; anything else as text (`undefined`: 0). */
export function formatNumber(locale: string, value: unknown): string {
  const n = typeof value === "number" ? value : Number(value ?? 0);
  if (!Number.isFinite(n)) return String(value);
  let format = numbers.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    numbers.set(locale, format);
  }
  return format.format(n);
}
