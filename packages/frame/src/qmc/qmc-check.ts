import { html, nothing } from "lit";
import { onSubmit, QmcSection } from "./qmc-section.js";

/** The doctor's requirements the console names itself. */
const CHECK_IDS = ["proxy", "license", "stream", "app"] as const;

interface DoctorCheck {
  id: string;
  title: string;
  ok: boolean;
  detail: string;
  rules: string[];
  fix?: string;
}
interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
  failing: string[];
}
interface ProposedFix {
  check: string;
  section: string;
  summary: string;
  value: unknown;
  version: string;
}

/**
 * *Anonymous access check*: the doctor's requirements for a proxy and an app, each pass/fail with the
 * rules behind it, and *Fix*: the changes that repair what fails, shown before they are applied.
 */
export class QmcCheck extends QmcSection {
  static override properties = {
    ...QmcSection.properties,
    proxies: { state: true },
    apps: { state: true },
    proxy: { state: true },
    app: { state: true },
    report: { state: true },
    proposal: { state: true },
  };
  declare proxies: string[];
  declare apps: Array<{ id: string; name: string }>;
  declare proxy: string;
  declare app: string;
  declare report: DoctorReport | undefined;
  declare proposal: ProposedFix[] | undefined;

  constructor() {
    super();
    this.proxies = [];
    this.apps = [];
    this.proxy = "";
    this.app = "";
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load() {
    const [proxies, apps] = await Promise.all([
      this.api.section<Array<{ prefix: string; anonymousAccess?: string }>>("virtualProxies"),
      this.api.section<Array<{ id: string; name: string }>>("apps").catch(() => ({ value: [], version: "" })),
    ]);
    this.proxies = (proxies.value ?? []).map((p) => p.prefix);
    this.apps = apps.value ?? [];
    // The first proxy that is meant for anonymous visitors, else the first one.
    this.proxy =
      (proxies.value ?? []).find((p) => p.anonymousAccess && p.anonymousAccess !== "none")?.prefix ??
      this.proxies[0] ??
      "";
    this.app = this.apps[0]?.id ?? "";
  }

  private async check() {
    this.proposal = undefined;
    this.succeeded = false;
    this.failure = undefined;
    this.report = await this.api.post<DoctorReport>("/doctor", { proxy: this.proxy, app: this.app });
  }

  private async propose() {
    const answer = await this.api.post<{ report: DoctorReport; changes: ProposedFix[] }>("/doctor/fix", {
      proxy: this.proxy,
      app: this.app,
    });
    this.report = answer.report;
    this.proposal = answer.changes;
  }

  private async applyFix() {
    const changes = this.proposal ?? [];
    const ok = await this.change(async () => {
      for (const change of changes)
        await this.api.putSection(change.section, change.value, `"${change.version}"`);
    });
    if (ok) {
      this.proposal = undefined;
      this.report = await this.api.post<DoctorReport>("/doctor", { proxy: this.proxy, app: this.app });
      this.succeeded = true;
    }
  }

  override render() {
    const label = (prefix: string) => (prefix === "" ? this.t("defaultProxy") : prefix);
    return html`<h2>${this.t("anonymousCheck")}</h2>
      <form class="panel" @submit=${onSubmit(() => this.check())}>
        <div class="row">
          <div class="field">
            <label for="check-proxy">${this.t("proxy")}</label>
            <select id="check-proxy" @change=${(e: Event) => (this.proxy = (e.target as HTMLSelectElement).value)}>
              ${this.proxies.map((p) => html`<option value=${p} ?selected=${p === this.proxy}>${label(p)}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="check-app">${this.t("app")}</label>
            <select id="check-app" @change=${(e: Event) => (this.app = (e.target as HTMLSelectElement).value)}>
              ${this.apps.map((a) => html`<option value=${a.id} ?selected=${a.id === this.app}>${a.name}</option>`)}
            </select>
          </div>
          <button class="button primary" type="submit">${this.t("check")}</button>
        </div>
      </form>
      ${this.report ? this.renderReport(this.report) : nothing}`;
  }

  private renderReport(report: DoctorReport) {
    return html`<section class="panel" aria-label=${this.t("anonymousCheck")}>
      ${report.ok ? html`<p class="success" role="status">${this.t("allPass")}</p>` : nothing}
      <table>
        <thead>
          <tr>
            <th scope="col">${this.t("requirement")}</th>
            <th scope="col">${this.t("result")}</th>
            <th scope="col">${this.t("securityRules")}</th>
          </tr>
        </thead>
        <tbody>
          ${report.checks.map(
            (check) => html`<tr data-check=${check.id}>
              <td><strong>${this.requirement(check)}</strong><br /><span class="note">${check.detail}</span>
                ${check.fix ? html`<br /><span class="note">${this.t("fix")}: ${check.fix}</span>` : nothing}</td>
              <td><span class=${`badge ${check.ok ? "pass" : "fail"}`}>${check.ok ? this.t("pass") : this.t("fail")}</span></td>
              <td>${check.rules.join(", ")}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${
        report.ok || !this.session.rights.virtualProxies?.update
          ? nothing
          : html`<div class="action-bar">
              <button class="button primary" type="button" @click=${() => void this.propose()}>${this.t("fix")}</button>
              ${this.outcome()}
            </div>`
      }
      ${report.ok ? this.outcome() : nothing} ${this.proposal ? this.renderProposal(this.proposal) : nothing}
    </section>`;
  }

  /** A requirement in the console's words; one it does not know (a newer server's) in the server's. */
  private requirement(check: DoctorCheck): string {
    return (CHECK_IDS as readonly string[]).includes(check.id)
      ? this.t(`check_${check.id as (typeof CHECK_IDS)[number]}`)
      : check.title;
  }

  private renderProposal(changes: ProposedFix[]) {
    return html`<div class="panel" role="region" aria-label=${this.t("proposedChanges")}>
      <h3>${this.t("proposedChanges")}</h3>
      ${
        changes.length === 0
          ? html`<p class="note">${this.t("none")}</p>`
          : html`<ul>
              ${changes.map((change) => html`<li><strong>${change.section}</strong>: ${change.summary}</li>`)}
            </ul>
            <button class="button primary" type="button" @click=${() => void this.applyFix()}>
              ${this.t("applyFix")}
            </button>`
      }
    </div>`;
  }
}
