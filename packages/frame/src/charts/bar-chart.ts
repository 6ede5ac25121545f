import { scaleBand } from "d3-scale";
import { nothing, svg, type TemplateResult } from "lit";
import { layoutCategoryLabels, renderCategoryLabels } from "./category-labels.js";
import {
  type ChartContext,
  chartData,
  markOf,
  renderChartSvg,
  seriesColor,
  textWidth,
} from "./chart-context.js";
import type { DescribedMark } from "./chart-description.js";
import { renderSeriesLegend } from "./legend.js";
import { renderValueAxis, valueAxisLayout } from "./value-axis.js";

/** Vertical bars; several series are grouped. Category labels slant or shorten to show every one. */
export function renderBarChart(ctx: ChartContext): TemplateResult {
  const { result, fmt } = ctx;
  const { categories, series, field, labels } = chartData(ctx);
  // The band scale's step over the plot's width: with paddingInner 0.2 and paddingOuter 0.1 (as below),
  // the width over the number of categories.
  const slot = (innerW: number) => innerW / Math.max(1, categories.length);
  let axis = layoutCategoryLabels(labels, slot(ctx.width), ctx.height);
  const { y, ticks, top, left, innerW, innerH } = valueAxisLayout(ctx, series, 8, (w) => {
    axis = layoutCategoryLabels(labels, slot(w), ctx.height);
    return axis.heightPx;
  });
  const x = scaleBand<number>()
    .domain(categories.map((_, i) => i))
    .range([left, left + innerW])
    .paddingInner(0.2)
    .paddingOuter(0.1);
  const inner = scaleBand<number>()
    .domain(series.map((_, i) => i))
    .range([0, x.bandwidth()])
    .padding(series.length > 1 ? 0.06 : 0);
  const showValues = series.length === 1 && categories.length <= 40;
  const zero = y(0);
  const described: DescribedMark[] = [];

  const bars = categories.flatMap((category, ci) =>
    series.map((s, si) => {
      const value = s.values[ci];
      if (value === null || value === undefined) return nothing;
      const bx = (x(ci) ?? 0) + (inner(si) ?? 0);
      const bw = Math.max(1, inner.bandwidth());
      const by = Math.min(y(value), zero);
      const bh = Math.max(1, Math.abs(zero - y(value)));
      const label = fmt.measure(value, result.measures[series.length > 1 ? si : 0]?.format);
      const text = series.length > 1 ? `${labels[ci]}, ${s.label}: ${label}` : `${labels[ci]}: ${label}`;
      described.push({
        label: series.length > 1 ? `${labels[ci]}, ${s.label}` : (labels[ci] ?? ""),
        value,
        text: label,
      });
      const fitsLabel = showValues && textWidth(label, 10) <= x.bandwidth() + 4;
      // Above the bar when there is room, else just inside its top (the tallest bar reaches the top).
      const outside = value >= 0 ? by - 4 : by + bh + 11;
      const inside = value >= 0 ? by + 12 : by + bh - 4;
      const roomAbove = value >= 0 ? outside - 10 >= top - 8 : outside <= top + innerH + 8;
      const labelY = roomAbove ? outside : inside;
      const mark = markOf(ctx, field, category, {
        x: bx + bw / 2,
        y: by,
        lines: [labels[ci] ?? "", `${s.label}: ${label}`],
      });
      return svg`<rect
          class="mark ${mark.classes}"
          data-mark
          data-category=${labels[ci] ?? ""}
          x=${bx} y=${by} width=${bw} height=${bh} rx="2"
          fill=${seriesColor(si)}
          tabindex=${ci === 0 && si === 0 ? "0" : "-1"}
          role=${mark.role}
          aria-label=${mark.label(text)}
          aria-pressed=${mark.pressed}
          @click=${mark.select} @keydown=${mark.key}
          @pointerenter=${mark.show} @pointerleave=${mark.hide} @focus=${mark.show} @blur=${mark.hide}
        ></rect>${
          fitsLabel && (roomAbove || bh >= 16)
            ? svg`<text class="value-label ${roomAbove ? "" : "inside"}" x=${bx + bw / 2} y=${labelY}
                text-anchor="middle">${label}</text>`
            : nothing
        }`;
    }),
  );

  const categoryLabels = renderCategoryLabels(
    axis,
    labels,
    (ci) => (x(ci) ?? 0) + x.bandwidth() / 2,
    top + innerH,
  );

  return renderChartSvg(
    ctx,
    "bar",
    described,
    svg`${renderValueAxis(y, ticks, left, left + innerW, fmt)}
      ${bars}
      <line class="baseline" x1=${left} x2=${left + innerW} y1=${zero} y2=${zero}></line>
      ${categoryLabels}
      ${renderSeriesLegend(series, left, innerW)}`,
  );
}
