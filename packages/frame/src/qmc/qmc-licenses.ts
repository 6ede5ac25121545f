import { html, nothing } from "lit";
import type { Section } from "./qmc-api.js";
import { onSubmit, QmcSection } from "./qmc-section.js";
import type { QmcStringKey } from "./qmc-strings.js";
import { editButton, qmcTable } from "./qmc-table.js";

type Row = { rule: LicenseRule; index: number };
type RuleType = "analyzerCapacity" | "loginAccessPass" | "anonymousCapacity";
interface LicenseRule {
  name: string;
  description?: string;
  type: RuleType;
  condition?: string;
}
type Licenses = Record<string, unknown> & {
  analyzerCapacity?: { minutesPerMonth: number };
  loginAccessPasses?: number;
  anonymousCapacity?: { maxConcurrentSessions: number };
  rules?: LicenseRule[];
};

const TABS: Array<{ type: RuleType; label: QmcStringKey }> = [
  { type: "analyzerCapacity", label: "analyzerCapacityRules" },
  { type: "loginAccessPass", label: "loginAccessRules" },
  { type: "anonymousCapacity", label: "anonymousCapacityRules" },
];

/** A refused licence allocation, as `GET /admin/api/v1/licenses/usage` lists it (newest last). */
interface Denial {
  at: string;
  proxy: string;
  userDirectory: string;
  userId: string;
  attempts: Array<{
    name: string;
    type: string;
    result: "granted" | "reused" | "conditionFalse" | "poolExhausted";
  }>;
}
/** The pool a new rule of a type gets when the configuration has none yet (shown, editable, before Apply). */
const NEW_POOL: Record<RuleType, number> = {
  analyzerCapacity: 6000,
  loginAccessPass: 100,
  anonymousCapacity: 50,
};

/**
 * *License management*: *Analyzer capacity rules*, *Login access rules* and anonymous capacity rules, each
 * with *Create new* and *Edit* (a *Name* and the *Conditions*, basic or advanced), and the pools with usage.
 */
export class QmcLicenses extends QmcSection {
  static override properties = {
    ...QmcSection.properties,
    data: { state: true },
    usage: { state: true },
    tab: { state: true },
    editing: { state: true },
  };
  declare data: Section<Licenses | null> | undefined;
  declare usage: Record<string, Record<string, unknown> | null> | undefined;
  declare tab: RuleType;
  /** The rule being edited (index in `rules`, -1 for a new one), its draft, and the pool it draws on. */
  declare editing: { index: number; rule: LicenseRule; pool: number | undefined } | undefined;

  constructor() {
    super();
    this.tab = "analyzerCapacity";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    this.data = await this.api.section<Licenses | null>("licenses");
    this.usage = await this.api
      .get<Record<string, Record<string, unknown> | null>>("/licenses/usage")
      .catch(() => undefined);
  }

  private poolOf(licenses: Licenses, type: RuleType): number | undefined {
    if (type === "analyzerCapacity") return licenses.analyzerCapacity?.minutesPerMonth;
    if (type === "loginAccessPass") return licenses.loginAccessPasses;
    return licenses.anonymousCapacity?.maxConcurrentSessions;
  }

  private open(index: number, rule: LicenseRule) {
    this.succeeded = false;
    this.failure = undefined;
    const licenses = this.data?.value ?? {};
    this.editing = {
      index,
      rule: { ...rule },
      pool: this.poolOf(licenses, rule.type) ?? NEW_POOL[rule.type],
    };
  }

  override render() {
    if (!this.data) return html`<p>${this.t("loading")}</p>`;
    return this.editing ? this.renderEditor() : this.renderList(this.data.value ?? {});
  }

  private renderList(licenses: Licenses) {
    const rules = (licenses.rules ?? []).map((rule, index) => ({ rule, index }));
    const shown = rules.filter(({ rule }) => rule.type === this.tab);
    const label = TABS.find((tab) => tab.type === this.tab)?.label ?? "analyzerCapacityRules";
    return html`<h2>${this.t("licenseManagement")}</h2>
      ${this.readOnlyNote("licenses")} ${this.renderPools()}
      <div class="toolbar" role="tablist" aria-label=${this.t("licenseManagement")}>
        ${TABS.map(
          (tab) => html`<button role="tab" class=${`button ${tab.type === this.tab ? "primary" : ""}`}
            aria-selected=${tab.type === this.tab ? "true" : "false"} @click=${() => (this.tab = tab.type)}>
            ${this.t(tab.label)}
          </button>`,
        )}
      </div>
      <section role="tabpanel" aria-label=${this.t(label)}>
        <h3>${this.t(label)}</h3>
        ${
          this.mayUpdate("licenses")
            ? html`<div class="toolbar">
                <button class="button primary" @click=${() => this.open(-1, { name: "", type: this.tab, condition: "" })}>
                  ${this.t("createNew")}
                </button>
              </div>`
            : nothing
        }
        ${qmcTable(
          [
            {
              label: this.t("name"),
              cell: ({ rule }: Row) =>
                html`${rule.name}${rule.description ? html`<div class="note">${rule.description}</div>` : nothing}`,
            },
            {
              label: this.t("conditions"),
              cell: ({ rule }: Row) => html`<code>${rule.condition || "—"}</code>`,
            },
            {
              label: this.t("edit"),
              hidden: true,
              cell: ({ rule, index }: Row) =>
                editButton(this.t("edit"), rule.name, () => this.open(index, rule)),
            },
          ],
          shown,
          this.t("emptyList"),
        )}
      </section>`;
  }

  private renderPools() {
    const usage = this.usage;
    const analyzer = usage?.analyzerCapacity;
    const passes = usage?.loginAccessPasses;
    const seats = usage?.anonymousCapacity;
    const when = (iso: unknown) => this.time(iso);
    // Burn rate over the last hour and, when the pool runs dry before it resets at that rate, when.
    const burn = (pool: Record<string, unknown>, unit: string) =>
      typeof pool.burnRatePerHour === "number"
        ? html`<span class="help"
            >${this.t("burnRate")}: ${this.number(pool.burnRatePerHour)} ${unit} ${this.t("perHour")}${
              pool.projectedExhaustion
                ? html` · <strong>${this.t("runsDry")} ${when(pool.projectedExhaustion)}</strong>`
                : nothing
            }</span
          >`
        : nothing;
    const gauge = (label: string, used: unknown, total: unknown, details: unknown = nothing) =>
      html`<div class="field">
        <span>${label}</span>
        <meter min="0" max=${Number(total) || 1} value=${Number(used) || 0} aria-label=${label}></meter>
        <span class="help">${this.t("usage")}: ${this.number(used)} / ${this.number(total)}</span>
        ${details}
      </div>`;
    return html`<div class="panel">
      <h3>${this.t("pool")}</h3>
      ${
        analyzer
          ? gauge(
              this.t("minutesPerMonth"),
              analyzer.usedMinutes,
              analyzer.minutesPerMonth,
              html`<span class="help">${this.t("resetsAt")} ${when(analyzer.resetsAt)}</span>
                ${burn(analyzer, this.t("minutes"))}`,
            )
          : nothing
      }
      ${
        passes
          ? gauge(
              this.t("loginAccessPasses"),
              passes.used,
              passes.pool,
              html`${passes.nextReturnAt ? html`<span class="help">${this.t("nextReturn")} ${when(passes.nextReturnAt)}</span>` : nothing}
                ${burn(passes, this.t("passes"))}`,
            )
          : nothing
      }
      ${seats ? gauge(this.t("anonymousCapacityRules"), seats.inUse, seats.maxConcurrentSessions) : nothing}
      ${!analyzer && !passes && !seats ? html`<p class="note">${this.t("none")}</p>` : nothing}
      <h3>${this.t("recentDenials")}</h3>
      ${qmcTable(
        [
          { label: this.t("time"), cell: (d: Denial) => when(d.at) },
          { label: this.t("user"), cell: (d: Denial) => `${d.userDirectory}\\${d.userId}` },
          { label: this.t("proxy"), cell: (d: Denial) => d.proxy || this.t("defaultProxy") },
          {
            label: this.t("reason"),
            cell: (d: Denial) =>
              d.attempts.length === 0
                ? this.t("noRuleApplies")
                : d.attempts.map((a) => `${a.name} (${a.type}): ${this.t(`attempt_${a.result}`)}`).join("; "),
          },
        ],
        ((usage?.recentDenials as unknown as Denial[] | undefined) ?? []).slice().reverse(),
        this.t("noDenials"),
      )}
    </div>`;
  }

  private renderEditor() {
    const editing = this.editing as NonNullable<typeof this.editing>;
    const readOnly = !this.mayUpdate("licenses");
    const rules = this.data?.value?.rules ?? [];
    const index = editing.index < 0 ? rules.length : editing.index;
    const path = `licenses.rules[${index}]`;
    const poolLabel =
      editing.rule.type === "analyzerCapacity"
        ? this.t("minutesPerMonth")
        : editing.rule.type === "loginAccessPass"
          ? this.t("loginAccessPasses")
          : this.t("anonymousCapacityRules");
    const label = TABS.find((tab) => tab.type === editing.rule.type)?.label ?? "analyzerCapacityRules";
    return html`<h2>${this.t(label)}: ${editing.index < 0 ? this.t("createNew") : editing.rule.name}</h2>
      ${this.readOnlyNote("licenses")}
      <form class="panel" @submit=${onSubmit(() => this.apply())}>
        <div class="field">
          <label for="name">${this.t("name")}</label>
          <input id="name" type="text" required .value=${editing.rule.name} ?disabled=${readOnly}
            @input=${(e: Event) =>
              (this.editing = {
                ...editing,
                rule: { ...editing.rule, name: (e.target as HTMLInputElement).value },
              })} />
          ${this.fieldError(`${path}.name`, "name-error")}
        </div>
        <div class="field">
          <label for="description">${this.t("description")}</label>
          <input id="description" type="text" .value=${editing.rule.description ?? ""} ?disabled=${readOnly}
            @input=${(e: Event) => {
              const description = (e.target as HTMLInputElement).value;
              const { description: _old, ...rule } = editing.rule;
              this.editing = { ...editing, rule: description ? { ...rule, description } : rule };
            }} />
          ${this.fieldError(`${path}.description`, "description-error")}
        </div>
        <qmc-condition-editor .t=${this.t} .value=${editing.rule.condition ?? ""} ?read-only=${readOnly}
          .check=${this.checkLicenseCondition}
          @qmc-condition-change=${(e: CustomEvent<string>) =>
            (this.editing = {
              ...editing,
              rule: { ...editing.rule, condition: e.detail },
            })}></qmc-condition-editor>
        ${this.fieldError(`${path}.condition`, "condition-error")} ${this.fieldError(`${path}.type`, "type-error")}
        <div class="field">
          <label for="pool">${poolLabel}</label>
          <input id="pool" type="number" min="0" .value=${String(editing.pool ?? "")} ?disabled=${readOnly}
            @input=${(e: Event) =>
              (this.editing = {
                ...editing,
                pool: Number.parseInt((e.target as HTMLInputElement).value, 10),
              })} />
        </div>
        ${this.actionBar({
          readOnly,
          onDelete: editing.index < 0 ? undefined : () => this.apply(true),
          onBack: () => {
            this.editing = undefined;
            void this.load();
          },
        })}
      </form>`;
  }

  private async apply(remove = false) {
    const editing = this.editing as NonNullable<typeof this.editing>;
    const data = this.data as Section<Licenses | null>;
    const licenses: Licenses = structuredClone(data.value ?? {});
    const rules = [...(licenses.rules ?? [])];
    if (remove) rules.splice(editing.index, 1);
    else if (editing.index < 0) rules.push(editing.rule);
    else rules[editing.index] = editing.rule;
    licenses.rules = rules;
    if (!remove && editing.pool !== undefined && !Number.isNaN(editing.pool)) {
      if (editing.rule.type === "analyzerCapacity")
        licenses.analyzerCapacity = { minutesPerMonth: editing.pool };
      else if (editing.rule.type === "loginAccessPass") licenses.loginAccessPasses = editing.pool;
      else licenses.anonymousCapacity = { maxConcurrentSessions: editing.pool };
    }
    const ok = await this.change(async () => {
      this.data = await this.api.putSection("licenses", licenses, data.version);
    });
    if (ok && editing.index < 0) this.editing = { ...editing, index: rules.length - 1 };
    if (ok && remove) this.editing = undefined;
  }
}
