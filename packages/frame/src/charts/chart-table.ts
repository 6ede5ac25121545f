import { html, type TemplateResult } from "lit";
import { type ChartContext, chartData } from "./chart-context.js";

/**
 * A chart's data as a real table (its "Show as table" view): a row per category, a column per series,
 * the values formatted as the chart shows them. Screen reader users navigate it cell by cell, and anyone
 * can read exact values the chart only shows as lengths and angles.
 */
export function renderChartTable(ctx: ChartContext, caption: string): TemplateResult {
  const { result, fmt, t } = ctx;
  const { categories, series, labels } = chartData(ctx);
  const severalMeasures = !(result.dimensions.length >= 2 && result.measures.length === 1);
  return html`<div class="chart-table">
    <table>
      <caption>${caption}</caption>
      <thead>
        <tr>
          <th scope="col">${result.dimensions[0]?.label ?? ""}</th>
          ${series.map((s) => html`<th scope="col" class="num">${s.label}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${categories.map((category, ci) => {
          const selected = category.value !== null && ctx.selected.has(category.value);
          return html`<tr class=${selected ? "selected" : ""}>
            <th scope="row">${labels[ci]}${selected ? html`<span class="state">, ${t("markSelected")}</span>` : ""}</th>
            ${series.map(
              (s, si) =>
                html`<td class="num">
                  ${fmt.measure(s.values[ci] ?? null, result.measures[severalMeasures ? si : 0]?.format)}
                </td>`,
            )}
          </tr>`;
        })}
      </tbody>
    </table>
  </div>`;
}
