import { scalePoint } from "d3-scale";
import { line } from "d3-shape";
import { nothing, svg, type TemplateResult } from "lit";
import { layoutCategoryLabels, renderCategoryLabels } from "./category-labels.js";
import { type ChartContext, chartData, markOf, renderChartSvg, seriesColor } from "./chart-context.js";
import type { DescribedMark } from "./chart-description.js";
import { renderSeriesLegend } from "./legend.js";
import { renderValueAxis, valueAxisLayout } from "./value-axis.js";

/** Lines over the first dimension (in the order the engine returns it); points select their category. */
export function renderLineChart(ctx: ChartContext): TemplateResult {
  const { result, fmt } = ctx;
  const { categories, series, field, labels } = chartData(ctx);
  // The point scale's step over the plot's width (6 px in from each side, as below).
  const slot = (innerW: number) => (innerW - 12) / Math.max(1, categories.length - 1);
  let axis = layoutCategoryLabels(labels, slot(ctx.width), ctx.height);
  const { y, ticks, top, left, innerW, innerH } = valueAxisLayout(ctx, series, 12, (w) => {
    axis = layoutCategoryLabels(labels, slot(w), ctx.height);
    return axis.heightPx;
  });
  const x = scalePoint<number>()
    .domain(categories.map((_, i) => i))
    .range([left + 6, left + innerW - 6]);
  const showPoints = x.step() >= 6;
  const described: DescribedMark[] = series.flatMap((s, si) =>
    s.values.flatMap((value, ci) =>
      value === null
        ? []
        : [
            {
              label: series.length > 1 ? `${labels[ci]}, ${s.label}` : (labels[ci] ?? ""),
              value,
              text: fmt.measure(value, result.measures[series.length > 1 ? si : 0]?.format),
            },
          ],
    ),
  );

  const paths = series.map((s, si) => {
    const d = line<number | null>()
      .defined((v) => v !== null)
      .x((_, i) => x(i) ?? 0)
      .y((v) => y(v ?? 0))(s.values);
    return svg`<path class="line" d=${d ?? ""} stroke=${seriesColor(si)}></path>`;
  });

  const points = showPoints
    ? series.flatMap((s, si) =>
        s.values.map((value, ci) => {
          const category = categories[ci];
          if (value === null || !category) return nothing;
          const cx = x(ci) ?? 0;
          const cy = y(value);
          const label = fmt.measure(value, result.measures[series.length > 1 ? si : 0]?.format);
          const mark = markOf(ctx, field, category, {
            x: cx,
            y: cy,
            lines: [labels[ci] ?? "", `${s.label}: ${label}`],
          });
          return svg`<circle class="mark point ${mark.classes}"
            data-mark data-category=${labels[ci] ?? ""} cx=${cx} cy=${cy} r="4" fill=${seriesColor(si)}
            tabindex=${ci === 0 && si === 0 ? "0" : "-1"}
            role=${mark.role}
            aria-label=${mark.label(`${labels[ci]}, ${s.label}: ${label}`)}
            aria-pressed=${mark.pressed}
            @click=${mark.select} @keydown=${mark.key}
            @pointerenter=${mark.show} @pointerleave=${mark.hide} @focus=${mark.show} @blur=${mark.hide}></circle>`;
        }),
      )
    : nothing;

  const categoryLabels = renderCategoryLabels(axis, labels, (ci) => x(ci) ?? 0, top + innerH);

  return renderChartSvg(
    ctx,
    "line",
    described,
    svg`${renderValueAxis(y, ticks, left, left + innerW, fmt)}
      ${paths}${points}${categoryLabels}
      ${renderSeriesLegend(series, left, innerW)}`,
  );
}
