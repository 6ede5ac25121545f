import type { HypercubeResult, SelectionValue } from "@portico/protocol";
import { nothing, svg, type TemplateResult } from "lit";
import type { Formatters } from "../format/formatters.js";
import type { Translate } from "../i18n/strings.js";
import { type ChartKind, chartDescription, type DescribedMark } from "./chart-description.js";

/** A mark's tooltip: lines of text at a point inside the chart. */
export interface Tooltip {
  x: number;
  y: number;
  lines: string[];
}

/** Everything a chart template needs; charts are pure functions of it. */
export interface ChartContext {
  result: HypercubeResult;
  /** The object's title: the chart's accessible name (a generic one when empty). */
  title: string;
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

/** What every chart draws from: categories and series, the first dimension's field, category labels. */
export function chartData(ctx: ChartContext): {
  categories: Category[];
  series: Series[];
  field: string;
  labels: string[];
} {
  const { categories, series } = seriesOf(ctx.result);
  const dimension = ctx.result.dimensions[0];
  const labels = categories.map((c) =>
    c.others ? ctx.t("others") : ctx.fmt.dimension(c.text, dimension?.type ?? "text"),
  );
  return { categories, series, field: dimension?.field ?? "", labels };
}

const TYPE_NAMES: Record<ChartKind, string> = { bar: "Bar", line: "Line", pie: "Pie" };

/** The accessible name of a chart: its title, or what it plots when it has none. */
export function chartLabel(ctx: ChartContext, kind: ChartKind): string {
  return (
    ctx.title ||
    ctx.t("chartOf", {
      type: TYPE_NAMES[kind],
      measure: ctx.result.measures.map((m) => m.label).join(", "),
      dimension: ctx.result.dimensions.map((d) => d.label).join(", "),
    })
  );
}

/**
 * The chart's `<svg>`: sized to the context, a group named by its title and described in words (how many
 * marks, its extremes) for assistive technology.
 */
export function renderChartSvg(
  ctx: ChartContext,
  kind: ChartKind,
  marks: readonly DescribedMark[],
  content: unknown,
): TemplateResult {
  const label = chartLabel(ctx, kind);
  return svg`<svg class="chart" width=${ctx.width} height=${ctx.height} viewBox="0 0 ${ctx.width} ${ctx.height}"
      role="group" aria-label=${label} aria-describedby="chart-description">
      <title>${label}</title>
      <desc id="chart-description">${chartDescription(ctx.t, kind, label, marks)}</desc>
      ${content}
    </svg>`;
}

/** How a mark (bar, point, slice) of one category looks and answers the visitor. */
export interface Mark {
  /** `selectable`, `selected` and `dim`, as they apply, for the mark's class list. */
  classes: string;
  /** The mark's accessible name: `text` (category and value) and its selection state in words. */
  label(text: string): string;
  /** A selectable mark is a button; otherwise an image with a label. */
  role: "button" | "img";
  /** `aria-pressed` of a selectable mark (is its value selected?); none otherwise. */
  pressed: string | typeof nothing;
  /** Click: selects the category's value when the mark is selectable. */
  select(): void;
  /** Enter or Space select, like a button. */
  key(event: KeyboardEvent): void;
  /** Pointer enter and focus show the tooltip; leave and blur hide it. */
  show(): void;
  hide(): void;
}

export function markOf(ctx: ChartContext, field: string, category: Category, tip: Tooltip): Mark {
  const value = ctx.selectable && !category.others ? category.value : null;
  const selectable = value !== null;
  const selected = category.value !== null && ctx.selected.has(category.value);
  const dim = ctx.selected.size > 0 && category.value !== null && !selected;
  // Said as well as shown: a screen reader hears what is dimmed or outlined.
  const state = selected ? ctx.t("markSelected") : dim ? ctx.t("markExcluded") : "";
  return {
    classes: `${selectable ? "selectable" : ""} ${selected ? "selected" : ""} ${dim ? "dim" : ""}`,
    label: (text) => (state ? `${text}, ${state}` : text),
    role: selectable ? "button" : "img",
    pressed: value !== null ? String(ctx.selected.has(value)) : nothing,
    select: () => {
      if (value !== null) ctx.onSelect(field, value);
    },
    key: (event) => {
      if ((event.key === "Enter" || event.key === " ") && value !== null) {
        event.preventDefault();
        ctx.onSelect(field, value);
      }
    },
    show: () => ctx.onTooltip(tip),
    hide: () => ctx.onTooltip(undefined),
  };
}
