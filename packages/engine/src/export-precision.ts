// d3-format's specifier grammar: [[fill]align][sign][symbol][0][width][,][.precision][~][type]
const SPECIFIER = /^(?:(.)?([<>=^]))?([+\-( ])?([$#])?(0)?(\d+)?(,)?(\.\d+)?(~)?([a-z%])?$/i;

/** Decimals a measure without a format is shown with (the frame's default), and so exported with. */
export const DEFAULT_EXPORT_DECIMALS = 2;
/** Below one hundredth, a value keeps this many significant digits instead of rounding to zero. */
const SMALL_VALUE_DIGITS = 3;

/**
 * The decimals a measure's d3 format shows, when it fixes them: `f` its precision (6 when absent, as d3),
 * `%` two more, `d` none. Formats in significant digits (`s`, `g`, `r`, `e`) are compact display, not the
 * data's precision: undefined, like no format.
 */
export function formatDecimals(format: string | undefined): number | undefined {
  const match = format === undefined ? null : SPECIFIER.exec(format);
  if (!match) return undefined;
  const precision = match[8] === undefined ? undefined : Number(match[8].slice(1));
  switch (match[10]) {
    case "f":
      return precision ?? 6;
    case "%":
      return (precision ?? 6) + 2;
    case "d":
      return 0;
    default:
      return undefined;
  }
}

/**
 * A measure value as an export writes it: at its format's decimals, else at the frame's default, so a CSV
 * carries what the visitor saw instead of binary floating point's tail (`81.9666666666667`).
 */
export function exportNumber(value: number, format?: string): number {
  if (!Number.isFinite(value)) return value;
  const decimals = formatDecimals(format);
  if (decimals === undefined && value !== 0 && Math.abs(value) < 10 ** -DEFAULT_EXPORT_DECIMALS)
    return Number(value.toPrecision(SMALL_VALUE_DIGITS));
  const rounded = Number(value.toFixed(Math.min(20, decimals ?? DEFAULT_EXPORT_DECIMALS)));
  return Object.is(rounded, -0) ? 0 : rounded;
}
