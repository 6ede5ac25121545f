import { html, nothing, type TemplateResult } from "lit";
import type { ConditionCheck } from "./qmc-api.js";
import { RULE_ACTIONS, type SecurityRuleDraft } from "./qmc-rules-data.js";
import type { QmcTranslate } from "./qmc-strings.js";

/**
 * The fields of a security rule (*Name*, resource filter, *Actions* as checkboxes, *Conditions*, *Context*),
 * shared by *Create associated rule* under a stream and the *Security rules* section. `errorAt(path)` puts
 * the server's message for a field under it; `showFilter` hides the filter where the stream fixes it.
 */
export function ruleFields(o: {
  t: QmcTranslate;
  rule: SecurityRuleDraft;
  path: string;
  readOnly: boolean;
  showFilter: boolean;
  onChange: (rule: SecurityRuleDraft) => void;
  /** The server's check of the condition while it is typed. */
  check: (condition: string) => Promise<ConditionCheck>;
  errorAt: (path: string, id: string) => TemplateResult | typeof nothing;
}): TemplateResult {
  const { t, rule, path, readOnly } = o;
  const set = (patch: Partial<SecurityRuleDraft>) => o.onChange({ ...rule, ...patch });
  return html`<div class="field">
      <label for="rule-name">${t("name")}</label>
      <input id="rule-name" type="text" required .value=${rule.name} ?disabled=${readOnly}
        @input=${(e: Event) => set({ name: (e.target as HTMLInputElement).value })} />
      ${o.errorAt(`${path}.name`, "rule-name-error")}
    </div>
    ${
      o.showFilter
        ? html`<div class="field">
            <label for="rule-filter">${t("resourceFilter")}</label>
            <input id="rule-filter" type="text" .value=${rule.resourceFilter} ?disabled=${readOnly}
              @input=${(e: Event) => set({ resourceFilter: (e.target as HTMLInputElement).value })} />
            ${o.errorAt(`${path}.resourceFilter`, "rule-filter-error")}
          </div>`
        : nothing
    }
    <fieldset>
      <legend>${t("actions")}</legend>
      ${RULE_ACTIONS.map(
        (action) => html`<label>
          <input type="checkbox" .checked=${rule.actions.includes(action)} ?disabled=${readOnly}
            @change=${(e: Event) =>
              set({
                actions: (e.target as HTMLInputElement).checked
                  ? [...rule.actions, action]
                  : rule.actions.filter((a) => a !== action),
              })} />
          ${t(`action_${action}`)}
        </label>`,
      )}
      ${o.errorAt(`${path}.actions`, "rule-actions-error")}
    </fieldset>
    <qmc-condition-editor .t=${t} .value=${rule.condition ?? ""} ?read-only=${readOnly} field-id="rule-condition"
      .check=${o.check}
      @qmc-condition-change=${(e: CustomEvent<string>) => set({ condition: e.detail })}></qmc-condition-editor>
    ${o.errorAt(`${path}.condition`, "rule-condition-error")}
    <div class="field">
      <label for="rule-context">${t("context")}</label>
      <select id="rule-context" ?disabled=${readOnly}
        @change=${(e: Event) => set({ context: (e.target as HTMLSelectElement).value as SecurityRuleDraft["context"] })}>
        ${(["hub", "qmc", "both"] as const).map(
          (context) => html`<option value=${context} ?selected=${(rule.context ?? "both") === context}>
            ${t(`context_${context}`)}
          </option>`,
        )}
      </select>
    </div>`;
}
