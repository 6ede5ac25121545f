import type { SeparatorSymbols } from "./intl-options.js";

/**
 * The frame's three default number formats (`NUMBER_OPTIONS`, `COMPACT_OPTIONS`, `PERCENT_OPTIONS` in
 * intl-options.ts) for a few locales, computed without Intl.
 *
 * Why: the first Intl number format of a renderer loads ICU data, tens of milliseconds of main thread on a
 * fresh page, and a cold load's first chart would wait for it. For the locales below the output is Intl's
 * own, character for character: plain-number-formats.test.ts compares the two over thousands of values in
 * Node, and test-browser/plain-number-formats.test.ts over a thousand more in the system Chromium. Every other locale uses
 * Intl, and so does what these do not cover (non-finite values, compact numbers of 10^15 and more): a
 * function answers `undefined` and the caller falls back. The same holds for the separators d3-format is given for a
 * measure's own specifier (`symbols`): Intl's, without asking Intl.
 */
export interface PlainNumberFormats {
  /** The locale's separators and currency placement (for d3-format), as `intlSeparatorSymbols` gives them. */
  symbols: SeparatorSymbols;
  /** `{ maximumFractionDigits: 2 }` */
  number(value: number): string | undefined;
  /** `{ notation: "compact", maximumFractionDigits: 1 }` */
  compact(value: number): string | undefined;
  /** `{ style: "percent", maximumFractionDigits: 1 }` */
  percent(value: number): string | undefined;
}

/** A locale's number symbols (CLDR), as Intl formats them. */
interface NumberSymbols extends SeparatorSymbols {
  /** What follows a percentage (with its spacing). */
  percent: string;
  /** Compact short forms by power of ten, ascending; below the first one a number is not compacted. */
  compact: ReadonlyArray<readonly [exponent: number, suffix: string]>;
}

const NBSP = "\u00a0";
const EN: NumberSymbols = {
  decimal: ".",
  group: ",",
  currency: ["$", ""],
  percent: "%",
  compact: [
    [3, "K"],
    [6, "M"],
    [9, "B"],
    [12, "T"],
  ],
};
const EN_GB: NumberSymbols = {
  ...EN,
  currency: ["£", ""],
  compact: [
    [3, "k"],
    [6, "m"],
    [9, "bn"],
    [12, "tn"],
  ],
};
const DE: NumberSymbols = {
  decimal: ",",
  group: ".",
  currency: ["", `${NBSP}€`],
  percent: `${NBSP}%`,
  // German has no short form for thousands: 12.345, then 1,2 Mio.
  compact: [
    [6, `${NBSP}Mio.`],
    [9, `${NBSP}Mrd.`],
    [12, `${NBSP}Bio.`],
  ],
};

/** Keyed by the lower-cased tag. Only tags whose output the test has compared with Intl. */
const SYMBOLS: Record<string, NumberSymbols> = { en: EN, "en-us": EN, "en-gb": EN_GB, de: DE, "de-de": DE };

/** From here on compact numbers keep the largest suffix and grow digits ("1000T"): left to Intl. */
const COMPACT_LIMIT_EXPONENT = 15;

/** A non-negative decimal: `digits` with the decimal point after `point` of them (0 <= point <= length). */
interface Decimal {
  digits: string;
  point: number;
}

/**
 * The shortest decimal that reads back as `abs` (JavaScript's `String(n)`), which is what ICU formats: so
 * 1.005 rounds to 1.01 as in Intl, not to 1.00 as `toFixed` does from the binary value.
 */
function decimalOf(abs: number, shift: number): Decimal {
  const [mantissa = "0", exponent = "0"] = String(abs).split("e");
  const [whole = "0", fraction = ""] = mantissa.split(".");
  let digits = whole + fraction;
  let point = whole.length + Number(exponent) + shift;
  if (point < 0) {
    digits = "0".repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits = digits.padEnd(point, "0");
  return { digits, point };
}

/** Rounds half away from zero (Intl's default `halfExpand`) to at most `fractionDigits` decimals. */
function roundDecimal({ digits, point }: Decimal, fractionDigits: number): Decimal {
  const keep = point + fractionDigits;
  if (digits.length <= keep) return { digits, point };
  const up = digits.charCodeAt(keep) >= 53; // "5" or more
  const kept = digits.slice(0, keep).split("");
  if (up) {
    let i = kept.length - 1;
    while (i >= 0 && kept[i] === "9") kept[i--] = "0";
    if (i >= 0) kept[i] = String(Number(kept[i]) + 1);
    else {
      kept.unshift("1");
      return { digits: kept.join(""), point: point + 1 };
    }
  }
  return { digits: kept.join(""), point };
}

/** The power of ten of the leading digit; -Infinity for zero. */
function magnitudeOf({ digits, point }: Decimal): number {
  const first = digits.search(/[1-9]/);
  return first < 0 ? Number.NEGATIVE_INFINITY : point - first - 1;
}

function render({ digits, point }: Decimal, symbols: NumberSymbols, minimumGroupingDigits: number): string {
  const whole = digits.slice(0, point).replace(/^0+/, "") || "0";
  const fraction = digits.slice(point).replace(/0+$/, "");
  let grouped = whole;
  if (whole.length >= 3 + minimumGroupingDigits) {
    const head = whole.length % 3 || 3;
    const groups = [whole.slice(0, head)];
    for (let i = head; i < whole.length; i += 3) groups.push(whole.slice(i, i + 3));
    grouped = groups.join(symbols.group);
  }
  return fraction ? `${grouped}${symbols.decimal}${fraction}` : grouped;
}

/** Intl writes the sign of negative numbers and of negative zero, also when they round to 0. */
function signOf(value: number): string {
  return value < 0 || Object.is(value, -0) ? "-" : "";
}

function compactExponent(symbols: NumberSymbols, magnitude: number): number {
  let exponent = 0;
  for (const [e] of symbols.compact) if (e <= magnitude) exponent = e;
  return exponent;
}

function formatsFor(symbols: NumberSymbols): PlainNumberFormats {
  const suffixOf = new Map(symbols.compact);
  return {
    symbols: { decimal: symbols.decimal, group: symbols.group, currency: symbols.currency },
    number(value) {
      if (!Number.isFinite(value)) return undefined;
      return signOf(value) + render(roundDecimal(decimalOf(Math.abs(value), 0), 2), symbols, 1);
    },
    percent(value) {
      if (!Number.isFinite(value)) return undefined;
      // Scaled by 100 in decimal, as ICU does, not by a float multiplication.
      const rounded = roundDecimal(decimalOf(Math.abs(value), 2), 1);
      return `${signOf(value)}${render(rounded, symbols, 1)}${symbols.percent}`;
    },
    compact(value) {
      if (!Number.isFinite(value)) return undefined;
      const abs = Math.abs(value);
      let exponent = compactExponent(symbols, magnitudeOf(decimalOf(abs, 0)));
      let rounded = roundDecimal(decimalOf(abs, -exponent), 1);
      // 999.95K rounds to 1000.0K: ICU then picks the form of the rounded magnitude (1M) and rounds again.
      const bumped = compactExponent(symbols, magnitudeOf(rounded) + exponent);
      if (bumped !== exponent) {
        exponent = bumped;
        rounded = roundDecimal(decimalOf(abs, -exponent), 1);
      }
      if (magnitudeOf(rounded) + exponent >= COMPACT_LIMIT_EXPONENT) return undefined;
      // Compact numbers group only from five integer digits on (12.345 but 1000), in both languages.
      return `${signOf(value)}${render(rounded, symbols, 2)}${suffixOf.get(exponent) ?? ""}`;
    },
  };
}

/** The plain formats of `locale`, or `undefined` when its output has not been compared with Intl's. */
export function plainNumberFormats(locale: string): PlainNumberFormats | undefined {
  const symbols = SYMBOLS[locale.toLowerCase()];
  return symbols ? formatsFor(symbols) : undefined;
}
