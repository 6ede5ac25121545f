// ReactiveElement is Lit's component base without the template engine: the shadow DOM here is two fixed
// nodes, and leaving lit-html out keeps the define entry within its size budget.
import { type PropertyValues, ReactiveElement } from "@lit/reactive-element";
import {
  type ErrorCode,
  type ErrorLevel,
  isSelections,
  isTheme,
  type Selections,
  type SessionUser,
  type Theme,
  type ViewKind,
} from "@portico/protocol";
import type { PageUrlMode, ResumeMode } from "./client-options.js";
import { EmbedError, toEmbedError } from "./embed-error.js";
import type { EmbedView } from "./embed-view.js";
import { porticoEmbedStyles } from "./portico-embed.styles.js";
import { type GroupMembership, selectionGroups } from "./selection-group.js";
import { diffSelections, pageChanges, sameSelections } from "./selections-diff.js";
import { sharedClient } from "./shared-client.js";
import { unavailableText } from "./visitor-words.js";

export interface PorticoReadyDetail {
  user: SessionUser;
  view: ViewKind;
  app?: string;
  sheet?: string;
}

export interface PorticoErrorDetail {
  code: ErrorCode;
  message: string;
  /** `warning`: the view goes on without what was dropped (a selection's unknown field or values). */
  level?: ErrorLevel;
  /** The field concerned, for FIELD_NOT_FOUND and VALUE_NOT_FOUND. */
  field?: string;
}

export interface PorticoSelectionsChangedDetail {
  selections: Selections;
}

export type PorticoSessionExpiredDetail = Record<string, never>;

/** Every object of the view has painted (`objects` of them, on `sheet`). */
export interface PorticoRenderedDetail {
  sheet?: string;
  objects: number;
}

/** The session ends for inactivity at `expiresAt` (ISO 8601) unless the visitor acts. */
export interface PorticoSessionExpiringDetail {
  expiresAt: string;
}

/** A new session restored the view after an expiry, with these selections. */
export interface PorticoSessionRecoveredDetail {
  sheet?: string;
  selections: Selections;
}

/** The visitor logged in inside this element's frame; every embed of the page follows that session. */
export interface PorticoSessionChangedDetail {
  user: SessionUser;
}

/** Changing one of these makes a new frame; everything else is applied to the running one over RPC. */
const FRAME_IDENTITY = ["server", "proxy", "app", "object", "view", "autoResize", "selectionGroup"] as const;

/**
 * `<portico-embed server proxy app sheet object view theme locale selections auto-resize>`: a Portico sheet,
 * object or hub in an iframe. Elements on one page with the same server and proxy share one session.
 * Failures are `portico-error` events (and a message in the element when the frame cannot show one).
 */
export class PorticoEmbed extends ReactiveElement {
  static override styles = porticoEmbedStyles;
  /** `element.focus()` (or a label's click) moves the focus into the frame, as it would for an iframe. */
  static override shadowRootOptions: ShadowRootInit = {
    ...ReactiveElement.shadowRootOptions,
    delegatesFocus: true,
  };

  static override properties = {
    server: { type: String },
    proxy: { type: String },
    resume: { type: String },
    pageUrl: { type: String, attribute: "page-url" },
    app: { type: String },
    sheet: { type: String },
    object: { type: String },
    view: { type: String },
    theme: { attribute: "theme", converter: (value: string | null) => value ?? undefined },
    locale: { type: String },
    selections: {
      attribute: "selections",
      converter: parseSelectionsAttribute,
      hasChanged: selectionsChanged,
    },
    autoResize: { type: Boolean, attribute: "auto-resize", reflect: true },
    selectionGroup: { type: String, attribute: "selection-group" },
    label: { type: String },
    errorMessage: { state: true },
  };

  /** The Portico server URL (required), e.g. `https://portico.example.com`. */
  declare server: string | undefined;
  /** The virtual proxy prefix, e.g. `anon`; absent for the default proxy. */
  declare proxy: string | undefined;
  /**
   * Anonymous visitors: `tab` (default), `browser` or `off`: where the page keeps its way back to the
   * visitor's session, so a reload or the site's next page continues it (the first element of a server and
   * proxy decides for the page).
   */
  declare resume: ResumeMode | undefined;
  /** How much of the page's URL the visit log gets: `path` (default), `full`, `origin` or `none`. */
  declare pageUrl: PageUrlMode | undefined;
  /** The app id. */
  declare app: string | undefined;
  /** The sheet to show; changing it switches sheets without a reload. */
  declare sheet: string | undefined;
  /** One object id, for an object view. */
  declare object: string | undefined;
  /** `sheet` (default), `object` or `hub`. */
  declare view: ViewKind | undefined;
  /** `light`, `dark`, or (as a property) `{base, tokens}`; applied live. */
  declare theme: Theme | string | undefined;
  /** A BCP 47 locale; applied live. */
  declare locale: string | undefined;
  /**
   * Selections (attribute: JSON like `{"Year":[2024]}`); applied live. Compared by value: setting an equal
   * object (a framework's re-render) changes nothing, so it never undoes the visitor's own clicks.
   */
  declare selections: Selections | InvalidAttribute | undefined;
  /** Let the element's height follow the content. */
  declare autoResize: boolean;
  /** Embeds of the same app on the page with the same group share selections; none by default. */
  declare selectionGroup: string | undefined;
  /**
   * The iframe's accessible name, what a screen reader says on entering the embed; applied live. Without
   * it (or a `title`), the frame's app or object name once it is ready.
   */
  declare label: string | undefined;
  declare private errorMessage: string | undefined;

  #view: EmbedView | undefined;
  /** The iframe's box and the message shown when the frame cannot load (parts `frame` and `error`). */
  readonly #frame = document.createElement("div");
  readonly #message = document.createElement("p");
  /** Set when the element is attached again after a removal: the next update starts a new frame. */
  #restart = false;
  /** The selections the frame reported last: the base a live `selections` change is diffed against. */
  #frameSelections: Selections = {};
  /** This element's place in its `selection-group`, once its view is ready. */
  #group: GroupMembership | undefined;

  constructor() {
    super();
    this.autoResize = false;
  }

  /** The running view (its RPC methods and events), once the element has started it. */
  get embedView(): EmbedView | undefined {
    return this.#view;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Re-attached after a removal: the old frame was destroyed, start a new one.
    if (this.hasUpdated && !this.#view) {
      this.#restart = true;
      this.requestUpdate();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#leaveGroup();
    this.#view?.destroy();
    this.#view = undefined;
  }

  protected override createRenderRoot(): HTMLElement | DocumentFragment {
    const root = super.createRenderRoot();
    this.#frame.className = "frame";
    this.#frame.setAttribute("part", "frame");
    this.#message.className = "error";
    this.#message.setAttribute("part", "error");
    this.#message.setAttribute("role", "alert");
    this.#message.hidden = true;
    root.append(this.#frame, this.#message);
    return root;
  }

  protected override update(changed: PropertyValues<this>): void {
    super.update(changed);
    this.#message.hidden = !this.errorMessage;
    // The message takes the frame's place: an empty box above it would only push it down.
    this.#frame.hidden = !!this.errorMessage;
    this.#message.textContent = this.errorMessage ?? "";
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!this.isConnected) return;
    // Showing an error message is an update too: it must not start the frame again (and fail again).
    const configChanged = [...changed.keys()].some((key) => key !== "errorMessage");
    if (!this.#view) {
      if (configChanged || this.#restart) this.#start();
      this.#restart = false;
      return;
    }
    if (FRAME_IDENTITY.some((key) => changed.has(key))) {
      this.#start();
      return;
    }
    const view = this.#view;
    if (changed.has("label") && this.label) view.iframe.title = this.label;
    if (changed.has("sheet") && this.sheet) this.#apply(view.openSheet(this.sheet));
    if (changed.has("theme") && this.theme !== undefined) {
      if (isTheme(this.theme)) this.#apply(view.setTheme(this.theme));
      else this.#error(invalid("theme", '"light" or "dark"'));
    }
    if (changed.has("locale") && this.locale) this.#apply(view.setLocale(this.locale));
    if (changed.has("selections")) this.#applySelections(view, changed.get("selections"));
  }

  #start(): void {
    this.#leaveGroup();
    this.#view?.destroy();
    this.#view = undefined;
    this.errorMessage = undefined;
    const container = this.#frame;
    try {
      if (!this.server)
        throw new EmbedError(
          "MISCONFIGURED",
          '<portico-embed>: the "server" attribute is required, e.g. server="https://portico.example.com"',
        );
      if (this.selections instanceof InvalidAttribute) throw this.selections.error;
      if (this.theme !== undefined && !isTheme(this.theme)) throw invalid("theme", '"light" or "dark"');
      const client = sharedClient({
        server: this.server,
        proxy: this.proxy ?? "",
        ...(this.resume ? { resume: this.resume } : {}),
        ...(this.pageUrl ? { pageUrl: this.pageUrl } : {}),
      });
      const view = client.embed(container, {
        app: this.app,
        sheet: this.sheet,
        object: this.object,
        view: this.view,
        selections: this.selections,
        theme: this.theme,
        locale: this.locale || undefined,
        autoResize: this.autoResize,
        title: this.label || this.title || undefined,
      });
      this.#view = view;
      this.#frameSelections = this.selections ?? {};
      view.on("ready", ({ user, view: kind, app, sheet }) => {
        this.#joinGroup(view);
        this.#fire<PorticoReadyDetail>("portico-ready", { user, view: kind, app, sheet });
      });
      view.on("rendered", ({ sheet, objects }) =>
        this.#fire<PorticoRenderedDetail>("portico-rendered", { ...(sheet ? { sheet } : {}), objects }),
      );
      view.on("error", ({ code, message, level, field }) => {
        // The frame shows its own errors; the element only speaks when the frame could not load at all.
        if (view.iframe.hidden) this.errorMessage = this.#visitorText();
        this.#fire<PorticoErrorDetail>("portico-error", {
          code,
          message,
          ...(level ? { level } : {}),
          ...(field ? { field } : {}),
        });
      });
      view.on("selectionsChanged", ({ selections }) => {
        this.#frameSelections = selections;
        this.#group?.report(selections);
        this.#fire<PorticoSelectionsChangedDetail>("portico-selections-changed", { selections });
      });
      view.on("sessionExpiring", ({ expiresAt }) =>
        this.#fire<PorticoSessionExpiringDetail>("portico-session-expiring", { expiresAt }),
      );
      view.on("sessionRecovered", ({ sheet, selections }) => {
        this.#frameSelections = selections;
        this.#fire<PorticoSessionRecoveredDetail>("portico-session-recovered", {
          ...(sheet ? { sheet } : {}),
          selections,
        });
      });
      view.on("sessionExpired", () => this.#fire<PorticoSessionExpiredDetail>("portico-session-expired", {}));
      view.on("sessionChanged", ({ user }) =>
        this.#fire<PorticoSessionChangedDetail>("portico-session-changed", { user }),
      );
    } catch (error) {
      this.#error(toEmbedError(error), true);
    }
  }

  /** A live `selections` change: what the page changed since `previous` (see `pageChanges`). */
  #applySelections(view: EmbedView, previous: unknown): void {
    if (this.selections instanceof InvalidAttribute) {
      this.#error(this.selections.error);
      return;
    }
    const next = this.selections ?? {};
    // After an invalid value there is nothing to compare with: the frame is set to exactly `next`.
    const { select, clear } =
      previous instanceof InvalidAttribute
        ? diffSelections(this.#frameSelections, next)
        : pageChanges((previous as Selections | undefined) ?? {}, next, this.#frameSelections);
    void (async () => {
      for (const field of clear) await this.#applyField(field, view.clearSelections(field));
      for (const [field, values] of select) await this.#applyField(field, view.select(field, values));
    })();
  }

  /** Joins the element's `selection-group` (embeds of the same app and server only). */
  #joinGroup(view: EmbedView): void {
    if (!this.selectionGroup || !this.app || this.#group) return;
    const key = JSON.stringify([this.server, this.proxy ?? "", this.app, this.selectionGroup]);
    this.#group = selectionGroups.join(key, {
      show: async (selections) => {
        const { select, clear } = diffSelections(this.#frameSelections, selections);
        for (const field of clear) await this.#applyField(field, view.clearSelections(field));
        for (const [field, values] of select) await this.#applyField(field, view.select(field, values));
      },
    });
  }

  #leaveGroup(): void {
    this.#group?.leave();
    this.#group = undefined;
  }

  /** One field of a live `selections` change: a failure is that field's alone, the others still apply. */
  async #applyField(field: string, call: Promise<Selections>): Promise<void> {
    try {
      this.#frameSelections = await call;
    } catch (error) {
      const { code, message } = toEmbedError(error);
      if (code !== "DESTROYED") this.#fire<PorticoErrorDetail>("portico-error", { code, message, field });
    }
  }

  #apply(call: Promise<unknown>): void {
    call.catch((error: unknown) => {
      const embedError = toEmbedError(error);
      if (embedError.code !== "DESTROYED") this.#error(embedError);
    });
  }

  /** What a visitor reads when nothing else can be shown, in the element's or the page's language. */
  #visitorText(): string {
    return unavailableText(this.locale || document.documentElement.lang || undefined);
  }

  #error(error: EmbedError, show = false): void {
    if (show) this.errorMessage = this.#visitorText();
    // The element's own findings (no view reported them): the developer's words go to the console here.
    console.error(`[portico] ${error.code}: ${error.message}`);
    this.#fire<PorticoErrorDetail>("portico-error", { code: error.code, message: error.message });
  }

  #fire<T>(type: string, detail: T): void {
    this.dispatchEvent(new CustomEvent<T>(type, { detail, bubbles: true, composed: true }));
  }
}

/** Lit's change test for `selections`: an equal value is no change; an invalid attribute always is (it is reported). */
function selectionsChanged(next: unknown, previous: unknown): boolean {
  if (next instanceof InvalidAttribute || previous instanceof InvalidAttribute) return next !== previous;
  return !sameSelections(previous as Selections | undefined, next as Selections | undefined);
}

/** A `selections` attribute that is not valid JSON selections: kept so the element reports it precisely. */
export class InvalidAttribute {
  constructor(readonly error: EmbedError) {}
}

function invalid(attribute: string, expected: string): EmbedError {
  return new EmbedError("MISCONFIGURED", `<portico-embed>: the "${attribute}" attribute must be ${expected}`);
}

function parseSelectionsAttribute(value: string | null): Selections | InvalidAttribute | undefined {
  if (value === null || value.trim() === "") return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (isSelections(parsed)) return parsed;
  } catch {
    // reported below
  }
  return new InvalidAttribute(
    invalid("selections", 'JSON mapping fields to value lists, e.g. {"Region":["North"]}'),
  );
}
