import type { ScaleLinear } from "d3-scale";
import { svg, type TemplateResult } from "lit";
import type { Formatters } from "../format/formatters.js";

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
