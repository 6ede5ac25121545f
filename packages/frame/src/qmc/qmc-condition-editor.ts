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
import { conditionTokens } from "./condition-tokens.js";
import type { ConditionCheck, ConditionProblem } from "./qmc-api.js";
import { conditionStyles } from "./qmc-condition-styles.js";
import type { QmcTranslate } from "./qmc-strings.js";
import { qmcStyles } from "./qmc-styles.js";

/**
 * A rule's *Conditions*: the **basic** editor (user property, operator, value rows that write the condition)
 * or the **advanced** field (the condition as text). A condition the rows cannot spell opens in the
 * advanced field. Every change fires `qmc-condition-change` with the condition.
 *
 * The advanced field is a transparent textarea over a highlighted copy of its text (the textarea stays the
 * control people and assistive technology use). While typing, the server checks the condition (`check`,
 * debounced) and its problem is shown under the field with a caret under the exact position, and marked
 * in the highlighted copy.
 */
/** Quiet time after a keystroke before the condition is sent for a check. */
export const CHECK_DEBOUNCE_MS = 250;

export class QmcConditionEditor extends LitElement {
  static override styles = [sharedStyles, qmcStyles, conditionStyles];
  static override properties = {
    t: { attribute: false },
    value: {},
    fieldId: { attribute: "field-id" },
    readOnly: { type: Boolean, attribute: "read-only" },
    check: { attribute: false },
    mode: { state: true },
    rows: { state: true },
    problem: { state: true },
  };

  declare t: QmcTranslate;
  /** The condition text. */
  declare value: string;
  /** The id of the advanced field (the server's error under it names it). */
  declare fieldId: string;
  declare readOnly: boolean;
  /** Asks the server whether a condition is valid; without it the field is not checked while typing. */
  declare check: ((condition: string) => Promise<ConditionCheck>) | undefined;
  declare mode: "basic" | "advanced";
  declare rows: ConditionRow[];
  /** The server's problem with the condition as last checked, if it still shows that condition. */
  declare problem: (ConditionProblem & { condition: string }) | undefined;
  private checkTimer: ReturnType<typeof setTimeout> | undefined;

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
    if ((changed.has("value") || changed.has("mode")) && this.mode === "advanced") this.scheduleCheck();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.checkTimer);
  }

  private scheduleCheck() {
    clearTimeout(this.checkTimer);
    const check = this.check;
    if (!check || this.readOnly) return;
    const condition = this.value;
    this.checkTimer = setTimeout(async () => {
      let verdict: ConditionCheck;
      try {
        verdict = await check(condition);
      } catch {
        return; // A failed check says nothing about the condition; Apply still validates it.
      }
      // An answer for text typed over since is stale.
      if (condition !== this.value) return;
      const error = verdict.errors?.find((e) => e.path === "condition");
      this.problem = verdict.ok || !error ? undefined : { ...error, condition };
    }, CHECK_DEBOUNCE_MS);
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
            <label for=${`property-${index}`}>${t("userProperty")}</label>
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
    const problem = this.problem?.condition === this.value ? this.problem : undefined;
    const errorId = `${this.fieldId}-check`;
    return html`<div class="field">
      <label for=${this.fieldId}>${this.t("conditions")}</label>
      <div class="code-field">
        <pre class="code-highlight" aria-hidden="true">${this.highlighted(problem?.offset)}</pre>
        <textarea id=${this.fieldId} class="code-input" spellcheck="false" autocapitalize="off"
          .value=${this.value} ?disabled=${this.readOnly}
          aria-invalid=${problem ? "true" : "false"} aria-describedby=${errorId}
          @input=${(e: Event) => this.emit((e.target as HTMLTextAreaElement).value)}></textarea>
      </div>
      <div id=${errorId} class="condition-check" aria-live="polite">${
        problem
          ? html`<p class="field-error">${this.t("conditionProblem", {
              message: problem.message,
              line: String(problem.line ?? 1),
              column: String(problem.column ?? 1),
            })}</p><pre class="caret-excerpt" aria-hidden="true">${problem.excerpt ?? ""}</pre>`
          : nothing
      }</div>
    </div>`;
  }

  /** The condition in colour, the character at `errorAt` marked (past the end: a marked space). */
  private highlighted(errorAt: number | undefined) {
    let at = 0;
    const pieces = conditionTokens(this.value).flatMap(({ kind, text }) => {
      const start = at;
      at += text.length;
      if (errorAt === undefined || errorAt < start || errorAt >= at)
        return [html`<span class=${`tok-${kind}`}>${text}</span>`];
      const cut = errorAt - start;
      return [
        html`<span class=${`tok-${kind}`}>${text.slice(0, cut)}</span>`,
        // A problem at a line break is marked on a space before it: a line break shows no mark.
        text[cut] === "\n"
          ? html`<span class="error-at"> </span>\n`
          : html`<span class=${`tok-${kind} error-at`}>${text.slice(cut, cut + 1)}</span>`,
        html`<span class=${`tok-${kind}`}>${text.slice(cut + 1)}</span>`,
      ];
    });
    // A trailing newline would not give the copy its last line's height; a space does.
    const end = errorAt !== undefined && errorAt >= this.value.length;
    return html`${pieces}<span class=${end ? "error-at" : ""}> </span>`;
  }
}
