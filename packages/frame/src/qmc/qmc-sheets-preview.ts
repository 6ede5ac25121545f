import type { GridPosition, SheetDef } from "@portico/protocol";
import { css, html, type TemplateResult } from "lit";
import type { QmcTranslate } from "./qmc-strings.js";

/**
 * An app's *Sheets*, read-only: each sheet with its objects laid out as the sheet places them (the same
 * 24-column grid, in miniature), each object named by title and type. The objects are a list, so a
 * screen reader reads them in order; the layout is only how the list looks.
 */
export function sheetsPreview(t: QmcTranslate, sheets: readonly SheetDef[]): TemplateResult {
  if (sheets.length === 0) return html`<p class="note">${t("noSheets")}</p>`;
  return html`<div class="sheets-preview">
    ${sheets.map(
      (sheet) => html`<section class="sheet-preview" aria-labelledby=${`sheet-${sheet.id}`}>
        <h4 id=${`sheet-${sheet.id}`}>${sheet.title} <code>${sheet.id}</code></h4>
        <ul class="sheet-grid" aria-label=${t("objectsOf", { sheet: sheet.title })}>
          ${(sheet.objects ?? []).map(
            (object) => html`<li class="sheet-object" style=${placement(object.position)}>
              <span class="object-title">${object.title ?? object.id}</span>
              <span class="object-type">${object.type}</span>
            </li>`,
          )}
        </ul>
      </section>`,
    )}
  </div>`;
}

/** Where the sheet puts an object (columns and rows count from 0 in the configuration, from 1 in CSS). */
function placement(at: GridPosition | undefined): string {
  if (!at) return "";
  return `grid-column: ${at.col + 1} / span ${at.width}; grid-row: ${at.row + 1} / span ${at.height}`;
}

export const sheetsPreviewStyles = css`
  .sheets-preview {
    display: flex;
    flex-direction: column;
    gap: 12px;
    max-width: 640px;
    margin-bottom: 12px;
  }
  .sheet-preview h4 {
    margin: 0 0 6px;
    font-size: 14px;
  }
  .sheet-grid {
    display: grid;
    grid-template-columns: repeat(24, minmax(0, 1fr));
    grid-auto-rows: 16px;
    gap: 3px;
    list-style: none;
    margin: 0;
    padding: 6px;
    background: var(--portico-surface-alt);
    border: 1px solid var(--portico-border);
    border-radius: var(--portico-radius);
  }
  .sheet-object {
    display: flex;
    flex-direction: column;
    min-width: 0;
    overflow: hidden;
    padding: 2px 6px;
    font-size: 12px;
    line-height: 14px;
    background: var(--portico-surface);
    border: 1px solid var(--portico-border-strong);
    border-radius: 4px;
  }
  .object-title {
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .object-type {
    color: var(--portico-muted);
  }
`;
