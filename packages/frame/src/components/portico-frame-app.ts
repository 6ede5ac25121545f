import type { FieldType, Selections, SheetObjectDef } from "@portico/protocol";
import { html, LitElement, nothing } from "lit";
import { toFrameError } from "../errors/frame-error.js";
import { type Formatters, formatters } from "../format/formatters.js";
import { type Translate, translator } from "../i18n/strings.js";
import { type FrameController, resultKey } from "../state/frame-controller.js";
import { sharedStyles } from "../styles/shared-styles.js";
import type { ClearDetail, ExportDetail, SelectDetail, TableChangeDetail } from "./events.js";
import { loadErrorAnnouncements } from "./load-error-announcement.js";
import { frameAppStyles } from "./portico-frame-app.styles.js";
import { selectionAnnouncement } from "./selection-announcement.js";

/**
 * The frame's root: renders the controller's state (loading, error screen, hub list, sheet or single
 * object) and turns the visitor's events into controller calls. Emits `rendered` to the host once every
 * object of a load has painted.
 */
export class PorticoFrameApp extends LitElement {
  static override styles = [sharedStyles, frameAppStyles];
  static override properties = {
    controller: { attribute: false },
    locale: {},
    loginHref: { attribute: "login-href" },
    loggingIn: { state: true },
    announcement: { state: true },
  };

  /** The state and behaviour this element shows. */
  declare controller: FrameController;
  /** BCP 47 locale for strings and numbers. */
  declare locale: string;
  /** Where "Log in" leads on an error screen (first-party visits only). */
  declare loginHref: string | undefined;
  /** The visitor opened the in-frame login form (allow proxies). */
  declare loggingIn: boolean;
  /** What the polite live region says last: a selection change or an object that failed to load. */
  declare announcement: string;

  #fmt: Formatters | undefined;
  #t: Translate | undefined;
  #bound: FrameController | undefined;
  /** The selections and the failed objects the live region has spoken of. */
  #heardSelections: Selections | undefined;
  readonly #heardErrors = new Set<string>();

  constructor() {
    super();
    this.locale = "en";
    this.loggingIn = false;
    this.announcement = "";
    this.addEventListener("portico-select", (e) => this.#run(this.#select(e.detail)));
    this.addEventListener("portico-clear", (e: CustomEvent<ClearDetail>) =>
      this.#run(this.controller.clearSelections(e.detail.field)),
    );
    this.addEventListener("portico-table-change", (e: CustomEvent<TableChangeDetail>) =>
      this.#run(
        this.controller.setTable(e.detail.objectId, {
          offset: e.detail.offset,
          ...(e.detail.sort ? { sort: e.detail.sort } : {}),
        }),
      ),
    );
    this.addEventListener("portico-export", (e: CustomEvent<ExportDetail>) =>
      this.#run(this.#export(e.detail)),
    );
    this.addEventListener("portico-retry", () => this.#run(this.controller.retry()));
    this.addEventListener("portico-open-sheet", (e) =>
      this.#run(this.controller.openApp(e.detail.app, e.detail.sheet)),
    );
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#unbind();
  }

  override willUpdate(): void {
    if (this.controller !== this.#bound) {
      this.#unbind();
      this.#bound = this.controller;
      this.controller?.addEventListener("change", this.#onChange);
      this.controller?.addEventListener("loaded", this.#onLoaded);
      // What the view already shows is not news: only later changes are announced.
      this.#heardSelections = this.controller?.selections;
      // The data may have come before this element existed (the UI script loads after `ready`).
      if (this.controller && this.controller.dataLoads > 0) this.#onLoaded();
    }
    this.#fmt = formatters(this.locale);
    this.#t = translator(this.locale);
    this.toggleAttribute("single", this.controller?.view === "object" && this.controller.status !== "error");
  }

  override firstUpdated(): void {
    // While the view still waits for its data, build the number formats its charts will need (ICU's first
    // load takes tens of milliseconds of main thread), in a task of its own once the loading view is on its
    // way to the screen. When the data came first, the charts would have built them anyway.
    if (this.#loading()) setTimeout(() => (this.#fmt ?? formatters(this.locale)).warm(), 0);
  }

  /** Nothing to show but the loading skeleton. The sheet's cards appear as soon as the app is known, so
   * they are laid out and measured while their data loads, and the charts paint in one pass when it comes. */
  #loading(): boolean {
    const c = this.controller;
    return !c || (c.status === "loading" && c.objects.length === 0 && c.results.size === 0);
  }

  override render() {
    // The live region stays in place across every view, so a change of its text is always announced.
    return html`<div class="sr-only" role="status" aria-live="polite" aria-atomic="true">
        ${this.announcement}
      </div>
      ${this.#view()}`;
  }

  #view() {
    const c = this.controller;
    const t = this.#t ?? translator(this.locale);
    if (!c || this.#loading())
      return html`<div class="loading" aria-busy="true" aria-label=${t("loading")}>
        <div class="skeleton"></div>
        <div class="skeleton"></div>
        <div class="skeleton"></div>
      </div>`;
    if (c.status === "error" && c.error) {
      const code = c.error.code;
      const retryable = code === "UNAVAILABLE" || code === "INTERNAL" || code === "TICKET_TIMEOUT";
      const login = code === "ANONYMOUS_DISABLED" || code === "UNAUTHENTICATED" ? this.loginHref : undefined;
      return html`<portico-error-screen
        .code=${code}
        .t=${t}
        ?retryable=${retryable}
        login-href=${login ?? nothing}
      ></portico-error-screen>`;
    }
    const account = this.#account(c, t);
    if (this.loggingIn)
      return html`${account}<portico-login
          .api=${{ login: (userId: string, password: string) => c.logIn(userId, password) }}
          .t=${t}
          @portico-logged-in=${() => {
            this.loggingIn = false;
          }}
        ></portico-login>`;
    if (c.view === "hub")
      return html`${account}<portico-hub
        .hub=${c.hub}
        .t=${t}
        .loadApp=${(id: string) => c.loadAppDetail(id)}
        embedded
      ></portico-hub>`;
    const fmt = this.#fmt ?? formatters(this.locale);
    const options = c.options;
    const interactive = !options.has("nointeraction");
    const selectable = interactive && !options.has("noselections");
    const fieldTypes: Record<string, FieldType> = {};
    for (const f of c.app?.fields ?? []) fieldTypes[f.name] = f.type;
    return html`${account}${this.#banners(c, t)}
      ${
        options.has("currsel")
          ? html`<div class="top">
            <portico-selections-bar
              .selections=${c.selections}
              .fieldTypes=${fieldTypes}
              .fmt=${fmt}
              .t=${t}
              ?readonly=${!selectable}
            ></portico-selections-bar>
          </div>`
          : nothing
      }
      <portico-sheet
        .objects=${c.objects}
        .resultsFor=${(o: SheetObjectDef) =>
          o.type === "filterpane"
            ? (o.fields ?? []).map((f) => c.results.get(resultKey(o.id, f)))
            : [c.results.get(o.id)]}
        .sortFor=${(id: string) => c.tables.get(id)?.sort}
        .selections=${c.selections}
        .fmt=${fmt}
        .t=${t}
        .selectable=${selectable}
        ?nointeraction=${!interactive}
        ?ctxmenu=${options.has("ctxmenu")}
        ?single=${c.view === "object"}
      ></portico-sheet>`;
  }

  /** Notices over the top of the view: the server is unreachable (with "Retry"), the session ends soon. */
  #banners(c: FrameController, t: Translate) {
    if (!c.offline && !c.expiringAt) return nothing;
    return html`<div class="banners">
      ${
        c.offline
          ? html`<div class="banner offline" role="alert">
              <span>${t("offline")}</span>
              <button class="button" @click=${() => this.#run(c.retryNow())}>${t("retryNow")}</button>
            </div>`
          : nothing
      }
      ${
        c.expiringAt
          ? html`<div class="banner" role="status">
              <span>${t("sessionExpiring")}</span>
              <button class="button" @click=${() => this.#run(c.keepAlive())}>${t("stayConnected")}</button>
            </div>`
          : nothing
      }
    </div>`;
  }

  /**
   * Who is signed in, on `allow` proxies only (the one place a visitor can switch): an anonymous visitor
   * gets "Log in", whose session then replaces the anonymous one in every embed on the page.
   */
  #account(c: FrameController, t: Translate) {
    const user = c.user;
    if (c.anonymousAccess !== "allow" || !user) return nothing;
    if (!user.anonymous)
      return html`<div class="account"><span>${t("loggedInAs", { user: user.name ?? user.userId })}</span></div>`;
    return html`<div class="account">
      <span>${t("anonymous")}</span>
      ${
        this.loggingIn
          ? nothing
          : html`<button class="button" @click=${() => {
              this.loggingIn = true;
            }}>${t("logIn")}</button>`
      }
    </div>`;
  }

  #onChange = () => {
    this.#announce();
    this.requestUpdate();
  };

  /** Puts what changed for a screen reader into the live region: new selections, objects that failed. */
  #announce(): void {
    const c = this.controller;
    if (!c) return;
    const t = this.#t ?? translator(this.locale);
    const said: string[] = [];
    const selections = c.selections;
    // The first selections (the view's own, from the URL or the host) are part of the view, not news.
    if (this.#heardSelections && c.status !== "loading") {
      const fieldTypes: Record<string, FieldType> = {};
      for (const f of c.app?.fields ?? []) fieldTypes[f.name] = f.type;
      const fmt = this.#fmt ?? formatters(this.locale);
      const words = selectionAnnouncement(t, fmt, fieldTypes, this.#heardSelections, selections);
      if (words) said.push(words);
    }
    this.#heardSelections = selections;
    said.push(...loadErrorAnnouncements(t, c.objects, c.results, this.#heardErrors));
    if (said.length > 0) this.announcement = said.join(". ");
  }

  /** After the data of a load is in: wait for every object to paint, then tell the host. */
  #onLoaded = () => {
    void this.#afterPaint().then(() => {
      const c = this.controller;
      if (c.status === "error") return;
      c.emit({
        type: "rendered",
        ...(c.view === "sheet" && c.sheetId ? { sheet: c.sheetId } : {}),
        objects: c.objects.length,
      });
    });
  };

  async #afterPaint(): Promise<void> {
    await this.updateComplete;
    const sheet = this.renderRoot.querySelector("portico-sheet");
    if (sheet) {
      await sheet.updateComplete;
      // Objects size themselves on the next frame (ResizeObserver), then render their charts.
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const objects = [...sheet.renderRoot.querySelectorAll("portico-object")];
      await Promise.all(objects.map((o) => o.updateComplete));
    }
  }

  #select(detail: SelectDetail): Promise<unknown> {
    return this.controller.toggle(detail.field, detail.value);
  }

  async #export(detail: ExportDetail): Promise<void> {
    const file = await this.controller.exportData(detail.objectId);
    const url = URL.createObjectURL(new Blob([file.content], { type: file.mimeType }));
    const a = document.createElement("a");
    a.href = url;
    a.download = file.filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  /** Failures of visitor actions become `error` events; the UI already shows per-object errors. */
  #run(promise: Promise<unknown>): void {
    promise.catch((error: unknown) => {
      const e = toFrameError(error);
      this.controller.emit({ type: "error", code: e.code, message: e.message });
    });
  }

  #unbind(): void {
    this.#bound?.removeEventListener("change", this.#onChange);
    this.#bound?.removeEventListener("loaded", this.#onLoaded);
    this.#bound = undefined;
  }
}
