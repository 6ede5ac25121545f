import {
  dimensionField,
  type QueryResult,
  type Selections,
  type SelectionValue,
  type SheetObjectDef,
  type SortRequest,
} from "@portico/protocol";
import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from "lit";
import { styleMap } from "lit/directives/style-map.js";
import { renderBarChart } from "../charts/bar-chart.js";
import { type ChartContext, chartLabel, type Tooltip } from "../charts/chart-context.js";
import { renderChartTable } from "../charts/chart-table.js";
import { renderKpi } from "../charts/kpi.js";
import { renderLineChart } from "../charts/line-chart.js";
import { renderPieChart } from "../charts/pie-chart.js";
import { FrameError } from "../errors/frame-error.js";
import type { Formatters } from "../format/formatters.js";
import { errorWords, type Translate } from "../i18n/strings.js";
import { isFieldStates, isHypercube } from "../state/frame-controller.js";
import { chartStyles, sharedStyles } from "../styles/shared-styles.js";
import { fire } from "./events.js";
import { objectStyles } from "./portico-object.styles.js";

const CHARTS = { bar: renderBarChart, line: renderLineChart, pie: renderPieChart } as const;

/** A performance mark at the first painted chart of the document: the bench's "first chart" time. */
export const FIRST_CHART_MARK = "portico:first-chart";
let firstChartMarked = false;

/**
 * One sheet object: a card with its title and its visualization, sized by its grid cell. The chart is
 * re-rendered at the measured size whenever the cell changes (ResizeObserver), so resizing stays crisp.
 */
export class PorticoObject extends LitElement {
  static override styles = [sharedStyles, chartStyles, objectStyles];
  static override properties = {
    def: { attribute: false },
    results: { attribute: false },
    selections: { attribute: false },
    sort: { attribute: false },
    fmt: { attribute: false },
    t: { attribute: false },
    selectable: { type: Boolean },
    nointeraction: { type: Boolean, reflect: true },
    ctxmenu: { type: Boolean },
    size: { state: true },
    tooltip: { state: true },
    menuOpen: { state: true },
    asTable: { state: true },
  };

  /** The object's definition from the sheet. */
  declare def: SheetObjectDef;
  /** Its query results: one, or one per field for a filter pane; `undefined` while loading. */
  declare results: Array<QueryResult | FrameError | undefined>;
  declare selections: Selections;
  /** A table's active sort. */
  declare sort: SortRequest | undefined;
  declare fmt: Formatters;
  declare t: Translate;
  /** Clicks select values. */
  declare selectable: boolean;
  /** No interaction at all: no selections, no tooltips, no menu. */
  declare nointeraction: boolean;
  /** Show the object's menu (export, clear). */
  declare ctxmenu: boolean;
  declare size: { width: number; height: number };
  declare tooltip: Tooltip | undefined;
  declare menuOpen: boolean;
  /** The visitor asked to see the chart's data as a table. */
  declare asTable: boolean;

  #observer: ResizeObserver | undefined;
  #frame = 0;

  constructor() {
    super();
    this.results = [];
    this.selections = {};
    this.selectable = true;
    this.nointeraction = false;
    this.ctxmenu = false;
    this.size = { width: 0, height: 0 };
    this.menuOpen = false;
    this.asTable = false;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#observer?.disconnect();
    this.#observer = undefined;
    cancelAnimationFrame(this.#frame);
  }

  protected override firstUpdated(_: PropertyValues): void {
    const body = this.renderRoot.querySelector(".body");
    if (!body) return;
    // The first size now (a layout the browser does before painting anyway), so a chart whose data is in
    // renders in this frame's pass instead of after the resize observer's first report.
    const first = body.getBoundingClientRect();
    if (first.width > 0 && first.height > 0)
      this.size = { width: Math.floor(first.width), height: Math.floor(first.height) };
    this.#observer = new ResizeObserver((entries) => {
      const rect = entries[0]?.contentRect;
      if (!rect) return;
      // One re-render per animation frame, and only when the size really changed.
      cancelAnimationFrame(this.#frame);
      this.#frame = requestAnimationFrame(() => {
        const width = Math.floor(rect.width);
        const height = Math.floor(rect.height);
        if (width !== this.size.width || height !== this.size.height) this.size = { width, height };
      });
    });
    this.#observer.observe(body);
  }

  /** The category of the mark that had the focus before this update, to give it back if the render took it. */
  #refocus: string | undefined;

  protected override willUpdate(): void {
    const active = (this.renderRoot as ShadowRoot).activeElement;
    this.#refocus = active?.hasAttribute("data-mark")
      ? (active.getAttribute("data-category") ?? "")
      : undefined;
  }

  protected override updated(): void {
    this.#keepChartFocus();
    if (firstChartMarked || !this.renderRoot.querySelector(".chart, .kpi")) return;
    firstChartMarked = true;
    // The frame after this one is the first with the chart on screen.
    requestAnimationFrame(() => performance.mark(FIRST_CHART_MARK));
  }

  override render() {
    const d = this.def;
    const canExport = d.type !== "filterpane" && d.type !== "text";
    const chart = d.type === "bar" || d.type === "line" || d.type === "pie";
    return html`<header>
        <h2 id="title">${d.title ?? ""}</h2>
        ${
          chart
            ? html`<button
              class="icon-button table-toggle"
              aria-pressed=${String(this.asTable)}
              aria-label=${this.t("showAsTable")}
              title=${this.t("showAsTable")}
              @click=${() => {
                this.asTable = !this.asTable;
              }}
            >
              <span aria-hidden="true">▦</span>
            </button>`
            : nothing
        }
        ${
          this.ctxmenu && !this.nointeraction && canExport
            ? html`<button
              class="icon-button"
              aria-haspopup="menu"
              aria-expanded=${String(this.menuOpen)}
              aria-label=${this.t("moreActions")}
              @click=${() => {
                this.menuOpen = !this.menuOpen;
              }}
            >
              ⋯
            </button>`
            : nothing
        }
      </header>
      ${this.menuOpen ? this.#menu() : nothing}
      <div class="body" role="region" aria-labelledby="title" @keydown=${this.#onChartKey}>
        ${this.#content()}
        ${
          this.tooltip && !this.nointeraction
            ? html`<div
              class="tooltip"
              role="tooltip"
              style=${styleMap({ left: `${this.tooltip.x}px`, top: `${this.tooltip.y}px` })}
            >
              <strong>${this.tooltip.lines[0]}</strong>${this.tooltip.lines.slice(1).join(" ")}
            </div>`
            : nothing
        }
      </div>`;
  }

  #content(): TemplateResult | typeof nothing {
    const d = this.def;
    if (d.type === "text") return html`<p class="text">${d.text ?? ""}</p>`;
    const failed = this.results.find((r): r is FrameError => r instanceof FrameError);
    if (failed) {
      // A code with words of its own says what to do, in the visitor's language; any other keeps the
      // server's message, which is more precise than "something went wrong".
      const words = errorWords(this.t, failed.code);
      return html`<div class="message error" role="alert">
        ${words.title}: ${words.known ? words.text : failed.message}
      </div>`;
    }
    if (d.type === "filterpane") {
      return html`<div class="filterpane">
        ${this.results.map((r) =>
          isFieldStates(r)
            ? html`<portico-listbox
                .result=${r}
                .fmt=${this.fmt}
                .t=${this.t}
                ?disabled=${!this.selectable}
              ></portico-listbox>`
            : nothing,
        )}
      </div>`;
    }
    const result = this.results[0];
    if (!isHypercube(result)) return html`<div class="message" aria-busy="true">${this.t("loading")}</div>`;
    if (d.type === "table")
      return html`<portico-table
        .objectId=${d.id}
        .label=${d.title ?? ""}
        .result=${result}
        .fmt=${this.fmt}
        .t=${this.t}
        .selections=${this.selections}
        .sort=${this.sort}
        .selectable=${this.selectable}
      ></portico-table>`;
    if (result.rows.length === 0 && d.type !== "kpi")
      return html`<div class="message">${this.t("noData")}</div>`;
    const { width, height } = this.size;
    const field = result.dimensions[0]?.field ?? "";
    const ctx: ChartContext = {
      result,
      title: d.title ?? "",
      width,
      height,
      fmt: this.fmt,
      t: this.t,
      selectable: this.selectable,
      selected: new Set<SelectionValue>(this.selections[field] ?? []),
      onSelect: (f, value) => fire(this, "portico-select", { field: f, value }),
      onTooltip: (tooltip) => {
        if (!this.nointeraction) this.tooltip = tooltip;
      },
    };
    if (d.type !== "kpi" && this.asTable) return renderChartTable(ctx, chartLabel(ctx, d.type));
    if (width === 0 || height === 0) return nothing;
    if (d.type === "kpi") return renderKpi(ctx);
    return html`${CHARTS[d.type](ctx)}`;
  }

  #menu(): TemplateResult {
    const first = this.def.dimensions?.[0];
    const field = first === undefined ? undefined : dimensionField(first);
    const close = () => {
      this.menuOpen = false;
    };
    return html`<div class="menu" role="menu" @keydown=${(e: KeyboardEvent) => e.key === "Escape" && close()}>
      <button
        role="menuitem"
        @click=${() => {
          close();
          fire(this, "portico-export", { objectId: this.def.id });
        }}
      >
        ${this.t("exportCsv")}
      </button>
      ${
        field && this.selectable
          ? html`<button
            role="menuitem"
            @click=${() => {
              close();
              fire(this, "portico-clear", { field });
            }}
          >
            ${this.t("clearSelection")}
          </button>`
          : nothing
      }
    </div>`;
  }

  /**
   * A selection made from the keyboard redraws the chart, and the focused mark may be gone (its value is
   * the only one left, drawn first): the focus goes to the mark of the same category, else the first one,
   * so the visitor stays in the chart instead of starting over from the top of the page.
   */
  #keepChartFocus(): void {
    if (this.#refocus === undefined) return;
    const root = this.renderRoot as ShadowRoot;
    if (root.activeElement?.hasAttribute("data-mark")) return;
    const marks = [...root.querySelectorAll<SVGElement>("[data-mark]")];
    const target = marks.find((m) => m.getAttribute("data-category") === this.#refocus) ?? marks[0];
    if (!target) return;
    for (const mark of marks) mark.setAttribute("tabindex", mark === target ? "0" : "-1");
    target.focus();
  }

  /**
   * Roving focus across a chart's marks: arrows move, so a chart is one tab stop. Escape leaves the chart:
   * the mark lets go of the focus, and the next Tab goes on from there, past the chart.
   */
  #onChartKey = (event: KeyboardEvent): void => {
    const keys = ["ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp", "Home", "End", "Escape"];
    if (!keys.includes(event.key)) return;
    const marks = [...this.renderRoot.querySelectorAll<SVGElement>("[data-mark]")];
    const current = marks.indexOf(event.target as SVGElement);
    if (current < 0) return;
    if (event.key === "Escape") {
      marks[current]?.blur();
      return;
    }
    event.preventDefault();
    const next =
      event.key === "Home"
        ? 0
        : event.key === "End"
          ? marks.length - 1
          : (current + (event.key === "ArrowRight" || event.key === "ArrowDown" ? 1 : -1) + marks.length) %
            marks.length;
    marks[current]?.setAttribute("tabindex", "-1");
    const target = marks[next];
    target?.setAttribute("tabindex", "0");
    target?.focus();
  };
}
