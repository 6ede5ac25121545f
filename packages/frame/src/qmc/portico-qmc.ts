import { css, html, LitElement, nothing, type TemplateResult } from "lit";
import { keyed } from "lit/directives/keyed.js";
import { sharedStyles } from "../styles/shared-styles.js";
import { type ConsoleApi, ConsoleApiError, type ConsoleSessionView } from "./qmc-api.js";
import type { QmcStringKey, QmcTranslate } from "./qmc-strings.js";
import { qmcStyles } from "./qmc-styles.js";

/** The console's sections: route, words, the configuration section whose read right shows it. */
const SECTIONS: Array<{ route: string; label: QmcStringKey; right: string }> = [
  { route: "", label: "start", right: "" },
  { route: "proxies", label: "virtualProxies", right: "virtualProxies" },
  { route: "licenses", label: "licenseManagement", right: "licenses" },
  { route: "streams", label: "streams", right: "streams" },
  { route: "apps", label: "apps", right: "apps" },
  { route: "rules", label: "securityRules", right: "securityRules" },
  { route: "users", label: "usersAndSessions", right: "userDirectories" },
  { route: "visits", label: "visits", right: "visits" },
  { route: "check", label: "anonymousCheck", right: "virtualProxies" },
];

const styles = css`
  :host {
    display: block;
    min-height: 100vh;
    background: var(--portico-bg);
  }
  header {
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 12px;
    flex-wrap: wrap;
    padding: 10px 24px;
    background: var(--portico-surface);
    border-bottom: 1px solid var(--portico-border);
  }
  header h1 {
    font-size: 17px;
    margin: 0;
  }
  .user {
    display: flex;
    gap: 12px;
    align-items: center;
    font-size: 13px;
    color: var(--portico-muted);
  }
  .layout {
    display: grid;
    grid-template-columns: 230px minmax(0, 1fr);
    gap: 24px;
    padding: 20px 24px;
    max-width: 1400px;
    margin: 0 auto;
  }
  nav ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 2px;
  }
  nav a {
    display: block;
    padding: 8px 12px;
    border-radius: var(--portico-radius);
    color: var(--portico-text);
    text-decoration: none;
    font-size: 14px;
  }
  nav a:hover {
    background: var(--portico-hover);
  }
  nav a[aria-current="page"] {
    background: var(--portico-accent);
    color: var(--portico-on-accent);
  }
  @media (max-width: 900px) {
    .layout {
      grid-template-columns: minmax(0, 1fr);
      padding: 12px 16px;
    }
    nav ul {
      flex-direction: row;
      flex-wrap: wrap;
    }
  }
  .sign-in {
    display: grid;
    place-items: center;
    min-height: 80vh;
  }
  .sign-in form {
    width: min(380px, 100%);
  }
  .sign-in h1 {
    font-size: 20px;
    margin: 0 0 16px;
  }
`;

/**
 * The management console at `/{P}/qmc`: the sign-in through the proxy's login, then the start page and the
 * sections the user's `qmc`-context rights show (hash routes, so a reload stays where it was).
 */
export class PorticoQmc extends LitElement {
  static override styles = [sharedStyles, qmcStyles, styles];
  static override properties = {
    api: { attribute: false },
    t: { attribute: false },
    session: { state: true },
    route: { state: true },
    checked: { state: true },
    signInError: { state: true },
    visit: { state: true },
  };

  declare api: ConsoleApi;
  declare t: QmcTranslate;
  declare session: ConsoleSessionView | undefined;
  declare route: string;
  declare checked: boolean;
  declare signInError: string | undefined;
  /** Counts navigations: following a section's link, even the current one's, opens it afresh (its list). */
  declare visit: number;

  private readonly onHash = () => {
    this.route = routeOf(location.hash);
  };

  constructor() {
    super();
    this.route = routeOf(location.hash);
    this.checked = false;
    this.visit = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener("hashchange", this.onHash);
    void this.api
      .session()
      .then((session) => (this.session = session))
      .catch(() => undefined)
      .finally(() => (this.checked = true));
  }

  override disconnectedCallback(): void {
    removeEventListener("hashchange", this.onHash);
    super.disconnectedCallback();
  }

  override updated(): void {
    const title = SECTIONS.find((s) => s.route === this.route)?.label ?? "start";
    document.title = `${this.t(title)} · ${this.t("title")}`;
  }

  override render() {
    if (!this.checked) return html`<p role="status">${this.t("loading")}</p>`;
    if (!this.session) return this.renderSignIn();
    const session = this.session;
    const visible = SECTIONS.filter((s) => s.right === "" || session.rights[s.right]?.read);
    const current = visible.find((s) => s.route === this.route) ?? visible[0];
    return html`<header>
        <h1>${this.t("title")}</h1>
        <div class="user">
          <span>${this.t("signedInAs", { user: session.user.name ?? `${session.user.userDirectory}\\${session.user.userId}` })}</span>
          <button class="button" @click=${() => this.signOut()}>${this.t("signOut")}</button>
        </div>
      </header>
      <div class="layout">
        <nav aria-label=${this.t("title")}>
          <ul>
            ${visible.map(
              (s) => html`<li>
                <a href=${`#/${s.route}`} aria-current=${s === current ? "page" : "false"} @click=${() => this.visit++}>
                  ${this.t(s.label)}
                </a>
              </li>`,
            )}
          </ul>
        </nav>
        <main>${keyed(this.visit, this.renderSection(current?.route ?? ""))}</main>
      </div>`;
  }

  private renderSection(route: string): TemplateResult {
    const p = { api: this.api, t: this.t, session: this.session };
    switch (route) {
      case "proxies":
        return html`<qmc-proxies .api=${p.api} .t=${p.t} .session=${p.session}></qmc-proxies>`;
      case "licenses":
        return html`<qmc-licenses .api=${p.api} .t=${p.t} .session=${p.session}></qmc-licenses>`;
      case "streams":
        return html`<qmc-streams .api=${p.api} .t=${p.t} .session=${p.session}></qmc-streams>`;
      case "apps":
        return html`<qmc-apps .api=${p.api} .t=${p.t} .session=${p.session}></qmc-apps>`;
      case "rules":
        return html`<qmc-rules .api=${p.api} .t=${p.t} .session=${p.session}></qmc-rules>`;
      case "users":
        return html`<qmc-users .api=${p.api} .t=${p.t} .session=${p.session}></qmc-users>`;
      case "visits":
        return html`<qmc-visits .api=${p.api} .t=${p.t} .session=${p.session}></qmc-visits>`;
      case "check":
        return html`<qmc-check .api=${p.api} .t=${p.t} .session=${p.session}></qmc-check>`;
      default:
        return html`<qmc-start .api=${p.api} .t=${p.t} .session=${p.session}></qmc-start>`;
    }
  }

  private renderSignIn() {
    return html`<div class="sign-in">
      <form class="panel" @submit=${this.onSignIn}>
        <h1>${this.t("title")}</h1>
        <div class="field">
          <label for="directory">${this.t("userDirectory")}</label>
          <input id="directory" name="userDirectory" type="text" autocomplete="off" />
        </div>
        <div class="field">
          <label for="user-id">${this.t("userId")}</label>
          <input id="user-id" name="userId" type="text" autocomplete="username" required />
        </div>
        <div class="field">
          <label for="password">${this.t("password")}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required />
        </div>
        ${this.signInError ? html`<p class="error" role="alert">${this.signInError}</p>` : nothing}
        <button class="button primary" type="submit">${this.t("signIn")}</button>
      </form>
    </div>`;
  }

  private readonly onSignIn = (event: Event) => {
    event.preventDefault();
    void this.signIn(event.target as HTMLFormElement);
  };

  private async signIn(form: HTMLFormElement) {
    const data = new FormData(form);
    this.signInError = undefined;
    try {
      this.session = await this.api.signIn(
        String(data.get("userDirectory") ?? "").trim(),
        String(data.get("userId") ?? "").trim(),
        String(data.get("password") ?? ""),
      );
    } catch (error) {
      // The console's own words for what a person can act on; anything else as the server put it.
      const code = error instanceof ConsoleApiError ? error.code : undefined;
      this.signInError =
        code === "LOGIN_FAILED"
          ? this.t("signInFailed")
          : code === "RATE_LIMITED"
            ? this.t("tooManyAttempts")
            : error instanceof ConsoleApiError
              ? error.message
              : String(error);
    }
  }

  private async signOut() {
    await this.api.signOut().catch(() => undefined);
    this.session = undefined;
  }
}

function routeOf(hash: string): string {
  return hash.replace(/^#\/?/, "").split("/")[0] ?? "";
}
