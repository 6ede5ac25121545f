import { html, nothing } from "lit";
import type { Section } from "./qmc-api.js";
import { QmcListSection } from "./qmc-list-section.js";
import { ruleFields } from "./qmc-rule-form.js";
import { actionWords, namesStream, rulesInForce, type SecurityRuleDraft } from "./qmc-rules-data.js";
import { onSubmit } from "./qmc-section.js";
import { editButton, qmcTable } from "./qmc-table.js";

type Row = { rule: SecurityRuleDraft; index: number };
type Stream = Record<string, unknown> & { id: string; name: string; description?: string };

/** A stream id from its name: what the configuration's ids allow (letters, digits, `-`, `_`). */
export function streamIdOf(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "stream"
  );
}

/**
 * *Streams*: list, *Create new*, *Edit*, *Delete*; for a stream its *Security rules* under *Associated
 * items*, with *Create associated rule* (actions as checkboxes, *Conditions*, *Context*).
 */
export class QmcStreams extends QmcListSection<Stream> {
  static override properties = {
    ...QmcListSection.properties,
    rules: { state: true },
    rule: { state: true },
  };
  protected readonly sectionName = "streams";
  declare rules: (Section<SecurityRuleDraft[]> & { defaults: boolean }) | undefined;
  /** The associated rule being written (`index` -1: a new one). */
  declare rule: { index: number; draft: SecurityRuleDraft } | undefined;

  protected override async load() {
    await super.load();
    this.rules = this.session.rights.securityRules?.read ? await rulesInForce(this.api) : undefined;
  }

  protected override open(index: number) {
    this.rule = undefined;
    super.open(index, { id: "", name: "" });
  }

  override render() {
    if (!this.data) return html`<p>${this.t("loading")}</p>`;
    if (this.rule && this.editing) return this.renderRuleEditor();
    if (this.editing) return this.renderEditor();
    return html`<h2>${this.t("streams")}</h2>
      ${this.readOnlyNote("streams")}
      ${
        this.mayUpdate("streams")
          ? html`<div class="toolbar">
              <button class="button primary" @click=${() => this.open(-1)}>${this.t("createNew")}</button>
            </div>`
          : nothing
      }
      ${qmcTable(
        [
          { label: this.t("name"), cell: (stream: Stream) => stream.name },
          { label: this.t("id"), cell: (stream: Stream) => html`<code>${stream.id}</code>` },
          { label: this.t("description"), cell: (stream: Stream) => stream.description ?? "" },
          {
            label: this.t("edit"),
            hidden: true,
            cell: (stream: Stream, index) => editButton(this.t("edit"), stream.name, () => this.open(index)),
          },
        ],
        this.data.value,
      )}`;
  }

  private renderEditor() {
    const { index, draft } = this.editing as { index: number; draft: Stream };
    const readOnly = !this.mayUpdate("streams");
    const path = `streams[${index < 0 ? (this.data?.value.length ?? 0) : index}]`;
    const set = (patch: Partial<Stream>) => (this.editing = { index, draft: { ...draft, ...patch } });
    return html`<h2>${this.t("streams")}: ${index < 0 ? this.t("createNew") : draft.name}</h2>
      ${this.readOnlyNote("streams")}
      <form class="panel" @submit=${onSubmit(() => this.applyDraft())}>
        <div class="field">
          <label for="stream-name">${this.t("name")}</label>
          <input id="stream-name" type="text" required .value=${draft.name} ?disabled=${readOnly}
            @input=${(e: Event) => {
              const name = (e.target as HTMLInputElement).value;
              set(index < 0 ? { name, id: streamIdOf(name) } : { name });
            }} />
          ${this.fieldError(`${path}.name`, "stream-name-error")}
        </div>
        <div class="field">
          <label for="stream-id">${this.t("id")}</label>
          <input id="stream-id" type="text" .value=${draft.id} ?disabled=${readOnly || index >= 0}
            @input=${(e: Event) => set({ id: (e.target as HTMLInputElement).value })} />
          ${this.fieldError(`${path}.id`, "stream-id-error")}
        </div>
        <div class="field">
          <label for="stream-description">${this.t("description")}</label>
          <input id="stream-description" type="text" .value=${draft.description ?? ""} ?disabled=${readOnly}
            @input=${(e: Event) => set({ description: (e.target as HTMLInputElement).value || undefined })} />
        </div>
        ${this.fieldError("streams", "streams-error")}
        ${this.actionBar({
          readOnly,
          onDelete: index < 0 ? undefined : () => this.applyDraft(true),
          onBack: () => (this.editing = undefined),
        })}
      </form>
      ${index >= 0 ? this.renderAssociated(draft) : nothing}`;
  }

  private renderAssociated(stream: Stream) {
    if (!this.rules) return nothing;
    const associated = this.rules.value
      .map((rule, index) => ({ rule, index }))
      .filter(({ rule }) => namesStream(rule, stream.id));
    const mayWrite = this.mayUpdate("securityRules");
    return html`<section class="panel" aria-labelledby="associated">
      <h3 id="associated">${this.t("associatedItems")}: ${this.t("securityRules")}</h3>
      ${
        mayWrite
          ? html`<div class="toolbar">
              <button class="button primary" @click=${() => {
                this.succeeded = false;
                this.failure = undefined;
                this.rule = {
                  index: -1,
                  draft: {
                    name: this.t("streamRule", { stream: stream.name }),
                    resourceFilter: `Stream_${stream.id}`,
                    actions: ["read"],
                    condition: "",
                    context: "both",
                  },
                };
              }}>${this.t("createAssociatedRule")}</button>
            </div>`
          : nothing
      }
      ${qmcTable(
        [
          { label: this.t("name"), cell: ({ rule }: Row) => rule.name },
          { label: this.t("actions"), cell: ({ rule }: Row) => actionWords(this.t, rule.actions) },
          {
            label: this.t("conditions"),
            cell: ({ rule }: Row) => html`<code>${rule.condition || "—"}</code>`,
          },
          { label: this.t("context"), cell: ({ rule }: Row) => this.t(`context_${rule.context ?? "both"}`) },
          {
            label: this.t("edit"),
            hidden: true,
            cell: ({ rule, index }: Row) =>
              editButton(this.t("edit"), rule.name, () => {
                this.succeeded = false;
                this.failure = undefined;
                this.rule = { index, draft: structuredClone(rule) };
              }),
          },
        ],
        associated,
        this.t("emptyList"),
      )}
    </section>`;
  }

  private renderRuleEditor() {
    const { index, draft } = this.rule as { index: number; draft: SecurityRuleDraft };
    const stream = (this.editing as { draft: Stream }).draft;
    const readOnly = !this.mayUpdate("securityRules");
    const position = index < 0 ? (this.rules?.value.length ?? 0) : index;
    return html`<h2>${stream.name}: ${index < 0 ? this.t("createAssociatedRule") : draft.name}</h2>
      <form class="panel" @submit=${onSubmit(() => this.applyRule())}>
        ${ruleFields({
          t: this.t,
          rule: draft,
          path: `securityRules[${position}]`,
          readOnly,
          showFilter: false,
          onChange: (next) => (this.rule = { index, draft: next }),
          errorAt: (path, id) => this.fieldError(path, id),
          check: this.checkRuleCondition,
        })}
        ${this.actionBar({
          readOnly,
          onBack: () => {
            this.rule = undefined;
            this.succeeded = false;
          },
        })}
      </form>`;
  }

  private async applyRule() {
    const { index, draft } = this.rule as { index: number; draft: SecurityRuleDraft };
    const rules = this.rules as Section<SecurityRuleDraft[]> & { defaults: boolean };
    const next = index < 0 ? [...rules.value, draft] : rules.value.map((r, i) => (i === index ? draft : r));
    const ok = await this.change(async () => {
      const written = await this.api.putSection("securityRules", next, rules.version);
      this.rules = { ...written, defaults: false };
    });
    if (ok && index < 0) this.rule = { index: next.length - 1, draft };
  }
}
