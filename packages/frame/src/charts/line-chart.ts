import { scaleLinear, scalePoint } from "d3-scale";
import { line } from "d3-shape";
import { nothing, svg, type TemplateResult } from "lit";
import {
  type ChartContext,
  chartLabel,
  fitText,
  onMarkKey,
  seriesColor,
  seriesOf,
  textWidth,
} from "./chart-context.js";
import { LEGEND_HEIGHT, renderLegend } from "./legend.js";
import { renderValueAxis } from "./value-axis.js";

/** Lines over the first dimension (in the order the engine returns it); points select their category. */
export function renderLineChart(ctx: ChartContext): TemplateResult {
  const { result, width, height, fmt } = ctx;
  const { categories, series } = seriesOf(result);
  const field = result.dimensions[0]?.field ?? "";
  const dimType = result.dimensions[0]?.type ?? "text";
  const all = series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const top = series.length > 1 ? LEGEND_HEIGHT + 8 : 12;
  const y = scaleLinear()
    .domain([Math.min(0, ...all), Math.max(0, ...all)])
    .nice();
  const ticks = y.ticks(Math.max(2, Math.floor((height - top - 28) / 36)));
  const left = Math.max(28, ...ticks.map((tk) => textWidth(fmt.tick(tk), 11) + 10));
  const innerW = Math.max(10, width - left - 12);
  const innerH = Math.max(10, height - top - 22);
  y.range([top + innerH, top]);
  const x = scalePoint<number>()
    .domain(categories.map((_, i) => i))
    .range([left + 6, left + innerW - 6]);
  const labels = categories.map((c) => (c.others ? ctx.t("others") : fmt.dimension(c.text, dimType)));
  const widest = Math.max(0, ...labels.map((l) => textWidth(l, 11)));
  const step = Math.max(1, Math.ceil((Math.min(widest, 120) + 8) / Math.max(1, x.step())));
  const showPoints = x.step() >= 6;
  const hasSelection = ctx.selected.size > 0;

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
          const selectable = ctx.selectable && category.value !== null && !category.others;
          const dim = hasSelection && category.value !== null && !ctx.selected.has(category.value);
          const tip = { x: cx, y: cy, lines: [labels[ci] ?? "", `${s.label}: ${label}`] };
          return svg`<circle class="mark point ${selectable ? "selectable" : ""} ${dim ? "dim" : ""}"
            data-mark cx=${cx} cy=${cy} r="4" fill=${seriesColor(si)}
            tabindex=${ci === 0 && si === 0 ? "0" : "-1"}
            role=${selectable ? "button" : "img"}
            aria-label=${`${labels[ci]}, ${s.label}: ${label}`}
            aria-pressed=${selectable ? String(ctx.selected.has(category.value as string | number)) : nothing}
            @click=${() => selectable && ctx.onSelect(field, category.value as string | number)}
            @keydown=${onMarkKey(ctx, field, selectable ? category.value : null)}
            @pointerenter=${() => ctx.onTooltip(tip)}
            @pointerleave=${() => ctx.onTooltip(undefined)}
            @focus=${() => ctx.onTooltip(tip)}
            @blur=${() => ctx.onTooltip(undefined)}></circle>`;
        }),
      )
    : nothing;

  const categoryLabels = categories.map((_, ci) =>
    ci % step === 0
      ? svg`<text class="axis-label" x=${x(ci) ?? 0} y=${top + innerH + 15} text-anchor="middle"
          >${fitText(labels[ci] ?? "", x.step() * step - 6, 11)}</text>`
      : nothing,
  );

  return svg`<svg class="chart" width=${width} height=${height} viewBox="0 0 ${width} ${height}"
      role="group" aria-label=${chartLabel(ctx, "Line")}>
      <title>${chartLabel(ctx, "Line")}</title>
      ${renderValueAxis(y, ticks, left, left + innerW, fmt)}
      ${paths}${points}${categoryLabels}
      ${
        series.length > 1
          ? renderLegend(
              series.map((s) => s.label),
              left,
              4,
              innerW,
            )
          : nothing
      }
    </svg>`;
}
