import type { HypercubeResult, SelectionValue, SortRequest } from "@portico/protocol";
import { html, LitElement, nothing } from "lit";
import type { Formatters } from "../format/formatters.js";
import type { Translate } from "../i18n/strings.js";
import { sharedStyles } from "../styles/shared-styles.js";
import { fire } from "./events.js";
import { tableStyles } from "./portico-table.styles.js";

/**
 * A straight table: sortable columns (server-side), paged, dimension cells select their value. A WAI-ARIA
 * grid: one tab stop, arrows move between cells (Home and End along a row, with Ctrl to the table's
 * corners), Enter or Space on a dimension cell selects it, on a header sorts by its column.
 */
export class PorticoTable extends LitElement {
  static override styles = [sharedStyles, tableStyles];
  static override properties = {
    objectId: { attribute: false },
    result: { attribute: false },
    fmt: { attribute: false },
    t: { attribute: false },
    selectable: { type: Boolean },
    selections: { attribute: false },
    sort: { attribute: false },
    label: { attribute: false },
    active: { state: true },
  };

  /** The object the table belongs to (sent back with sort and page changes). */
  declare objectId: string;
  /** One page of the hypercube. */
  declare result: HypercubeResult | undefined;
  declare fmt: Formatters;
  declare t: Translate;
  /** Whether clicking a dimension cell selects. */
  declare selectable: boolean;
  /** Current selections, to mark selected cells. */
  declare selections: Record<string, SelectionValue[]>;
  /** The active sort. */
  declare sort: SortRequest | undefined;
  /** The grid's accessible name (the object's title). */
  declare label: string;
  /** The cell that holds the grid's one tab stop: row (0 is the header) and column. */
  declare active: [number, number];

  constructor() {
    super();
    this.objectId = "";
    this.selectable = true;
    this.selections = {};
    this.label = "";
    this.active = [0, 0];
  }

  override render() {
    const r = this.result;
    if (!r) return nothing;
    const columns = [
      ...r.dimensions.map((d) => ({ label: d.label, numeric: false })),
      ...r.measures.map((m) => ({ label: m.label, numeric: true })),
    ];
    const { offset, limit } = r.page;
    const pages = Math.max(1, Math.ceil(r.totalRows / Math.max(1, limit)));
    const page = Math.floor(offset / Math.max(1, limit)) + 1;
    const footer = r.measures.length > 0 && r.dimensions.length > 0;
    // A new page can have fewer rows: the tab stop stays on a cell that exists.
    const activeRow = Math.min(this.active[0], r.rows.length + (footer ? 1 : 0));
    const activeCol = Math.min(this.active[1], columns.length - 1);
    const tab = (row: number, col: number) => (row === activeRow && col === activeCol ? "0" : "-1");
    return html`<div class="scroll">
        <table role="grid" aria-label=${this.label || nothing} @keydown=${this.#onGridKey}>
          <thead>
            <tr>
              ${columns.map((c, i) => {
                const active = this.sort?.column === i;
                const dir = active ? (this.sort?.descending ? "descending" : "ascending") : "none";
                return html`<th class=${c.numeric ? "num" : ""} aria-sort=${dir} scope="col">
                  <button
                    tabindex=${tab(0, i)}
                    @click=${() => this.#sortBy(i, c.numeric)}
                    aria-label=${this.t("sortBy", { column: c.label })}
                  >
                    ${c.label}<span class="arrow" aria-hidden="true"
                      >${active ? (this.sort?.descending ? "▼" : "▲") : ""}</span
                    >
                  </button>
                </th>`;
              })}
            </tr>
          </thead>
          <tbody>
            ${r.rows.map(
              (row, ri) => html`<tr class=${row.others ? "others" : ""}>
                ${row.dimensions.map((cell, di) => {
                  const field = r.dimensions[di]?.field ?? "";
                  const type = r.dimensions[di]?.type ?? "text";
                  const canSelect = this.selectable && cell.value !== null && !row.others;
                  const selected = cell.value !== null && (this.selections[field] ?? []).includes(cell.value);
                  const text = row.others ? this.t("others") : this.fmt.dimension(cell.text, type);
                  return html`<td
                    class="${canSelect ? "selectable" : ""} ${selected ? "selected" : ""}"
                    tabindex=${tab(ri + 1, di)}
                    aria-selected=${canSelect ? String(selected) : nothing}
                    @click=${() => canSelect && fire(this, "portico-select", { field, value: cell.value })}
                    @keydown=${(e: KeyboardEvent) => {
                      if (canSelect && (e.key === "Enter" || e.key === " ")) {
                        e.preventDefault();
                        fire(this, "portico-select", { field, value: cell.value });
                      }
                    }}
                  >
                    ${text}
                  </td>`;
                })}
                ${row.measures.map(
                  (m, mi) =>
                    html`<td class="num" tabindex=${tab(ri + 1, r.dimensions.length + mi)}>
                      ${this.fmt.measure(m, r.measures[mi]?.format)}
                    </td>`,
                )}
              </tr>`,
            )}
          </tbody>
          ${
            footer
              ? html`<tfoot>
                <tr>
                  <td colspan=${r.dimensions.length} tabindex=${tab(r.rows.length + 1, 0)}>${this.t("total")}</td>
                  ${r.totals.map(
                    (v, i) =>
                      html`<td class="num" tabindex=${tab(r.rows.length + 1, i + 1)}>
                        ${this.fmt.measure(v, r.measures[i]?.format)}
                      </td>`,
                  )}
                </tr>
              </tfoot>`
              : nothing
          }
        </table>
      </div>
      ${
        pages > 1
          ? html`<div class="pager">
            <span aria-live="polite"
              >${this.t("rowsOf", {
                from: offset + 1,
                to: Math.min(offset + limit, r.totalRows),
                total: r.totalRows,
              })}</span
            >
            <button
              class="button"
              ?disabled=${page <= 1}
              aria-label=${this.t("previousPage")}
              @click=${() => this.#page(offset - limit)}
            >
              ‹
            </button>
            <span>${this.t("pageOf", { page, pages })}</span>
            <button
              class="button"
              ?disabled=${page >= pages}
              aria-label=${this.t("nextPage")}
              @click=${() => this.#page(offset + limit)}
            >
              ›
            </button>
          </div>`
          : nothing
      }`;
  }

  /** Moves the grid's focus between cells; the focus goes to a header's sort button, else the cell. */
  #onGridKey = (event: KeyboardEvent): void => {
    const cell = (event.target as Element).closest("th, td") as HTMLTableCellElement | null;
    const table = cell?.closest("table");
    if (!cell || !table) return;
    const rows = table.rows;
    const row = (cell.parentElement as HTMLTableRowElement).rowIndex;
    const col = cell.cellIndex;
    const last = rows.length - 1;
    const width = (r: number) => (rows[r]?.cells.length ?? 1) - 1;
    const moves: Record<string, [number, number]> = {
      ArrowRight: [row, Math.min(col + 1, width(row))],
      ArrowLeft: [row, Math.max(col - 1, 0)],
      ArrowDown: [Math.min(row + 1, last), col],
      ArrowUp: [Math.max(row - 1, 0), col],
      Home: event.ctrlKey ? [0, 0] : [row, 0],
      End: event.ctrlKey ? [last, width(last)] : [row, width(row)],
    };
    const next = moves[event.key];
    if (!next) return;
    event.preventDefault();
    const [r, c] = [next[0], Math.min(next[1], width(next[0]))];
    this.active = [r, c];
    void this.updateComplete.then(() => {
      const target = rows[r]?.cells[c];
      ((target?.querySelector("button") ?? target) as HTMLElement | undefined)?.focus();
    });
  };

  #sortBy(column: number, numeric: boolean): void {
    // First click on a number column sorts largest first, on text A to Z; a second click reverses.
    const descending = this.sort?.column === column ? !this.sort.descending : numeric;
    fire(this, "portico-table-change", { objectId: this.objectId, sort: { column, descending }, offset: 0 });
  }

  #page(offset: number): void {
    fire(this, "portico-table-change", {
      objectId: this.objectId,
      ...(this.sort ? { sort: this.sort } : {}),
      offset: Math.max(0, offset),
    });
  }
}
