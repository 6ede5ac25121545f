import type { HypercubeResult, SelectionValue } from "@portico/protocol";
import type { Formatters } from "../format/formatters.js";
import type { Translate } from "../i18n/strings.js";

/** A mark's tooltip: lines of text at a point inside the chart. */
export interface Tooltip {
  x: number;
  y: number;
  lines: string[];
}

/** Everything a chart template needs; charts are pure functions of it. */
export interface ChartContext {
  result: HypercubeResult;
  width: number;
  height: number;
  fmt: Formatters;
  t: Translate;
  /** False under `nointeraction` / `noselections`: marks are not clickable. */
  selectable: boolean;
  /** Selected values of the first dimension's field. */
  selected: ReadonlySet<SelectionValue>;
  onSelect(field: string, value: SelectionValue): void;
  onTooltip(tooltip: Tooltip | undefined): void;
}

/** One series of a chart: a colour and one value per category. */
export interface Series {
  label: string;
  values: Array<number | null>;
}

export interface Category {
  text: string;
  value: SelectionValue | null;
  others: boolean;
}

/**
 * Categories (first dimension) and series: several measures make several series; with two dimensions and
 * one measure, the second dimension's values do.
 */
export function seriesOf(result: HypercubeResult): { categories: Category[]; series: Series[] } {
  const categories: Category[] = [];
  const index = new Map<string, number>();
  const categoryIndex = (text: string, value: SelectionValue | null, others: boolean) => {
    const key = `${others ? "*" : ""}${text}`;
    let i = index.get(key);
    if (i === undefined) {
      i = categories.length;
      index.set(key, i);
      categories.push({ text, value, others });
    }
    return i;
  };
  if (result.dimensions.length >= 2 && result.measures.length === 1) {
    const byLabel = new Map<string, Series>();
    const series: Series[] = [];
    const cells: Array<[number, string, number | null]> = [];
    for (const row of result.rows) {
      const [first, second] = row.dimensions;
      if (!first || !second) continue;
      const c = categoryIndex(first.text, first.value, Boolean(row.others));
      cells.push([c, second.text, row.measures[0] ?? null]);
      if (!byLabel.has(second.text)) {
        const s = { label: second.text, values: [] };
        byLabel.set(second.text, s);
        series.push(s);
      }
    }
    for (const s of series) s.values = categories.map(() => null);
    for (const [c, label, value] of cells) {
      const s = byLabel.get(label);
      if (s) s.values[c] = value;
    }
    return { categories, series };
  }
  for (const row of result.rows) {
    const first = row.dimensions[0];
    categoryIndex(first?.text ?? "", first?.value ?? null, Boolean(row.others));
  }
  const series = result.measures.map((m, mi) => ({
    label: m.label,
    values: result.rows.map((r) => r.measures[mi] ?? null),
  }));
  return { categories, series };
}

/** Eight series colours; themes override them through `--portico-series-N`. */
export function seriesColor(i: number): string {
  return `var(--portico-series-${(i % 8) + 1})`;
}

/** A rough text width (px) at 12px system UI font, enough to decide whether labels fit. */
export function textWidth(text: string, fontPx = 12): number {
  return text.length * fontPx * 0.58;
}

/** Shortens text to fit `maxPx`, with an ellipsis. */
export function fitText(text: string, maxPx: number, fontPx = 12): string {
  if (textWidth(text, fontPx) <= maxPx) return text;
  const chars = Math.max(1, Math.floor(maxPx / (fontPx * 0.58)) - 1);
  return `${text.slice(0, chars)}…`;
}

/** The accessible name of a chart. */
export function chartLabel(ctx: ChartContext, type: string): string {
  return ctx.t("chartOf", {
    type,
    measure: ctx.result.measures.map((m) => m.label).join(", "),
    dimension: ctx.result.dimensions.map((d) => d.label).join(", "),
  });
}

/** Keyboard activation of a mark: Enter or Space select, like a button. */
export function onMarkKey(ctx: ChartContext, field: string, value: SelectionValue | null) {
  return (event: KeyboardEvent) => {
    if ((event.key === "Enter" || event.key === " ") && value !== null && ctx.selectable) {
      event.preventDefault();
      ctx.onSelect(field, value);
    }
  };
}
