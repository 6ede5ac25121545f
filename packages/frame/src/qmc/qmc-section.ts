import { html, LitElement, nothing, type TemplateResult } from "lit";
import { sharedStyles } from "../styles/shared-styles.js";
import { type ConsoleApi, ConsoleApiError, type ConsoleIssue, type ConsoleSessionView } from "./qmc-api.js";
import { formatNumber, formatTime } from "./qmc-format.js";
import type { QmcTranslate } from "./qmc-strings.js";
import { qmcStyles } from "./qmc-styles.js";

/**
 * What every console section shares: the API, the words, the user's rights, and the outcome of the last
 * Apply (the "Successfully updated" line, or the server's message and its path-precise issues, each shown
 * next to the field its path names).
 */
export class QmcSection extends LitElement {
  static override styles = [sharedStyles, qmcStyles];
  static override properties = {
    api: { attribute: false },
    t: { attribute: false },
    session: { attribute: false },
    succeeded: { state: true },
    failure: { state: true },
  };

  /** The admin API client of the console. */
  declare api: ConsoleApi;
  /** The console's words. */
  declare t: QmcTranslate;
  /** Who is signed in and what they may do. */
  declare session: ConsoleSessionView;
  /** True right after a successful Apply. */
  declare succeeded: boolean;
  /** The last refusal, with its issues. */
  declare failure: ConsoleApiError | undefined;

  constructor() {
    super();
    this.succeeded = false;
  }

  /** The server's check of a security rule's condition while it is typed (one function, so lit sees no change). */
  protected readonly checkRuleCondition = (condition: string) =>
    this.api.checkCondition(condition, "security");
  /** The same for a licence rule's condition (checked under the right to read licence rules). */
  protected readonly checkLicenseCondition = (condition: string) =>
    this.api.checkCondition(condition, "license");

  /** A time the server sent, in the console's locale. */
  protected time(iso: unknown): string {
    return formatTime(this.t.locale, iso);
  }

  /** A count or amount, in the console's locale. */
  protected number(value: unknown): string {
    return formatNumber(this.t.locale, value);
  }

  /** Whether the user may change `section` (`update` in the qmc context). */
  protected mayUpdate(section: string): boolean {
    return this.session?.rights[section]?.update === true;
  }

  /** Runs a change; records "Successfully updated" or the refusal. True on success. */
  protected async change(run: () => Promise<unknown>): Promise<boolean> {
    this.succeeded = false;
    this.failure = undefined;
    try {
      await run();
      this.succeeded = true;
      return true;
    } catch (error) {
      this.failure =
        error instanceof ConsoleApiError ? error : new ConsoleApiError(0, "INTERNAL", String(error), []);
      return false;
    }
  }

  /** The issues of the last refusal at `path` or below it. */
  protected issuesAt(path: string): ConsoleIssue[] {
    return (this.failure?.issues ?? []).filter(
      (issue) =>
        issue.path === path || issue.path.startsWith(`${path}.`) || issue.path.startsWith(`${path}[`),
    );
  }

  /** The server's messages for a field, placed under it (`id` names it for `aria-describedby`). */
  protected fieldError(path: string, id: string): TemplateResult | typeof nothing {
    const issues = this.issuesAt(path);
    if (issues.length === 0) return nothing;
    return html`<pre class="field-error" id=${id} role="alert">${issues
      .map((issue) => `${issue.path}: ${issue.message}`)
      .join("\n")}</pre>`;
  }

  /** The outcome line of the action bar. */
  protected outcome(): TemplateResult | typeof nothing {
    if (this.succeeded)
      return html`<p class="success" role="status">${this.t("successfullyUpdated")}
        <span class="note">${this.t("appliedLive")}</span></p>`;
    if (this.failure) {
      // With issues, each is shown at its field; the bar says only that the change was refused.
      const message =
        this.failure.code === "VERSION_CONFLICT"
          ? this.t("changedSinceOpened")
          : this.failure.issues.length > 0
            ? `${this.failure.message.split("\n")[0]} ${this.failure.issues.map((i) => i.path).join(", ")}`
            : this.failure.message;
      return html`<p class="error" role="alert">${message}</p>`;
    }
    return nothing;
  }

  /**
   * An editor's action bar: the submit button (*Apply* unless named), the section's own buttons, *Delete*
   * for an item that exists (`onDelete`), *Back*, then the outcome of the last change. A user who may not
   * change the section gets only *Back*.
   */
  protected actionBar(o: {
    readOnly: boolean;
    submit?: string;
    extra?: TemplateResult | typeof nothing;
    onDelete?: (() => unknown) | undefined;
    onBack: () => unknown;
  }): TemplateResult {
    return html`<div class="action-bar">
      ${o.readOnly ? nothing : html`<button class="button primary" type="submit">${o.submit ?? this.t("apply")}</button>`}
      ${o.readOnly ? nothing : (o.extra ?? nothing)}
      ${
        o.readOnly || !o.onDelete
          ? nothing
          : html`<button class="button" type="button" @click=${o.onDelete}>${this.t("delete")}</button>`
      }
      <button class="button" type="button" @click=${o.onBack}>${this.t("back")}</button>
      ${this.outcome()}
    </div>`;
  }

  protected readOnlyNote(section: string): TemplateResult | typeof nothing {
    return this.mayUpdate(section) ? nothing : html`<p class="note" role="note">${this.t("readOnly")}</p>`;
  }
}

/** A form's submit handler: no navigation, then `run`. */
export function onSubmit(run: () => unknown): (event: Event) => void {
  return (event) => {
    event.preventDefault();
    void run();
  };
}
