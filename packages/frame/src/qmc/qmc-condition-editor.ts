import { html, LitElement, nothing } from "lit";
import { sharedStyles } from "../styles/shared-styles.js";
import {
  type ConditionRow,
  conditionOf,
  IS_ANONYMOUS,
  OPERATORS,
  PROPERTIES,
  rowsOf,
} from "./condition-rows.js";
import type { QmcTranslate } from "./qmc-strings.js";
import { qmcStyles } from "./qmc-styles.js";

/**
 * A rule's *Conditions*: the **basic** editor (user property, operator, value rows that write the condition)
 * or the **advanced** field (the condition as text). A condition the rows cannot spell opens in the
 * advanced field. Every change fires `qmc-condition-change` with the condition.
 */
export class QmcConditionEditor extends LitElement {
  static override styles = [sharedStyles, qmcStyles];
  static override properties = {
    t: { attribute: false },
    value: {},
    fieldId: { attribute: "field-id" },
    readOnly: { type: Boolean, attribute: "read-only" },
    mode: { state: true },
    rows: { state: true },
  };

  declare t: QmcTranslate;
  /** The condition text. */
  declare value: string;
  /** The id of the advanced field (the server's error under it names it). */
  declare fieldId: string;
  declare readOnly: boolean;
  declare mode: "basic" | "advanced";
  declare rows: ConditionRow[];

  constructor() {
    super();
    this.value = "";
    this.fieldId = "conditions";
    this.readOnly = false;
    this.mode = "basic";
    this.rows = [];
  }

  override willUpdate(changed: Map<string, unknown>): void {
    // A value from outside (another rule opened) is read again; the editor's own changes are not.
    if (changed.has("value") && this.value !== this.emitted) {
      const rows = rowsOf(this.value);
      this.mode = rows ? "basic" : "advanced";
      this.rows = rows && rows.length > 0 ? rows : [{ property: "userDirectory", operator: "=", value: "" }];
    }
  }

  /** The condition this editor last wrote. */
  private emitted: string | undefined;

  private emit(condition: string) {
    this.emitted = condition;
    this.value = condition;
    this.dispatchEvent(
      new CustomEvent("qmc-condition-change", { detail: condition, bubbles: true, composed: true }),
    );
  }

  private setRow(index: number, patch: Partial<ConditionRow>) {
    this.rows = this.rows.map((row, i) => (i === index ? { ...row, ...patch } : row));
    this.emit(conditionOf(this.rows));
  }

  override render() {
    const t = this.t;
    return html`<fieldset>
      <legend>${t("conditions")}</legend>
      <div class="toolbar" role="radiogroup" aria-label=${t("conditions")}>
        ${(["basic", "advanced"] as const).map(
          (mode) => html`<label>
            <input type="radio" name="mode" .checked=${this.mode === mode}
              @change=${() => {
                this.mode = mode;
                if (mode === "basic") {
                  const rows = rowsOf(this.value);
                  if (rows) this.rows = rows.length > 0 ? rows : this.rows;
                }
              }} />
            ${t(mode)}
          </label>`,
        )}
      </div>
      ${this.mode === "basic" ? this.renderBasic() : this.renderAdvanced()}
    </fieldset>`;
  }

  private renderBasic() {
    const t = this.t;
    return html`${this.rows.map(
      (row, index) => html`<div class="row">
          <div class="field">
            <label for=${`property-${index}`}>${t("user")} ${t("property")}</label>
            <select id=${`property-${index}`} ?disabled=${this.readOnly}
              @change=${(e: Event) => this.setRow(index, { property: (e.target as HTMLSelectElement).value })}>
              ${PROPERTIES.map((p) => html`<option value=${p} ?selected=${row.property === p}>${p}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for=${`operator-${index}`}>${t("operator")}</label>
            <select id=${`operator-${index}`} ?disabled=${this.readOnly || row.property === IS_ANONYMOUS}
              @change=${(e: Event) => this.setRow(index, { operator: (e.target as HTMLSelectElement).value })}>
              ${OPERATORS.map((o) => html`<option value=${o} ?selected=${row.operator === o}>${o}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for=${`value-${index}`}>${t("value")}</label>
            <input id=${`value-${index}`} type="text" .value=${row.value}
              ?disabled=${this.readOnly || row.property === IS_ANONYMOUS}
              @input=${(e: Event) => this.setRow(index, { value: (e.target as HTMLInputElement).value })} />
          </div>
          ${
            this.rows.length > 1 && !this.readOnly
              ? html`<button type="button" class="button" aria-label=${`${t("removeCondition")} ${index + 1}`}
                  @click=${() => {
                    this.rows = this.rows.filter((_, i) => i !== index);
                    this.emit(conditionOf(this.rows));
                  }}>×</button>`
              : nothing
          }
        </div>`,
    )}
      ${
        this.readOnly
          ? nothing
          : html`<button type="button" class="button"
              @click=${() => (this.rows = [...this.rows, { property: "userDirectory", operator: "=", value: "" }])}>
              ${t("addCondition")}
            </button>`
      }
      <p class="help">${t("conditions")}: <code>${conditionOf(this.rows) || "—"}</code></p>`;
  }

  private renderAdvanced() {
    return html`<div class="field">
      <label for=${this.fieldId}>${this.t("conditions")}</label>
      <textarea id=${this.fieldId} spellcheck="false" .value=${this.value} ?disabled=${this.readOnly}
        @input=${(e: Event) => this.emit((e.target as HTMLTextAreaElement).value)}></textarea>
    </div>`;
  }
}
