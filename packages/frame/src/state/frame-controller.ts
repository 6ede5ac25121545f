import {
  type AppDetail,
  type ExportResult,
  FIELD_PAGE_SIZE,
  type FieldStatesResult,
  type FrameEvent,
  type FrameOption,
  type HubResponse,
  type HypercubeResult,
  objectQuery,
  PROTOCOL_VERSION,
  type QueryResult,
  type Selections,
  type SelectionValue,
  type SessionResponse,
  type SessionUser,
  type SheetDef,
  type SheetObjectDef,
  type SheetSummary,
  type SortRequest,
  TABLE_PAGE_SIZE,
  type Theme,
  type TicketReason,
  type ViewKind,
  withTimeout,
} from "@portico/protocol";
import type { ApiClient, FirstView } from "../api/api-client.js";
import { FrameError, toFrameError } from "../errors/frame-error.js";
import { InactivityTimer } from "../session/inactivity-timer.js";
import type { SessionStore } from "../session/session-store.js";

/** How long the frame waits for the host's `getTicket()`. */
export const TICKET_TIMEOUT_MS = 15_000;
/** Rows per table page; values a filter pane list box asks for (the server's first results use the same). */
export { FIELD_PAGE_SIZE, TABLE_PAGE_SIZE };

export type FrameStatus = "loading" | "ready" | "error";

/** The host side as the frame uses it: penpal's remote proxy of `HostMethods`. */
export type HostConnection = {
  getTicket(reason: TicketReason): Promise<unknown>;
  emit(event: FrameEvent): Promise<unknown> | unknown;
};

export interface FrameControllerOptions {
  api: ApiClient;
  session: SessionStore;
  view: ViewKind;
  app?: string;
  sheet?: string;
  object?: string;
  selections?: Selections;
  options?: FrameOption[];
  anonymousAccess?: "none" | "allow" | "always";
  /** The pinned host page origin, sent along when redeeming tickets (they are bound to it). */
  hostOrigin?: string;
  /** Default inactivity timeout before the first session tells the real one. */
  inactivityTimeoutMs?: number;
}

type TableState = { sort?: SortRequest; offset: number };

/**
 * The frame's state and behaviour, independent of rendering: session, app, current sheet, selections,
 * query results. Components read it and call its methods; the RPC endpoint calls the same methods, so the
 * host and the visitor drive one model. Listeners get a `change` event after every state change.
 */
export class FrameController extends EventTarget {
  status: FrameStatus = "loading";
  error: FrameError | undefined;
  app: AppDetail | undefined;
  hub: HubResponse | undefined;
  sheetId: string | undefined;
  selections: Selections = {};
  readonly results = new Map<string, QueryResult | FrameError>();
  readonly tables = new Map<string, TableState>();
  readonly options: ReadonlySet<FrameOption>;
  view: ViewKind;
  /** Set while the session is about to end for inactivity (the UI offers to continue). */
  expiringAt: Date | undefined;

  readonly #api: ApiClient;
  readonly #session: SessionStore;
  readonly #objectParam: string | undefined;
  readonly #anonymousAccess: "none" | "allow" | "always";
  readonly #hostOrigin: string | undefined;
  #host: HostConnection | undefined;
  #timer: InactivityTimer | undefined;
  #timeoutMs: number;
  #recovering: Promise<void> | undefined;
  #expired = false;
  #generation = 0;
  #readySent = false;
  /** The sheet the host last heard about in `sheetChanged`. */
  #announcedSheet: string | undefined;

  constructor(options: FrameControllerOptions) {
    super();
    this.#api = options.api;
    this.#session = options.session;
    this.view = options.view;
    this.#objectParam = options.object;
    this.sheetId = options.sheet;
    this.selections = { ...(options.selections ?? {}) };
    this.options = new Set(options.options ?? []);
    this.#anonymousAccess = options.anonymousAccess ?? "none";
    this.#hostOrigin = options.hostOrigin;
    this.#timeoutMs = options.inactivityTimeoutMs ?? 30 * 60_000;
    this.#appId = options.app;
  }

  #appId: string | undefined;
  /**
   * Completed data loads (each one dispatches `loaded`). The UI loads after `ready`, so its first load may
   * have completed before the UI listens: the UI checks this when it binds.
   */
  dataLoads = 0;
  /** The app that came with the last session (see `#acquireSession`), used once by `#loadLayout`. */
  #prefetchedApp: AppDetail | undefined;
  /**
   * Query results that came with the last session, by their request (JSON): a query asks the server only
   * when the same request was not answered ahead. Emptied once the view's first data load has used them.
   */
  #prefetchedResults = new Map<string, QueryResult>();

  get appId(): string | undefined {
    return this.#appId;
  }

  get user(): SessionUser | undefined {
    return this.#session.current?.user;
  }

  /** On an `allow` proxy an anonymous visitor may switch to an account (DESIGN §2). */
  get anonymousAccess(): "none" | "allow" | "always" {
    return this.#anonymousAccess;
  }

  get sheet(): SheetDef | undefined {
    return this.app?.sheets.find((s) => s.id === this.sheetId);
  }

  /** The objects on screen: the sheet's, or the single object of an object view. */
  get objects(): SheetObjectDef[] {
    if (this.view === "object") {
      const found = this.#findObject(this.#objectParam ?? "");
      return found ? [found] : [];
    }
    return this.sheet?.objects ?? [];
  }

  attachHost(host: HostConnection | undefined): void {
    this.#host = host;
  }

  /** Sends an event to the host (if any) and to local listeners (`frame-event`). */
  emit(event: FrameEvent): void {
    this.dispatchEvent(new CustomEvent<FrameEvent>("frame-event", { detail: event }));
    if (!this.#host) return;
    try {
      const sent = this.#host.emit(event);
      if (sent instanceof Promise) sent.catch(() => undefined);
    } catch {
      // A host that went away must not break the frame.
    }
  }

  /**
   * Loads session, app and view; failures end on an error screen and an `error` event. `ready` goes out
   * once the session and the app are in and the view is laid out (the RPC methods work from then on); the
   * objects' data follows, and the UI sends `rendered` when it has painted.
   */
  async start(): Promise<void> {
    this.#setStatus("loading");
    let sheetShown: boolean;
    try {
      // With a host, or on an anonymous-only proxy, there is no cookie session worth trying first: get a
      // session straight away (one round trip less before the first chart).
      const direct = this.#host !== undefined || this.#anonymousAccess === "always";
      if (direct && !this.#session.token) await this.#acquireSession("initial");
      else if (this.#session.current) this.#startTimer(this.#session.current.inactivityTimeoutMs);
      try {
        sheetShown = await this.#loadLayout();
        this.#timer?.touch();
      } catch (error) {
        // A stale stored token, or a first-party visit without a cookie session: get one quietly; this
        // is a first load, not a recovery, so no sessionExpired/sessionRecovered events.
        if (!isSessionError(toFrameError(error))) throw error;
        this.#session.clear();
        await this.#acquireSession("initial");
        sheetShown = await this.#loadLayout();
      }
      this.#setStatus("ready");
      if (!this.#readySent) {
        this.#readySent = true;
        this.emit({
          type: "ready",
          protocolVersion: PROTOCOL_VERSION,
          user: this.user ?? { userDirectory: "", userId: "", anonymous: true },
          view: this.view,
          ...(this.#appId ? { app: this.#appId } : {}),
          ...(this.sheetId ? { sheet: this.sheetId } : {}),
        });
      }
    } catch (error) {
      this.fail(error);
      return;
    }
    try {
      // A session that lapsed in between recovers like any other request's (a newer refresh, e.g. the
      // host's first select(), supersedes this one).
      await this.#withSession(() => this.#loadData(sheetShown));
    } catch (error) {
      if (this.status !== "error") this.fail(error);
    }
  }

  /** Redeems a host-provided ticket, replacing the session, and reloads the view under the new identity. */
  async authenticate(ticket: string): Promise<SessionUser> {
    const response = await this.#api.createSession(ticket, this.#hostOrigin);
    this.#setSession(response);
    this.#expired = false;
    await this.start();
    if (this.error) throw this.error;
    return response.user;
  }

  /**
   * The visitor's in-frame login (local user directory): replaces the session, reloads the view under the
   * new identity, then tells the host with `sessionChanged` so the page's other embeds follow this session.
   */
  async logIn(userId: string, password: string): Promise<SessionUser> {
    const response = await this.#api.login(userId, password, this.#hostOrigin);
    this.#setSession(response);
    this.#expired = false;
    await this.start();
    if (this.error) throw this.error;
    this.emit({ type: "sessionChanged", user: response.user });
    return response.user;
  }

  async createJoinTicket(): Promise<string> {
    const { ticket } = await this.#withSession(() => this.#api.joinTicket(this.#hostOrigin));
    return ticket;
  }

  getSheets(): SheetSummary[] {
    return (this.app?.sheets ?? []).map((s) => ({
      id: s.id,
      title: s.title,
      ...(s.description ? { description: s.description } : {}),
    }));
  }

  async openSheet(sheetId: string): Promise<void> {
    const sheet = this.app?.sheets.find((s) => s.id === sheetId);
    if (!sheet) throw new FrameError("NOT_FOUND", `There is no sheet "${sheetId}" in this app`);
    this.view = "sheet";
    this.sheetId = this.#announcedSheet = sheetId;
    this.results.clear();
    this.tables.clear();
    this.#changed();
    this.emit({ type: "sheetChanged", sheet: sheet.id, title: sheet.title });
    void this.#beacon("sheetView");
    await this.#withSession(() => this.#refresh());
  }

  /** Opens an app's sheet in place (from the hub view inside an embed). */
  async openApp(appId: string, sheetId?: string): Promise<void> {
    this.#appId = appId;
    this.view = "sheet";
    this.sheetId = sheetId;
    this.app = undefined;
    this.selections = {};
    this.results.clear();
    this.tables.clear();
    this.#setStatus("loading");
    try {
      await this.#withSession(() => this.#loadView());
      this.#setStatus("ready");
    } catch (error) {
      this.fail(error);
    }
  }

  /** An app's details (the hub lists its sheets). */
  loadAppDetail(appId: string): Promise<AppDetail> {
    return this.#withSession(() => this.#api.app(appId));
  }

  async select(field: string, values: SelectionValue[]): Promise<Selections> {
    const next = { ...this.selections };
    if (values.length === 0) delete next[field];
    else next[field] = [...new Set(values)];
    return this.#applySelections(next);
  }

  /** Adds or removes one value of a field's selection (a click on a bar, slice, point or list row). */
  async toggle(field: string, value: SelectionValue): Promise<Selections> {
    const current = this.selections[field] ?? [];
    const values = current.includes(value) ? current.filter((v) => v !== value) : [...current, value];
    return this.select(field, values);
  }

  async clearSelections(field?: string): Promise<Selections> {
    if (field === undefined) return this.#applySelections({});
    return this.select(field, []);
  }

  /** Fresh data for one object under the current selections. */
  async getData(objectId: string): Promise<QueryResult> {
    const object = this.#findObject(objectId);
    if (!object || !this.#appId) throw new FrameError("OBJECT_NOT_FOUND", `There is no object "${objectId}"`);
    const field = object.type === "filterpane" ? object.fields?.[0] : undefined;
    return this.#withSession(() => this.#queryObject(object, field));
  }

  async exportData(objectId: string): Promise<ExportResult> {
    const object = this.#findObject(objectId);
    const appId = this.#appId;
    if (!object || !appId) throw new FrameError("OBJECT_NOT_FOUND", `There is no object "${objectId}"`);
    if (object.type === "filterpane" || object.type === "text")
      throw new FrameError("BAD_REQUEST", `Object "${objectId}" has no table data to export`);
    const content = await this.#withSession(() => this.#api.exportCsv(appId, object.id, this.selections));
    void this.#beacon("export", object.id);
    return {
      filename: `${safeName(object.title ?? object.id)}.csv`,
      mimeType: "text/csv;charset=utf-8",
      content,
    };
  }

  /** Sorting and paging of a table object; re-queries only that object. */
  async setTable(objectId: string, state: TableState): Promise<void> {
    this.tables.set(objectId, state);
    const object = this.#findObject(objectId);
    if (!object) return;
    const result = await this.#withSession(() => this.#queryObject(object)).catch(toFrameError);
    this.results.set(objectId, result);
    this.#changed();
  }

  /** The visitor chose to continue: any request counts as activity on the server. */
  async keepAlive(): Promise<void> {
    this.expiringAt = undefined;
    this.#changed();
    if (this.#expired) {
      await this.#recover();
      return;
    }
    await this.#withSession(() => this.#refresh());
  }

  /** What "Try again" does; the page replaces it when the failure happened before the controller ran. */
  retryHandler: (() => Promise<void>) | undefined;

  /** Retry after an error screen (server unreachable, say). */
  async retry(): Promise<void> {
    if (this.retryHandler) return this.retryHandler();
    this.error = undefined;
    await this.start();
  }

  /** Stops timers; the controller must not be used afterwards. */
  dispose(): void {
    this.#timer?.stop();
  }

  setThemeAndNotify(theme: Theme): void {
    this.dispatchEvent(new CustomEvent<Theme>("theme", { detail: theme }));
  }

  setLocaleAndNotify(locale: string): void {
    this.dispatchEvent(new CustomEvent<string>("locale", { detail: locale }));
  }

  // ---- internals ----

  async #applySelections(next: Selections): Promise<Selections> {
    this.selections = next;
    this.#changed();
    this.emit({ type: "selectionsChanged", selections: this.selections });
    await this.#withSession(() => this.#refresh());
    return this.selections;
  }

  /** The view with its data (after a session change, a recovery, an app switch). */
  async #loadView(): Promise<void> {
    await this.#loadData(await this.#loadLayout());
  }

  /**
   * Loads the app (or the hub) and lays out the view: the UI shows the sheet's cards while their queries
   * run. Returns whether a sheet came on screen that the host has not been told about yet.
   */
  async #loadLayout(): Promise<boolean> {
    if (this.view === "hub") {
      this.hub = await this.#api.hub();
      return false;
    }
    const appId = this.#appId;
    if (!appId) throw new FrameError("MISCONFIGURED", "The embed address names no app");
    const prefetched = this.#prefetchedApp;
    this.#prefetchedApp = undefined;
    try {
      this.app = prefetched?.id === appId ? prefetched : await this.#api.app(appId);
    } catch (error) {
      const e = toFrameError(error);
      // The server answers 404 for missing and unreadable apps alike (no existence leak); so do we.
      if (e.code === "NOT_FOUND" || e.code === "FORBIDDEN")
        throw new FrameError("APP_NOT_FOUND", `The app "${appId}" does not exist or may not be opened`);
      throw e;
    }
    if (this.view === "object") {
      if (!this.#findObject(this.#objectParam ?? ""))
        throw new FrameError("OBJECT_NOT_FOUND", `There is no object "${this.#objectParam}" in this app`);
      this.#changed();
      return false;
    }
    const wanted = this.sheetId ?? this.app.sheets[0]?.id;
    const sheet = this.app.sheets.find((s) => s.id === wanted);
    if (!sheet) throw new FrameError("NOT_FOUND", `There is no sheet "${wanted ?? ""}" in this app`);
    const changed = this.#announcedSheet !== sheet.id;
    this.sheetId = this.#announcedSheet = sheet.id;
    if (changed) this.emit({ type: "sheetChanged", sheet: sheet.id, title: sheet.title });
    this.#changed();
    return changed;
  }

  /**
   * The objects' data; then the sheet-view beacon, which must not compete with the first chart's queries,
   * nor with its render (see `afterNextFrame`).
   */
  async #loadData(sheetShown: boolean): Promise<void> {
    if (this.view === "hub") return;
    try {
      await this.#refresh();
    } finally {
      this.#prefetchedResults.clear();
    }
    if (sheetShown) afterNextFrame(() => void this.#beacon("sheetView"));
  }

  /** Queries every object on screen; results of an older generation (superseded selections) are dropped. */
  async #refresh(): Promise<void> {
    const generation = ++this.#generation;
    const jobs: Array<Promise<void>> = [];
    let sessionError: FrameError | undefined;
    for (const object of this.objects) {
      if (object.type === "text") continue;
      const fields = object.type === "filterpane" ? (object.fields ?? []) : [undefined];
      for (const field of fields) {
        const key = resultKey(object.id, field);
        jobs.push(
          this.#queryObject(object, field).then(
            (result) => {
              if (generation === this.#generation) this.results.set(key, result);
            },
            (error: unknown) => {
              const e = toFrameError(error);
              if (isSessionError(e)) sessionError = e;
              else if (generation === this.#generation) this.results.set(key, e);
            },
          ),
        );
      }
    }
    await Promise.all(jobs);
    // A lapsed session fails every object: let the caller recover once instead of showing N errors.
    if (sessionError) throw sessionError;
    if (generation !== this.#generation) return;
    // Objects show their own failure; the host hears about it once per load, not once per object.
    const failed = [...this.results.values()].find((r): r is FrameError => r instanceof FrameError);
    if (failed) this.emit({ type: "error", code: failed.code, message: failed.message });
    this.dataLoads++;
    this.#changed("loaded");
  }

  #queryObject(object: SheetObjectDef, field?: string): Promise<QueryResult> {
    const request = objectQuery(object, field, this.selections, this.tables.get(object.id));
    const key = JSON.stringify(request);
    const prefetched = this.#prefetchedResults.get(key);
    if (prefetched) {
      this.#prefetchedResults.delete(key);
      return Promise.resolve(prefetched);
    }
    return this.#api.query(this.#appId ?? "", request);
  }

  /** Runs a request; when the session has lapsed, gets a new one from the host, restores, and retries once. */
  async #withSession<T>(fn: () => Promise<T>): Promise<T> {
    try {
      const result = await fn();
      this.#timer?.touch();
      return result;
    } catch (error) {
      const e = toFrameError(error);
      if (!isSessionError(e)) throw e;
      await this.#recover();
      return fn();
    }
  }

  #recover(): Promise<void> {
    this.#recovering ??= (async () => {
      try {
        if (!this.#expired) this.emit({ type: "sessionExpired" });
        this.#expired = true;
        this.expiringAt = undefined;
        this.#session.clear();
        try {
          await this.#acquireSession("expired");
        } catch (error) {
          // No new session: say so on screen (a licence denial keeps its own words).
          const e = toFrameError(error);
          const lapsed = [
            "UNAUTHENTICATED",
            "TICKET_TIMEOUT",
            "TICKET_INVALID",
            "TICKET_EXPIRED",
            "TICKET_USED",
          ];
          const shown = lapsed.includes(e.code)
            ? new FrameError("SESSION_EXPIRED", "The session ended and could not be renewed")
            : e;
          this.fail(shown);
          throw shown;
        }
        // Same app, same sheet, same selections: the visitor should not notice more than a blink.
        await this.#loadView();
        this.#expired = false;
        this.emit({
          type: "sessionRecovered",
          ...(this.sheetId ? { sheet: this.sheetId } : {}),
          selections: this.selections,
        });
      } finally {
        this.#recovering = undefined;
      }
    })();
    return this.#recovering;
  }

  async #acquireSession(reason: TicketReason): Promise<void> {
    // The app comes with the session when the view needs one (no existence leak: it is simply absent when
    // it may not be read, and `#loadLayout` then asks `GET /apps/{id}` for the proper answer), and so do
    // the view's first query results (those the session may not read are absent: the query then fails on
    // its own, with its own error).
    const wanted = this.view === "hub" ? undefined : this.#appId;
    const object = this.#objectParam;
    const view: FirstView["view"] =
      this.view === "object"
        ? isViewId(object)
          ? { object, selections: this.selections }
          : undefined
        : this.sheetId === undefined || isViewId(this.sheetId)
          ? { ...(this.sheetId ? { sheet: this.sheetId } : {}), selections: this.selections }
          : undefined;
    const first: FirstView = wanted ? { app: wanted, ...(view ? { view } : {}) } : {};
    let response: SessionResponse;
    if (this.#host) {
      const ticket: unknown = await withTimeout(
        this.#host.getTicket(reason),
        TICKET_TIMEOUT_MS,
        () => new FrameError("TICKET_TIMEOUT", "The host page did not provide a ticket in time"),
      );
      // The host is untrusted input: a ticket is a non-empty string and nothing else.
      if (typeof ticket !== "string" || ticket.length === 0 || ticket.length > 8192)
        throw new FrameError("TICKET_INVALID", "The host page provided no usable ticket");
      response = await this.#requestSession(this.#api.createSession(ticket, this.#hostOrigin, first));
    } else if (this.#anonymousAccess !== "none") {
      // Our own page, no host: an anonymous session in one request (no ticket to bind another origin).
      response = await this.#requestSession(this.#api.anonymousSession(first));
    } else {
      throw new FrameError(reason === "expired" ? "SESSION_EXPIRED" : "UNAUTHENTICATED", "Please log in");
    }
    this.#setSession(response);
    this.#prefetchedApp = response.app?.id === wanted ? response.app : undefined;
    this.#prefetchedResults.clear();
    if (this.#prefetchedApp)
      for (const { request, result } of response.results ?? [])
        this.#prefetchedResults.set(JSON.stringify(request), result);
  }

  /**
   * A session request on its way: listeners hear `session-request` (the page evaluates its UI while the
   * server answers, instead of after).
   */
  #requestSession(request: Promise<SessionResponse>): Promise<SessionResponse> {
    this.dispatchEvent(new Event("session-request"));
    return request;
  }

  #setSession(response: SessionResponse): void {
    const stored = this.#session.set(response);
    this.#startTimer(stored.inactivityTimeoutMs);
  }

  #startTimer(timeoutMs: number): void {
    this.#timeoutMs = timeoutMs > 0 ? timeoutMs : this.#timeoutMs;
    this.#timer?.stop();
    this.#timer = new InactivityTimer({
      timeoutMs: this.#timeoutMs,
      onExpiring: (expiresAt) => {
        this.expiringAt = expiresAt;
        this.#changed();
        this.emit({ type: "sessionExpiring", expiresAt: expiresAt.toISOString() });
      },
      onExpired: () => {
        // Recovery waits for the visitor's next action (or a host call): an idle tab must not keep
        // minting sessions and consuming access passes.
        this.#expired = true;
        this.expiringAt = undefined;
        this.#changed();
        this.emit({ type: "sessionExpired" });
      },
    });
    this.#timer.touch();
  }

  /** Ends on an error screen and tells the host. */
  fail(error: unknown): void {
    this.error = toFrameError(error);
    this.#setStatus("error");
    this.emit({ type: "error", code: this.error.code, message: this.error.message });
  }

  #setStatus(status: FrameStatus): void {
    this.status = status;
    if (status !== "error") this.error = undefined;
    this.#changed();
  }

  #changed(type = "change"): void {
    this.dispatchEvent(new Event("change"));
    if (type !== "change") this.dispatchEvent(new Event(type));
  }

  #findObject(objectId: string): SheetObjectDef | undefined {
    for (const sheet of this.app?.sheets ?? []) {
      const found = sheet.objects.find((o) => o.id === objectId);
      if (found) return found;
    }
    return undefined;
  }

  #beacon(type: "sheetView" | "export", object?: string): Promise<void> {
    if (!this.#appId) return Promise.resolve();
    return this.#api.beacon({
      type,
      app: this.#appId,
      ...(this.sheetId ? { sheet: this.sheetId } : {}),
      ...(object ? { object } : {}),
    });
  }
}

/**
 * Longest wait for a frame before `afterNextFrame` runs its task anyway: a hidden tab or an iframe
 * scrolled out of view gets no animation frames, and a sheet view must still be reported.
 */
const FRAME_WAIT_MS = 100;

/**
 * Runs `task` once, in a task of its own after the next frame has been rendered (the data just set is
 * then on screen), or after `FRAME_WAIT_MS` without a frame. The sheet-view beacon sent from the data's own
 * task cost the first chart 7 ms (median of 35 cold loads): the request's setup on the main thread in the
 * middle of the sheet's render, and its handling on the server while the renderer needs the cores.
 */
function afterNextFrame(task: () => void): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    task();
  };
  const timer = setTimeout(once, FRAME_WAIT_MS);
  if (typeof requestAnimationFrame !== "function") return;
  requestAnimationFrame(() =>
    setTimeout(() => {
      clearTimeout(timer);
      once();
    }, 0),
  );
}

export function resultKey(objectId: string, field?: string): string {
  return field === undefined ? objectId : `${objectId}\u0000${field}`;
}

export function isHypercube(value: unknown): value is HypercubeResult {
  return typeof value === "object" && value !== null && (value as QueryResult).kind === "hypercube";
}

export function isFieldStates(value: unknown): value is FieldStatesResult {
  return typeof value === "object" && value !== null && (value as QueryResult).kind === "field";
}

/**
 * A sheet or object id the session request may name (the server refuses the request otherwise): anything
 * else is left to `#loadLayout`, which says what is wrong with it.
 */
function isViewId(id: string | undefined): id is string {
  return id !== undefined && id.length > 0 && id.length <= 256;
}

function isSessionError(error: FrameError): boolean {
  return (
    error.code === "SESSION_EXPIRED" || error.code === "UNAUTHENTICATED" || error.code === "SESSION_REVOKED"
  );
}

function safeName(text: string): string {
  return text.replace(/[^\p{L}\p{N}._-]+/gu, "-").replace(/^-+|-+$/g, "") || "export";
}
