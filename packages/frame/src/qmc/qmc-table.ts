import { html, type nothing, type TemplateResult } from "lit";

/** One column of a console table: its header (`hidden`: for screen readers only) and its cell. */
export interface Column<T> {
  label: string;
  cell: (row: T, index: number) => unknown;
  hidden?: boolean;
}

/** A console list as a table with column headers; `empty` is said instead of an empty table. */
export function qmcTable<T>(columns: Column<T>[], rows: readonly T[], empty?: string): TemplateResult {
  if (rows.length === 0 && empty !== undefined) return html`<p class="note">${empty}</p>`;
  return html`<table>
    <thead>
      <tr>
        ${columns.map(
          (c) =>
            html`<th scope="col">${c.hidden ? html`<span class="sr-only">${c.label}</span>` : c.label}</th>`,
        )}
      </tr>
    </thead>
    <tbody>
      ${rows.map((row, index) => html`<tr>${columns.map((c) => html`<td>${c.cell(row, index)}</td>`)}</tr>`)}
    </tbody>
  </table>`;
}

/** An *Edit* button named after what it edits (`Edit City spending`), as every list has one per row. */
export function editButton(label: string, what: string, open: () => void): TemplateResult | typeof nothing {
  return html`<button class="button" aria-label=${`${label} ${what}`} @click=${open}>${label}</button>`;
}
