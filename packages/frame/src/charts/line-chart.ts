import { scalePoint } from "d3-scale";
import { line } from "d3-shape";
import { nothing, svg, type TemplateResult } from "lit";
import {
  type ChartContext,
  chartData,
  fitText,
  labelStep,
  markOf,
  renderChartSvg,
  seriesColor,
} from "./chart-context.js";
import { renderSeriesLegend } from "./legend.js";
import { renderValueAxis, valueAxisLayout } from "./value-axis.js";

/** Lines over the first dimension (in the order the engine returns it); points select their category. */
export function renderLineChart(ctx: ChartContext): TemplateResult {
  const { result, fmt } = ctx;
  const { categories, series, field, labels } = chartData(ctx);
  const { y, ticks, top, left, innerW, innerH } = valueAxisLayout(ctx, series, 12);
  const x = scalePoint<number>()
    .domain(categories.map((_, i) => i))
    .range([left + 6, left + innerW - 6]);
  const step = labelStep(labels, x.step(), 8);
  const showPoints = x.step() >= 6;

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
            data-mark cx=${cx} cy=${cy} r="4" fill=${seriesColor(si)}
            tabindex=${ci === 0 && si === 0 ? "0" : "-1"}
            role=${mark.role}
            aria-label=${`${labels[ci]}, ${s.label}: ${label}`}
            aria-pressed=${mark.pressed}
            @click=${mark.select} @keydown=${mark.key}
            @pointerenter=${mark.show} @pointerleave=${mark.hide} @focus=${mark.show} @blur=${mark.hide}></circle>`;
        }),
      )
    : nothing;

  const categoryLabels = categories.map((_, ci) =>
    ci % step === 0
      ? svg`<text class="axis-label" x=${x(ci) ?? 0} y=${top + innerH + 15} text-anchor="middle"
          >${fitText(labels[ci] ?? "", x.step() * step - 6, 11)}</text>`
      : nothing,
  );

  return renderChartSvg(
    ctx,
    "Line",
    svg`${renderValueAxis(y, ticks, left, left + innerW, fmt)}
      ${paths}${points}${categoryLabels}
      ${renderSeriesLegend(series, left, innerW)}`,
  );
}
