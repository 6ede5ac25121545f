import type { FieldType, Selections } from "@portico/protocol";
import { css, html, LitElement, nothing } from "lit";
import type { Formatters } from "../format/formatters.js";
import type { Translate } from "../i18n/strings.js";
import { sharedStyles } from "../styles/shared-styles.js";
import { fire } from "./events.js";

const styles = css`
  :host {
    display: block;
  }
  .bar {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px;
    min-height: 36px;
    padding: 4px 0;
    font-size: 13px;
  }
  .label {
    color: var(--portico-muted);
    margin-right: 4px;
  }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 2px;
    max-width: 280px;
    border: 1px solid var(--portico-border);
    border-left: 4px solid var(--portico-selected);
    background: var(--portico-surface);
    border-radius: var(--portico-radius);
    padding: 2px 2px 2px 8px;
  }
  .chip .values {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .field {
    font-weight: 600;
    margin-right: 4px;
  }
  .none {
    color: var(--portico-muted);
  }
  .clear-all {
    margin-left: auto;
  }
`;

/** Current selections as chips, each with its own clear button, and a clear-all (the `currsel` bar). */
export class PorticoSelectionsBar extends LitElement {
  static override styles = [sharedStyles, styles];
  static override properties = {
    selections: { attribute: false },
    fieldTypes: { attribute: false },
    fmt: { attribute: false },
    t: { attribute: false },
    readonly: { type: Boolean },
  };

  declare selections: Selections;
  /** Field types, so dates read in the visitor's locale. */
  declare fieldTypes: Record<string, FieldType>;
  declare fmt: Formatters;
  declare t: Translate;
  /** Show the selections without clear buttons (`noselections`). */
  declare readonly: boolean;

  constructor() {
    super();
    this.selections = {};
    this.fieldTypes = {};
    this.readonly = false;
  }

  override render() {
    const fields = Object.entries(this.selections).filter(([, values]) => values.length > 0);
    return html`<div class="bar" role="toolbar" aria-label=${this.t("selections")}>
      <span class="label">${this.t("selections")}</span>
      ${fields.length === 0 ? html`<span class="none">${this.t("noSelections")}</span>` : nothing}
      ${fields.map(([field, values]) => {
        const type = this.fieldTypes[field] ?? "text";
        const text = values.map((v) => this.fmt.dimension(String(v), type)).join(", ");
        return html`<span class="chip" data-field=${field}>
          <span class="values" title=${`${field}: ${text}`}><span class="field">${field}</span>${text}</span>
          ${
            this.readonly
              ? nothing
              : html`<button
                class="icon-button"
                aria-label=${this.t("clearField", { field })}
                @click=${() => fire(this, "portico-clear", { field })}
              >
                ✕
              </button>`
          }
        </span>`;
      })}
      ${
        fields.length > 0 && !this.readonly
          ? html`<button class="button clear-all" @click=${() => fire(this, "portico-clear", {})}>
            ${this.t("clearAll")}
          </button>`
          : nothing
      }
    </div>`;
  }
}
