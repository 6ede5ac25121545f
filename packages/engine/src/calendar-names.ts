/** Which calendar a field's names come from. */
export type CalendarKind = "month" | "weekday" | "quarter";

// English and German, full and abbreviated, as spreadsheets and the modelled hub's date functions write them
// (with and without the abbreviation's dot, and the short forms German data often uses: Mrz, Sept).
const MONTHS: readonly string[][] = [
  ["january", "jan", "januar", "jän", "jänner"],
  ["february", "feb", "februar"],
  ["march", "mar", "märz", "mär", "mrz", "maerz"],
  ["april", "apr"],
  ["may", "mai"],
  ["june", "jun", "juni"],
  ["july", "jul", "juli"],
  ["august", "aug"],
  ["september", "sep", "sept"],
  ["october", "oct", "oktober", "okt"],
  ["november", "nov"],
  ["december", "dec", "dezember", "dez"],
];

// Monday first, as ISO 8601 and both locales' calendars count.
const WEEKDAYS: readonly string[][] = [
  ["monday", "mon", "montag", "mo"],
  ["tuesday", "tue", "tues", "dienstag", "di"],
  ["wednesday", "wed", "mittwoch", "mi"],
  ["thursday", "thu", "thur", "thurs", "donnerstag", "do"],
  ["friday", "fri", "freitag", "fr"],
  ["saturday", "sat", "samstag", "sonnabend", "sa"],
  ["sunday", "sun", "sonntag", "so"],
];

// "Q1".."Q4" as fiscal reports and the modelled hub's QuarterName-style scripts write them, and spelled out.
const QUARTERS: readonly string[][] = [1, 2, 3, 4].map((q) => [
  `q${q}`,
  `quarter ${q}`,
  `qtr ${q}`,
  `quartal ${q}`,
  `${q}. quartal`,
  `${q}q`,
]);

const lookup = (lists: readonly string[][]) =>
  new Map(lists.flatMap((names, i) => names.map((name) => [name, i + 1] as const)));
const MONTH_NUMBER = lookup(MONTHS);
const WEEKDAY_NUMBER = lookup(WEEKDAYS);
const QUARTER_NUMBER = lookup(QUARTERS);
const NUMBERS: Record<CalendarKind, Map<string, number>> = {
  month: MONTH_NUMBER,
  weekday: WEEKDAY_NUMBER,
  quarter: QUARTER_NUMBER,
};

/**
 * The month (1-12), weekday (1 = Monday) or quarter (1-4) a name stands for, ignoring case, a trailing
 * dot and repeated spaces.
 */
export function calendarNumber(text: string, kind: CalendarKind): number | undefined {
  const key = text.trim().toLowerCase().replace(/\.$/, "").replace(/\s+/g, " ");
  return NUMBERS[kind].get(key);
}

/**
 * The calendar position of every text when all of them are month names, all weekday names or all quarter
 * names (one kind for the whole field, so "Mar" and "Mo" never mix); undefined otherwise. Empty texts
 * (nulls) get NaN.
 */
export function calendarNumbers(texts: readonly string[]): Float64Array | undefined {
  for (const kind of ["month", "weekday", "quarter"] as const) {
    const out = new Float64Array(texts.length);
    let named = 0;
    let all = true;
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i]!;
      if (text === "") {
        out[i] = Number.NaN;
        continue;
      }
      const n = calendarNumber(text, kind);
      if (n === undefined) {
        all = false;
        break;
      }
      out[i] = n;
      named++;
    }
    if (all && named > 0) return out;
  }
  return undefined;
}
