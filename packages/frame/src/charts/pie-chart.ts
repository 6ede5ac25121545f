import { arc, type PieArcDatum, pie } from "d3-shape";
import { nothing, svg, type TemplateResult } from "lit";
import {
  type ChartContext,
  chartData,
  fitText,
  markOf,
  renderChartSvg,
  seriesColor,
  textWidth,
} from "./chart-context.js";

type Slice = { index: number; value: number };

/** A donut of the first measure over the first dimension, with percentages and a legend beside it. */
export function renderPieChart(ctx: ChartContext): TemplateResult {
  const { result, width, height, fmt } = ctx;
  const { categories, series, field, labels } = chartData(ctx);
  const values = series[0]?.values ?? [];
  const data: Slice[] = values.flatMap((v, index) => (v !== null && v > 0 ? [{ index, value: v }] : []));
  const total = data.reduce((sum, d) => sum + d.value, 0);
  // The legend goes beside the donut when there is width, else below it (two columns).
  const legendBeside = width >= 340;
  const legendW = legendBeside ? Math.min(180, width * 0.4) : 0;
  const belowRows = legendBeside ? 0 : Math.ceil(data.length / 2);
  const legendH = Math.min(belowRows * 18, Math.max(0, height - 120));
  const pieH = height - legendH;
  const radius = Math.max(10, Math.min((width - legendW) / 2, pieH / 2) - 8);
  const cx = (width - legendW) / 2;
  const cy = pieH / 2;
  const arcs = pie<Slice>()
    .sort(null)
    .value((d) => d.value)(data);
  const shape = arc<PieArcDatum<Slice>>()
    .innerRadius(radius * 0.55)
    .outerRadius(radius)
    .padAngle(0.01);
  const labelArc = arc<PieArcDatum<Slice>>()
    .innerRadius(radius * 0.78)
    .outerRadius(radius * 0.78);

  const slices = arcs.map((a, i) => {
    const category = categories[a.data.index];
    if (!category) return nothing;
    const share = fmt.percent(a.data.value / total);
    const text = `${labels[a.data.index]}: ${fmt.measure(a.data.value, result.measures[0]?.format)} (${share})`;
    const [lx, ly] = labelArc.centroid(a);
    const mark = markOf(ctx, field, category, {
      x: cx + lx,
      y: cy + ly,
      lines: [labels[a.data.index] ?? "", text.split(": ")[1] ?? ""],
    });
    const big = a.endAngle - a.startAngle > 0.35;
    return svg`<path class="mark slice ${mark.classes}" data-mark data-category=${labels[a.data.index] ?? ""}
        d=${shape(a) ?? ""} fill=${seriesColor(a.data.index)}
        tabindex=${i === 0 ? "0" : "-1"} role=${mark.role} aria-label=${mark.label(text)} aria-pressed=${mark.pressed}
        @click=${mark.select} @keydown=${mark.key}
        @pointerenter=${mark.show} @pointerleave=${mark.hide} @focus=${mark.show} @blur=${mark.hide}></path>
      ${big ? svg`<text class="slice-label" x=${lx} y=${ly + 4} text-anchor="middle">${share}</text>` : nothing}`;
  });

  const entry = (a: PieArcDatum<Slice>, x: number, y: number, w: number) =>
    svg`<g transform="translate(${x},${y})">
      <rect width="10" height="10" y="1" rx="2" fill=${seriesColor(a.data.index)}></rect>
      <text class="legend-label" x="16" y="10">${fitText(labels[a.data.index] ?? "", w - 24, 11)}</text></g>`;
  const legend = legendBeside
    ? arcs
        .slice(0, Math.floor((height - 8) / 18))
        .map((a, i) => entry(a, width - legendW + 4, 8 + i * 18, legendW))
    : arcs
        .slice(0, Math.floor(legendH / 18) * 2)
        .map((a, i) => entry(a, (i % 2) * (width / 2) + 4, pieH + Math.floor(i / 2) * 18, width / 2));
  const totalText = fmt.measure(total, result.measures[0]?.format);
  // The centre holds the total only as wide as the hole allows; otherwise its short form.
  const centre = textWidth(totalText, 17) <= radius * 1.1 - 12 ? totalText : fmt.tick(total);

  const described = data.map((d) => ({
    label: labels[d.index] ?? "",
    value: d.value,
    text: fmt.measure(d.value, result.measures[0]?.format),
  }));
  return renderChartSvg(
    ctx,
    "pie",
    described,
    svg`<g transform="translate(${cx},${cy})">${slices}
        <text class="pie-total" y="-2" text-anchor="middle">${centre}</text>
        <text class="pie-total-label" y="14" text-anchor="middle">${fitText(result.measures[0]?.label ?? "", radius, 11)}</text>
      </g>
      <g class="legend" aria-hidden="true">${legend}</g>`,
  );
}
