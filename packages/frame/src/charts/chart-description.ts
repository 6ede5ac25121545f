import type { Translate } from "../i18n/strings.js";

/** What a chart draws, for its description: one entry per mark, with its value as drawn and as read. */
export interface DescribedMark {
  /** The mark's category (and series, when a chart has several). */
  label: string;
  value: number;
  /** The value formatted as the chart shows it. */
  text: string;
}

export type ChartKind = "bar" | "line" | "pie";

const COUNT_KEYS = {
  bar: ["chartBar", "chartBars"],
  line: ["chartPoint", "chartPoints"],
  pie: ["chartSlice", "chartSlices"],
} as const;

/**
 * A chart in words, for a screen reader: its title, how many marks it draws and its extremes, e.g. "Spend
 * by department, 8 bars, highest Finance $11.2M, lowest Library $4.15M". The first of equal values counts,
 * as a reader scanning the chart in order would find it.
 */
export function chartDescription(
  t: Translate,
  kind: ChartKind,
  title: string,
  marks: readonly DescribedMark[],
): string {
  const parts = title ? [title] : [];
  parts.push(t(COUNT_KEYS[kind][marks.length === 1 ? 0 : 1], { count: marks.length }));
  if (marks.length > 1) {
    let high = marks[0] as DescribedMark;
    let low = high;
    for (const mark of marks) {
      if (mark.value > high.value) high = mark;
      if (mark.value < low.value) low = mark;
    }
    if (high.value !== low.value) {
      parts.push(t("chartHighest", { label: high.label, value: high.text }));
      parts.push(t("chartLowest", { label: low.label, value: low.text }));
    }
  }
  return parts.join(", ");
}
