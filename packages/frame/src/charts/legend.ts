import { nothing, svg, type TemplateResult } from "lit";
import { fitText, type Series, seriesColor, textWidth } from "./chart-context.js";

export const LEGEND_HEIGHT = 16;

/** One row of swatches and labels; entries that do not fit are left out rather than overlapping. */
export function renderLegend(labels: string[], x: number, y: number, maxWidth: number): TemplateResult {
  let cursor = x;
  const items = labels.map((label, i) => {
    const text = fitText(label, 140, 11);
    const w = 14 + textWidth(text, 11) + 12;
    if (cursor + w > x + maxWidth) return nothing;
    const at = cursor;
    cursor += w;
    return svg`<g class="legend-item" transform="translate(${at},${y})">
      <rect width="10" height="10" y="1" rx="2" fill=${seriesColor(i)}></rect>
      <text class="legend-label" x="14" y="10">${text}</text>
    </g>`;
  });
  return svg`<g class="legend" aria-hidden="true">${items}</g>`;
}

/** The legend of a chart's series across the top of its plot, when there is more than one series. */
export function renderSeriesLegend(
  series: Series[],
  left: number,
  width: number,
): TemplateResult | typeof nothing {
  return series.length > 1
    ? renderLegend(
        series.map((s) => s.label),
        left,
        4,
        width,
      )
    : nothing;
}
