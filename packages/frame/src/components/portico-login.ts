import { css, html, LitElement, nothing } from "lit";
import { toFrameError } from "../errors/frame-error.js";
import type { Translate } from "../i18n/strings.js";
import { sharedStyles } from "../styles/shared-styles.js";

const styles = css`
  :host {
    display: grid;
    place-items: center;
    min-height: 70vh;
  }
  form {
    width: min(360px, 100%);
    background: var(--portico-surface);
    border: 1px solid var(--portico-border);
    border-radius: var(--portico-radius-lg);
    box-shadow: var(--portico-shadow);
    padding: 28px;
    display: flex;
    flex-direction: column;
    gap: 14px;
  }
  h1 {
    margin: 0 0 4px;
    font-size: 20px;
  }
  label {
    display: flex;
    flex-direction: column;
    gap: 4px;
    font-size: 13px;
    font-weight: 600;
  }
  input {
    font: inherit;
    font-weight: 400;
    padding: 8px 10px;
    border: 1px solid var(--portico-border-strong);
    border-radius: var(--portico-radius);
    background: var(--portico-bg);
    color: var(--portico-text);
  }
  .error {
    color: var(--portico-danger);
    font-size: 13px;
    margin: 0;
  }
  button {
    padding: 8px 12px;
  }
`;

/** What the form calls: the API client on the login page, the frame controller inside an embed. */
export interface LoginHandler {
  login(userId: string, password: string): Promise<unknown>;
}

/** The login form for `allow` and `none` proxies (local user directory). */
export class PorticoLogin extends LitElement {
  static override styles = [sharedStyles, styles];
  static override properties = {
    api: { attribute: false },
    t: { attribute: false },
    next: {},
    error: { state: true },
    busy: { state: true },
  };

  /** Performs the login; `portico-logged-in` follows its success. */
  declare api: LoginHandler;
  declare t: Translate;
  /** Where to go after logging in: a same-origin path (anything else is ignored). */
  declare next: string;
  declare error: string | undefined;
  declare busy: boolean;

  constructor() {
    super();
    this.next = "";
    this.busy = false;
  }

  override render() {
    return html`<form @submit=${this.#submit} aria-busy=${String(this.busy)}>
      <h1>${this.t("logIn")}</h1>
      <label>${this.t("userName")}<input name="userId" autocomplete="username" required /></label>
      <label
        >${this.t("password")}<input name="password" type="password" autocomplete="current-password" required
      /></label>
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <button class="button primary" type="submit" ?disabled=${this.busy}>${this.t("logIn")}</button>
    </form>`;
  }

  #submit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    this.busy = true;
    this.error = undefined;
    try {
      await this.api.login(String(form.get("userId") ?? ""), String(form.get("password") ?? ""));
      this.dispatchEvent(new CustomEvent("portico-logged-in", { bubbles: true, composed: true }));
    } catch (error) {
      const e = toFrameError(error);
      this.error = e.code === "LOGIN_FAILED" ? this.t("loginFailed") : e.message;
    } finally {
      this.busy = false;
    }
  };
}
