import type { FieldType } from "@portico/protocol";

/** A raw cell as read from a source: CSV gives strings, JSON may also give numbers. `null` is an empty cell. */
export type RawValue = string | number | null;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** The number a raw value stands for, or `undefined` when it is not a plain decimal number. */
export function parseNumber(raw: string | number): number | undefined {
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : undefined;
  const text = raw.trim();
  if (!isPlainDecimal(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;

/**
 * `[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?`, scanned by hand (a load checks every distinct value of every
 * field, and a regular expression costs several times this), and without a leading zero before another
 * digit: leading zeros carry meaning in codes (postal codes, ids), so "007" stays text while "0.7" and
 * "0" are numbers.
 */
function isPlainDecimal(text: string): boolean {
  const n = text.length;
  let i = 0;
  if (isSign(text.charCodeAt(0))) i++;
  const intStart = i;
  i = digitsEnd(text, i);
  const intDigits = i - intStart;
  if (intDigits > 1 && text.charCodeAt(intStart) === ZERO) return false;
  let fracDigits = 0;
  if (i < n && text.charCodeAt(i) === DOT) {
    const fracStart = ++i;
    i = digitsEnd(text, i);
    fracDigits = i - fracStart;
  }
  if (intDigits === 0 && fracDigits === 0) return false;
  const e = text.charCodeAt(i); // NaN past the end
  if (e === 101 || e === 69) {
    i++;
    if (isSign(text.charCodeAt(i))) i++;
    const expStart = i;
    i = digitsEnd(text, i);
    if (i === expStart) return false;
  }
  return i === n;
}

function isSign(code: number): boolean {
  return code === PLUS || code === MINUS;
}

/** Where the run of ASCII digits starting at `i` ends. */
function digitsEnd(text: string, i: number): number {
  let at = i;
  for (let c = text.charCodeAt(at); c >= ZERO && c <= NINE; c = text.charCodeAt(++at));
  return at;
}

/** Days since 1970-01-01 for a valid ISO calendar date `YYYY-MM-DD`, else `undefined`. */
export function parseDate(raw: string | number): number | undefined {
  if (typeof raw !== "string") return undefined;
  const match = DATE_RE.exec(raw.trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    return undefined;
  }
  return ms / MS_PER_DAY;
}

/** `YYYY-MM-DD` for a day number. */
export function formatDate(days: number): string {
  return new Date(days * MS_PER_DAY).toISOString().slice(0, 10);
}

/**
 * The type of a field from its distinct non-empty values: number when every value is a number, date when
 * every value is an ISO date, text otherwise (and for a field with no values at all).
 */
export function inferType(values: Iterable<RawValue>): FieldType {
  let number = true;
  let date = true;
  let any = false;
  for (const value of values) {
    if (value === null) continue;
    any = true;
    if (number && parseNumber(value) === undefined) number = false;
    if (date && parseDate(value) === undefined) date = false;
    if (!number && !date) return "text";
  }
  if (!any) return "text";
  return number ? "number" : date ? "date" : "text";
}
