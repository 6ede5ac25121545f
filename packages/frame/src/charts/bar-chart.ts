import { scaleBand, scaleLinear } from "d3-scale";
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

/** Vertical bars; several series are grouped. Category labels thin out instead of colliding. */
export function renderBarChart(ctx: ChartContext): TemplateResult {
  const { result, width, height, fmt } = ctx;
  const { categories, series } = seriesOf(result);
  const field = result.dimensions[0]?.field ?? "";
  const dimType = result.dimensions[0]?.type ?? "text";
  const all = series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const top = series.length > 1 ? LEGEND_HEIGHT + 8 : 12;
  const y = scaleLinear()
    .domain([Math.min(0, ...all), Math.max(0, ...all)])
    .nice();
  const tickCount = Math.max(2, Math.floor((height - top - 28) / 36));
  const ticks = y.ticks(tickCount);
  const left = Math.max(28, ...ticks.map((tk) => textWidth(fmt.tick(tk), 11) + 10));
  const bottom = 22;
  const innerW = Math.max(10, width - left - 8);
  const innerH = Math.max(10, height - top - bottom);
  y.range([top + innerH, top]);
  const x = scaleBand<number>()
    .domain(categories.map((_, i) => i))
    .range([left, left + innerW])
    .paddingInner(0.2)
    .paddingOuter(0.1);
  const inner = scaleBand<number>()
    .domain(series.map((_, i) => i))
    .range([0, x.bandwidth()])
    .padding(series.length > 1 ? 0.06 : 0);
  const labels = categories.map((c) => (c.others ? ctx.t("others") : fmt.dimension(c.text, dimType)));
  const widest = Math.max(0, ...labels.map((l) => textWidth(l, 11)));
  const step = Math.max(1, Math.ceil((Math.min(widest, 120) + 6) / Math.max(1, x.step())));
  const showValues = series.length === 1 && categories.length <= 40;
  const hasSelection = ctx.selected.size > 0;
  const zero = y(0);

  const bars = categories.flatMap((category, ci) =>
    series.map((s, si) => {
      const value = s.values[ci];
      if (value === null || value === undefined) return nothing;
      const bx = (x(ci) ?? 0) + (inner(si) ?? 0);
      const bw = Math.max(1, inner.bandwidth());
      const by = Math.min(y(value), zero);
      const bh = Math.max(1, Math.abs(zero - y(value)));
      const label = fmt.measure(value, result.measures[series.length > 1 ? si : 0]?.format);
      const selectable = ctx.selectable && category.value !== null && !category.others;
      const dim = hasSelection && category.value !== null && !ctx.selected.has(category.value);
      const text = series.length > 1 ? `${labels[ci]}, ${s.label}: ${label}` : `${labels[ci]}: ${label}`;
      const fitsLabel = showValues && textWidth(label, 10) <= x.bandwidth() + 4;
      // Above the bar when there is room, else just inside its top (the tallest bar reaches the top).
      const outside = value >= 0 ? by - 4 : by + bh + 11;
      const inside = value >= 0 ? by + 12 : by + bh - 4;
      const roomAbove = value >= 0 ? outside - 10 >= top - 8 : outside <= top + innerH + 8;
      const labelY = roomAbove ? outside : inside;
      const tip = { x: bx + bw / 2, y: by, lines: [labels[ci] ?? "", `${s.label}: ${label}`] };
      return svg`<rect
          class="mark ${selectable ? "selectable" : ""} ${dim ? "dim" : ""}"
          data-mark
          x=${bx} y=${by} width=${bw} height=${bh} rx="2"
          fill=${seriesColor(si)}
          tabindex=${ci === 0 && si === 0 ? "0" : "-1"}
          role=${selectable ? "button" : "img"}
          aria-label=${text}
          aria-pressed=${selectable ? String(ctx.selected.has(category.value as string | number)) : nothing}
          @click=${() => selectable && ctx.onSelect(field, category.value as string | number)}
          @keydown=${onMarkKey(ctx, field, selectable ? category.value : null)}
          @pointerenter=${() => ctx.onTooltip(tip)}
          @pointerleave=${() => ctx.onTooltip(undefined)}
          @focus=${() => ctx.onTooltip(tip)}
          @blur=${() => ctx.onTooltip(undefined)}
        ></rect>${
          fitsLabel && (roomAbove || bh >= 16)
            ? svg`<text class="value-label ${roomAbove ? "" : "inside"}" x=${bx + bw / 2} y=${labelY}
                text-anchor="middle">${label}</text>`
            : nothing
        }`;
    }),
  );

  const categoryLabels = categories.map((_, ci) =>
    ci % step === 0
      ? svg`<text class="axis-label" x=${(x(ci) ?? 0) + x.bandwidth() / 2} y=${top + innerH + 15}
            text-anchor="middle">${fitText(labels[ci] ?? "", x.step() * step - 6, 11)}</text>`
      : nothing,
  );

  return svg`<svg class="chart" width=${width} height=${height} viewBox="0 0 ${width} ${height}"
      role="group" aria-label=${chartLabel(ctx, "Bar")}>
      <title>${chartLabel(ctx, "Bar")}</title>
      ${renderValueAxis(y, ticks, left, left + innerW, fmt)}
      ${bars}
      <line class="baseline" x1=${left} x2=${left + innerW} y1=${zero} y2=${zero}></line>
      ${categoryLabels}
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
