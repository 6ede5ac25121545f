import { html, nothing, type TemplateResult } from "lit";
import { styleMap } from "lit/directives/style-map.js";
import type { ChartContext } from "./chart-context.js";

/** The big number: each measure's total under the current selections. */
export function renderKpi(ctx: ChartContext): TemplateResult {
  const { result, fmt } = ctx;
  const values = result.measures.map((m, i) => ({
    label: m.label,
    text: fmt.measure(result.totals[i] ?? result.rows[0]?.measures[i] ?? null, m.format),
  }));
  const size = Math.max(18, Math.min(48, ctx.height * 0.38, (ctx.width / Math.max(1, values.length)) * 0.18));
  return html`<div class="kpi" role="group" aria-label=${values.map((v) => `${v.label}: ${v.text}`).join(", ")}>
    ${values.map(
      (v) => html`<div class="kpi-item">
        <div class="kpi-value" style=${styleMap({ fontSize: `${size}px` })}>${v.text}</div>
        ${values.length > 1 ? html`<div class="kpi-label">${v.label}</div>` : nothing}
      </div>`,
    )}
  </div>`;
}
