import { html, nothing } from "lit";
import type { Section } from "./qmc-api.js";
import { type AuditCell, auditMatrix, auditTable } from "./qmc-audit-matrix.js";
import { ruleFields } from "./qmc-rule-form.js";
import { actionWords, DEFAULT_RULE_NAMES, rulesInForce, type SecurityRuleDraft } from "./qmc-rules-data.js";
import { onSubmit, QmcSection } from "./qmc-section.js";
import { editButton, qmcTable } from "./qmc-table.js";

/** The actions the audit asks about besides reading. */
const AUDIT_ACTIONS = ["read", "update", "publish", "exportdata"] as const;

interface Explanation {
  allowed: boolean;
  rules: Array<{ name: string; applies: boolean; reason: string }>;
}

/**
 * *Security rules*: every rule with filter, actions, context and state, default rules marked; *Create new*,
 * *Edit*, *Duplicate*, *Disable*, *Delete*; and the *Audit* of one decision with each rule's reason.
 */
export class QmcRules extends QmcSection {
  static override properties = {
    ...QmcSection.properties,
    data: { state: true },
    editing: { state: true },
    audit: { state: true },
    explanation: { state: true },
    matrix: { state: true },
    warnings: { state: true },
  };
  declare data: (Section<SecurityRuleDraft[]> & { defaults: boolean }) | undefined;
  declare editing: { index: number; draft: SecurityRuleDraft } | undefined;
  declare audit: { user: string; anonymous: boolean; resource: string; action: string; context: string };
  declare explanation: (Explanation & { resource?: string }) | undefined;
  /** What the audited user may read: every stream, app and sheet the console user may see. */
  declare matrix: AuditCell[];
  /**
   * The server's load warnings by rule name: a rule pasted from the hub that names what Portico does not
   * model (`resource.category`, `ContentLibrary_*`) loads, and its warning says what it evaluates to.
   */
  declare warnings: Map<string, string[]>;

  constructor() {
    super();
    this.audit = { user: "", anonymous: true, resource: "Stream_everyone", action: "read", context: "hub" };
    this.matrix = [];
    this.warnings = new Map();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    this.data = await rulesInForce(this.api);
    await this.loadWarnings();
  }

  private async loadWarnings() {
    const { rules } = await this.api.get<{
      rules: Array<{ name: string; warnings?: Array<{ message: string }> }>;
    }>("/rules");
    this.warnings = new Map(rules.map((rule) => [rule.name, (rule.warnings ?? []).map((w) => w.message)]));
  }

  private open(index: number, rule: SecurityRuleDraft) {
    this.succeeded = false;
    this.failure = undefined;
    this.editing = { index, draft: structuredClone(rule) };
  }

  private async write(rules: SecurityRuleDraft[]): Promise<boolean> {
    const data = this.data as Section<SecurityRuleDraft[]>;
    return this.change(async () => {
      this.data = { ...(await this.api.putSection("securityRules", rules, data.version)), defaults: false };
      await this.loadWarnings();
    });
  }

  override render() {
    if (!this.data) return html`<p>${this.t("loading")}</p>`;
    if (this.editing) return this.renderEditor();
    const readOnly = !this.mayUpdate("securityRules");
    const rules = this.data.value;
    return html`<h2>${this.t("securityRules")}</h2>
      ${this.readOnlyNote("securityRules")}
      ${
        readOnly
          ? nothing
          : html`<div class="toolbar">
              <button class="button primary" @click=${() =>
                (this.editing = {
                  index: -1,
                  draft: {
                    name: "",
                    resourceFilter: "Stream_*",
                    actions: ["read"],
                    condition: "",
                    context: "both",
                  },
                })}>${this.t("createNew")}</button>
              ${this.outcome()}
            </div>`
      }
      ${qmcTable(
        [
          {
            label: this.t("name"),
            cell: (rule: SecurityRuleDraft) =>
              html`${rule.name}
                ${DEFAULT_RULE_NAMES.includes(rule.name) ? html`<span class="badge">${this.t("defaultRule")}</span>` : nothing}
                ${(this.warnings.get(rule.name) ?? []).map(
                  (message) => html`<p class="warning"><strong>${this.t("warning")}:</strong> ${message}</p>`,
                )}`,
          },
          {
            label: this.t("resourceFilter"),
            cell: (rule: SecurityRuleDraft) => html`<code>${rule.resourceFilter}</code>`,
          },
          { label: this.t("actions"), cell: (rule: SecurityRuleDraft) => actionWords(this.t, rule.actions) },
          {
            label: this.t("context"),
            cell: (rule: SecurityRuleDraft) => this.t(`context_${rule.context ?? "both"}`),
          },
          { label: this.t("disabled"), cell: (rule: SecurityRuleDraft) => (rule.disabled ? "✓" : "") },
          {
            label: this.t("edit"),
            hidden: true,
            cell: (rule: SecurityRuleDraft, index) => this.ruleButtons(rules, rule, index, readOnly),
          },
        ],
        rules,
      )}
      ${this.renderAudit()}`;
  }

  /** *Edit*, and for those who may change rules *Duplicate*, *Disable* or *Enable*, *Delete*. */
  private ruleButtons(rules: SecurityRuleDraft[], rule: SecurityRuleDraft, index: number, readOnly: boolean) {
    const toggle = rule.disabled ? this.t("enable") : this.t("disable");
    return html`<div class="toolbar rule-buttons">
      ${editButton(this.t("edit"), rule.name, () => this.open(index, rule))}
      ${
        readOnly
          ? nothing
          : html`${editButton(this.t("duplicate"), rule.name, () =>
              this.write([
                ...rules,
                { ...structuredClone(rule), name: this.t("copyOf", { name: rule.name }) },
              ]),
            )}
            ${editButton(toggle, rule.name, () =>
              this.write(rules.map((r, i) => (i === index ? { ...r, disabled: !r.disabled } : r))),
            )}
            ${editButton(this.t("delete"), rule.name, () => this.write(rules.filter((_, i) => i !== index)))}`
      }
    </div>`;
  }

  private renderAudit() {
    const a = this.audit;
    const set = (patch: Partial<typeof a>) => (this.audit = { ...a, ...patch });
    return html`<section class="panel" aria-labelledby="audit-title">
      <h3 id="audit-title">${this.t("audit")}</h3>
      <form @submit=${onSubmit(() => this.runAudit())}>
        <div class="row">
          <label><input type="checkbox" .checked=${a.anonymous}
            @change=${(e: Event) => set({ anonymous: (e.target as HTMLInputElement).checked })} />
            ${this.t("anAnonymousVisitor")}</label>
          <div class="field">
            <label for="audit-user">${this.t("auditUser")}</label>
            <input id="audit-user" type="text" .value=${a.user} ?disabled=${a.anonymous}
              @input=${(e: Event) => set({ user: (e.target as HTMLInputElement).value })} />
          </div>
          <div class="field">
            <label for="audit-resource">${this.t("auditResource")}</label>
            <input id="audit-resource" type="text" .value=${a.resource}
              @input=${(e: Event) => set({ resource: (e.target as HTMLInputElement).value })} />
          </div>
          <div class="field">
            <label for="audit-action">${this.t("action")}</label>
            <select id="audit-action" @change=${(e: Event) => set({ action: (e.target as HTMLSelectElement).value })}>
              ${AUDIT_ACTIONS.map((x) => html`<option value=${x} ?selected=${x === a.action}>${this.t(`action_${x}`)}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="audit-context">${this.t("context")}</label>
            <select id="audit-context" @change=${(e: Event) => set({ context: (e.target as HTMLSelectElement).value })}>
              <option value="hub" ?selected=${a.context === "hub"}>${this.t("context_hub")}</option>
              <option value="qmc" ?selected=${a.context === "qmc"}>${this.t("context_qmc")}</option>
            </select>
          </div>
          <button class="button primary" type="submit">${this.t("audit")}</button>
        </div>
      </form>
      ${auditTable(this.t, this.matrix, (cell) => {
        this.audit = { ...a, resource: cell.resource, action: "read" };
        this.explanation = cell;
      })}
      ${
        this.explanation
          ? html`<p>${this.explanation.resource ? html`<code>${this.explanation.resource}</code> ` : nothing}
              <span class=${`badge ${this.explanation.allowed ? "pass" : "fail"}`}>
                ${this.explanation.allowed ? this.t("allowed") : this.t("denied")}</span></p>
              <ul>
                ${this.explanation.rules.map(
                  (r) => html`<li>${r.applies ? html`<strong>${r.name}</strong>` : r.name}: ${r.reason}</li>`,
                )}
              </ul>`
          : nothing
      }
    </section>`;
  }

  private async runAudit() {
    const a = this.audit;
    const user = a.anonymous ? "NONE\\anonymous00000000-0000-4000-8000-000000000000" : a.user;
    await this.change(async () => {
      const explanation = await this.api.post<Explanation>("/audit", {
        user,
        resource: a.resource,
        action: a.action,
        context: a.context,
      });
      this.explanation = { ...explanation, resource: a.resource };
      const rights = this.session.rights;
      const [streams, apps] = await Promise.all([
        rights.streams?.read ? this.api.section<Array<{ id: string; name: string }>>("streams") : undefined,
        rights.apps?.read ? this.api.section<Array<{ id: string; name: string }>>("apps") : undefined,
      ]);
      this.matrix = await auditMatrix(
        this.api,
        { streams: streams?.value ?? [], apps: apps?.value ?? [] },
        user,
        a.context,
      );
    });
    this.succeeded = false;
  }

  private renderEditor() {
    const { index, draft } = this.editing as { index: number; draft: SecurityRuleDraft };
    const readOnly = !this.mayUpdate("securityRules");
    const rules = this.data?.value ?? [];
    const position = index < 0 ? rules.length : index;
    return html`<h2>${this.t("securityRules")}: ${index < 0 ? this.t("createNew") : draft.name}</h2>
      ${this.readOnlyNote("securityRules")}
      <form class="panel" @submit=${onSubmit(() => this.apply())}>
        ${ruleFields({
          t: this.t,
          rule: draft,
          path: `securityRules[${position}]`,
          readOnly,
          showFilter: true,
          onChange: (next) => (this.editing = { index, draft: next }),
          errorAt: (path, id) => this.fieldError(path, id),
          check: this.checkRuleCondition,
        })}
        ${this.actionBar({ readOnly, onBack: () => (this.editing = undefined) })}
      </form>`;
  }

  private async apply() {
    const { index, draft } = this.editing as { index: number; draft: SecurityRuleDraft };
    const rules = this.data?.value ?? [];
    const next = index < 0 ? [...rules, draft] : rules.map((r, i) => (i === index ? draft : r));
    if ((await this.write(next)) && index < 0) this.editing = { index: next.length - 1, draft };
  }
}
