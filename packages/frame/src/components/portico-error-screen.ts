import { css, html, LitElement, nothing } from "lit";
import { errorWords, type Translate } from "../i18n/strings.js";
import { sharedStyles } from "../styles/shared-styles.js";

const styles = css`
  :host {
    display: grid;
    place-items: center;
    min-height: 220px;
    padding: 24px;
  }
  .card {
    max-width: 460px;
    text-align: center;
    background: var(--portico-surface);
    border: 1px solid var(--portico-border);
    border-radius: var(--portico-radius-lg);
    padding: 28px 32px;
    box-shadow: var(--portico-shadow);
  }
  .icon {
    width: 44px;
    height: 44px;
    margin: 0 auto 12px;
    border-radius: 50%;
    display: grid;
    place-items: center;
    background: var(--portico-danger-soft);
    color: var(--portico-danger);
    font-size: 22px;
    font-weight: 700;
  }
  h1 {
    font-size: 18px;
    margin: 0 0 8px;
  }
  p {
    margin: 0 0 12px;
    color: var(--portico-muted);
    line-height: 1.5;
  }
  .code {
    font-size: 12px;
    font-family: ui-monospace, monospace;
  }
  .actions {
    display: flex;
    gap: 8px;
    justify-content: center;
  }
`;

/** A readable screen for a failure that stops the frame: what happened, what to do, the stable code. */
export class PorticoErrorScreen extends LitElement {
  static override styles = [sharedStyles, styles];
  static override properties = {
    code: {},
    t: { attribute: false },
    retryable: { type: Boolean },
    loginHref: { attribute: "login-href" },
  };

  /** The catalogue error code. */
  declare code: string;
  declare t: Translate;
  /** Offer "Try again" (server unreachable and other transient failures). */
  declare retryable: boolean;
  /** Offer "Log in" (anonymous access disabled, first-party visits). */
  declare loginHref: string | undefined;

  constructor() {
    super();
    this.code = "INTERNAL";
    this.retryable = false;
  }

  override render() {
    const words = errorWords(this.t, this.code);
    return html`<div class="card" role="alert" data-code=${this.code}>
      <div class="icon" aria-hidden="true">!</div>
      <h1>${words.title}</h1>
      <p>${words.text}</p>
      <p class="code">${this.t("errorCode", { code: this.code })}</p>
      <div class="actions">
        ${
          this.retryable
            ? html`<button
              class="button primary"
              @click=${() => this.dispatchEvent(new CustomEvent("portico-retry", { bubbles: true, composed: true }))}
            >
              ${this.t("retry")}
            </button>`
            : nothing
        }
        ${this.loginHref ? html`<a class="button primary" href=${this.loginHref}>${this.t("logIn")}</a>` : nothing}
      </div>
    </div>`;
  }
}
