import { type ScaleLinear, scaleLinear } from "d3-scale";
import { svg, type TemplateResult } from "lit";
import type { Formatters } from "../format/formatters.js";
import { type ChartContext, type Series, textWidth } from "./chart-context.js";
import { LEGEND_HEIGHT } from "./legend.js";

/** The plot box of a chart with a value axis on the left and category labels below. */
export interface ValueAxisLayout {
  /** Values (0 included) to pixels, top to bottom. */
  y: ScaleLinear<number, number>;
  ticks: number[];
  top: number;
  /** Room for the widest tick label. */
  left: number;
  innerW: number;
  innerH: number;
}

/**
 * Lays out bar and line charts: a legend row on top for several series, a tick about every 36 px, and
 * below the plot the room its category labels ask for once the plot's width is known.
 */
export function valueAxisLayout(
  ctx: ChartContext,
  series: Series[],
  rightPx: number,
  labelsHeight: (innerW: number) => number,
): ValueAxisLayout {
  const { width, height, fmt } = ctx;
  const all = series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const top = series.length > 1 ? LEGEND_HEIGHT + 8 : 12;
  const y = scaleLinear()
    .domain([Math.min(0, ...all), Math.max(0, ...all)])
    .nice();
  const ticks = y.ticks(Math.max(2, Math.floor((height - top - 28) / 36)));
  const left = Math.max(28, ...ticks.map((tk) => textWidth(fmt.tick(tk), 11) + 10));
  const innerW = Math.max(10, width - left - rightPx);
  const innerH = Math.max(10, height - top - labelsHeight(innerW));
  y.range([top + innerH, top]);
  return { y, ticks, top, left, innerW, innerH };
}

/** Horizontal grid lines with short tick labels on the left. */
export function renderValueAxis(
  y: ScaleLinear<number, number>,
  ticks: number[],
  x1: number,
  x2: number,
  fmt: Formatters,
): TemplateResult {
  return svg`<g class="axis" aria-hidden="true">${ticks.map(
    (tk) => svg`<line class="grid" x1=${x1} x2=${x2} y1=${y(tk)} y2=${y(tk)}></line>
      <text class="axis-label" x=${x1 - 6} y=${y(tk) + 4} text-anchor="end">${fmt.tick(tk)}</text>`,
  )}</g>`;
}
