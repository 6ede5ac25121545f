import { html } from "lit";
import { QmcListSection } from "./qmc-list-section.js";
import { onSubmit } from "./qmc-section.js";
import { editButton, qmcTable } from "./qmc-table.js";

type Proxy = Record<string, unknown> & {
  prefix: string;
  description?: string;
  anonymousAccess?: string;
  sessionInactivityMinutes?: number;
  hostAllowList?: string[];
  /** A whole number or `off` per budget; an absent one takes its default. */
  anonymousLimits?: Record<string, number | string>;
};

const MODES = ["none", "allow", "always"] as const;

/** The anonymous session budgets of a proxy, and their defaults (`anonymousLimits` in the configuration). */
const LIMIT_DEFAULTS = {
  newSessionsPerIpPerHour: 60,
  newSessionsPerNetworkPerHour: 300,
  concurrentSessionsPerIp: 30,
} as const;
type LimitKey = keyof typeof LIMIT_DEFAULTS;

/** Why an allow-list entry is not an exact origin, or undefined when it is one. */
export function originProblem(entry: string): boolean {
  if (!URL.canParse(entry)) return true;
  const url = new URL(entry);
  return url.origin !== entry || !/^https?:$/.test(url.protocol);
}

/** *Virtual proxies*: the list, and *Edit* with *Anonymous access mode*, timeout, *Host allow list*, limits. */
export class QmcProxies extends QmcListSection<Proxy> {
  protected readonly sectionName = "virtualProxies";

  override render() {
    if (!this.data) return html`<p>${this.t("loading")}</p>`;
    return this.editing ? this.renderEditor() : this.renderList(this.data.value);
  }

  private label(proxy: Proxy): string {
    return proxy.prefix === "" ? this.t("defaultProxy") : proxy.prefix;
  }

  private renderList(proxies: Proxy[]) {
    return html`<h2>${this.t("virtualProxies")}</h2>
      ${this.readOnlyNote("virtualProxies")}
      ${qmcTable(
        [
          { label: this.t("prefix"), cell: (proxy: Proxy) => this.label(proxy) },
          { label: this.t("description"), cell: (proxy: Proxy) => proxy.description ?? "" },
          {
            label: this.t("anonymousAccessMode"),
            cell: (proxy: Proxy) =>
              this.t(`mode_${(proxy.anonymousAccess ?? "none") as (typeof MODES)[number]}`),
          },
          { label: this.t("hostAllowList"), cell: (proxy: Proxy) => (proxy.hostAllowList ?? []).join(", ") },
          {
            label: this.t("edit"),
            hidden: true,
            cell: (proxy: Proxy, index) =>
              editButton(this.t("edit"), this.label(proxy), () => this.open(index)),
          },
        ],
        proxies,
      )}`;
  }

  private renderEditor() {
    const { index, draft } = this.editing as { index: number; draft: Proxy };
    const path = `virtualProxies[${index}]`;
    const readOnly = !this.mayUpdate("virtualProxies");
    const set = (key: string, value: unknown) => {
      this.editing = { index, draft: { ...draft, [key]: value } };
    };
    const allowText = (draft.hostAllowList ?? []).join("\n");
    const badOrigins = (draft.hostAllowList ?? []).filter(originProblem);
    const limits = draft.anonymousLimits ?? {};
    // As written: a whole number, `off`, or nothing (the default); anything else goes to the server as typed,
    // which answers with the field's message.
    const setLimit = (key: string, value: string) => {
      const text = value.trim();
      const { [key]: _, ...others } = limits;
      set(
        "anonymousLimits",
        text === "" ? others : { ...others, [key]: /^\d+$/.test(text) ? Number(text) : text },
      );
    };
    const limitField = (key: LimitKey) =>
      html`<div class="field">
        <label for=${`limit-${key}`}>${this.t(key)}</label>
        <input id=${`limit-${key}`} type="text" inputmode="numeric" .value=${limits[key] === undefined ? "" : String(limits[key])}
          placeholder=${String(LIMIT_DEFAULTS[key])} ?disabled=${readOnly}
          aria-describedby=${`limit-${key}-help${this.issuesAt(`${path}.anonymousLimits.${key}`).length > 0 ? ` limit-${key}-error` : ""}`}
          @input=${(e: Event) => setLimit(key, (e.target as HTMLInputElement).value)} />
        <span class="help" id=${`limit-${key}-help`}>${this.t("anonymousLimitsHelp", { default: String(LIMIT_DEFAULTS[key]) })}</span>
        ${this.fieldError(`${path}.anonymousLimits.${key}`, `limit-${key}-error`)}
      </div>`;
    return html`<h2>${this.t("edit")}: ${draft.prefix === "" ? this.t("defaultProxy") : draft.prefix}</h2>
      ${this.readOnlyNote("virtualProxies")}
      <form class="panel" @submit=${onSubmit(() => this.applyDraft())}>
        <div class="field">
          <label for="prefix">${this.t("prefix")}</label>
          <input id="prefix" type="text" .value=${draft.prefix} ?disabled=${readOnly}
            @input=${(e: Event) => set("prefix", (e.target as HTMLInputElement).value)} />
          ${this.fieldError(`${path}.prefix`, "prefix-error")}
        </div>
        <div class="field">
          <label for="description">${this.t("description")}</label>
          <input id="description" type="text" .value=${draft.description ?? ""} ?disabled=${readOnly}
            @input=${(e: Event) => set("description", (e.target as HTMLInputElement).value || undefined)} />
        </div>
        <div class="field">
          <label for="mode">${this.t("anonymousAccessMode")}</label>
          <select id="mode" ?disabled=${readOnly}
            @change=${(e: Event) => set("anonymousAccess", (e.target as HTMLSelectElement).value)}>
            ${MODES.map(
              (mode) => html`<option value=${mode} ?selected=${(draft.anonymousAccess ?? "none") === mode}>
                ${this.t(`mode_${mode}`)}
              </option>`,
            )}
          </select>
          ${this.fieldError(`${path}.anonymousAccess`, "mode-error")}
        </div>
        <div class="field">
          <label for="timeout">${this.t("sessionInactivityTimeout")}</label>
          <input id="timeout" type="number" min="1" .value=${String(draft.sessionInactivityMinutes ?? 30)}
            ?disabled=${readOnly}
            @input=${(e: Event) =>
              set("sessionInactivityMinutes", Number.parseInt((e.target as HTMLInputElement).value, 10))} />
          ${this.fieldError(`${path}.sessionInactivityMinutes`, "timeout-error")}
        </div>
        <div class="field">
          <label for="allow">${this.t("hostAllowList")}</label>
          <textarea id="allow" aria-describedby="allow-help" .value=${allowText} ?disabled=${readOnly}
            @input=${(e: Event) =>
              set(
                "hostAllowList",
                (e.target as HTMLTextAreaElement).value
                  .split("\n")
                  .map((line) => line.trim())
                  .filter((line) => line !== ""),
              )}></textarea>
          <span class="help" id="allow-help">${this.t("hostAllowListHelp")}</span>
          ${badOrigins.map((entry) => html`<p class="field-error">${this.t("notAnOrigin", { entry })}</p>`)}
          ${this.fieldError(`${path}.hostAllowList`, "allow-error")}
        </div>
        <fieldset>
          <legend>${this.t("anonymousLimits")}</legend>
          <div class="row">
            ${limitField("newSessionsPerIpPerHour")} ${limitField("newSessionsPerNetworkPerHour")}
            ${limitField("concurrentSessionsPerIp")}
          </div>
          ${this.fieldError(`${path}.anonymousLimits`, "limits-error")}
        </fieldset>
        ${this.actionBar({ readOnly, onBack: () => (this.editing = undefined) })}
      </form>`;
  }
}
