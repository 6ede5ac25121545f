import type { HypercubeResult, SelectionValue, SortRequest } from "@portico/protocol";
import { html, LitElement, nothing } from "lit";
import type { Formatters } from "../format/formatters.js";
import type { Translate } from "../i18n/strings.js";
import { sharedStyles } from "../styles/shared-styles.js";
import { fire } from "./events.js";
import { tableStyles } from "./portico-table.styles.js";

/** A straight table: sortable columns (server-side), paged, dimension cells select their value. */
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

  constructor() {
    super();
    this.objectId = "";
    this.selectable = true;
    this.selections = {};
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
    return html`<div class="scroll">
        <table>
          <thead>
            <tr>
              ${columns.map((c, i) => {
                const active = this.sort?.column === i;
                const dir = active ? (this.sort?.descending ? "descending" : "ascending") : "none";
                return html`<th class=${c.numeric ? "num" : ""} aria-sort=${dir} scope="col">
                  <button
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
              (row) => html`<tr class=${row.others ? "others" : ""}>
                ${row.dimensions.map((cell, di) => {
                  const field = r.dimensions[di]?.field ?? "";
                  const type = r.dimensions[di]?.type ?? "text";
                  const canSelect = this.selectable && cell.value !== null && !row.others;
                  const selected = cell.value !== null && (this.selections[field] ?? []).includes(cell.value);
                  const text = row.others ? this.t("others") : this.fmt.dimension(cell.text, type);
                  return html`<td
                    class="${canSelect ? "selectable" : ""} ${selected ? "selected" : ""}"
                    tabindex=${canSelect ? "0" : nothing}
                    role=${canSelect ? "button" : nothing}
                    aria-pressed=${canSelect ? String(selected) : nothing}
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
                  (m, mi) => html`<td class="num">${this.fmt.measure(m, r.measures[mi]?.format)}</td>`,
                )}
              </tr>`,
            )}
          </tbody>
          ${
            r.measures.length > 0 && r.dimensions.length > 0
              ? html`<tfoot>
                <tr>
                  <td colspan=${r.dimensions.length}>${this.t("total")}</td>
                  ${r.totals.map((v, i) => html`<td class="num">${this.fmt.measure(v, r.measures[i]?.format)}</td>`)}
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
