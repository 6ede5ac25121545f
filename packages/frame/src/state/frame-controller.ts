import type {
  AppDetail,
  ExportResult,
  FrameEvent,
  FrameOption,
  HubResponse,
  QueryResult,
  Selections,
  SelectionValue,
  SessionUser,
  SheetObjectDef,
  SheetSummary,
  TableView,
  Theme,
  ViewKind,
} from "@portico/protocol";
import { type FrameError, toFrameError } from "../errors/frame-error.js";
import { createFrameParts, type FrameParts, type FramePartsOptions } from "./frame-parts.js";
import type { HostConnection } from "./host-bridge.js";

export type { HostConnection } from "./host-bridge.js";
export { isFieldStates, isHypercube, resultKey } from "./query-scheduler.js";

export type FrameStatus = "loading" | "ready" | "error";

export interface FrameControllerOptions extends FramePartsOptions {
  options?: FrameOption[];
}

/**
 * The frame's one model as the components and the RPC endpoint use it, so the host and the visitor drive
 * the same state: a facade over the parts of `frame-parts.ts` (session keeper, view loader, query
 * scheduler, selection guard, outage watcher, host bridge). Listeners get `change` after every state
 * change and `loaded` after each data load.
 */
export class FrameController extends EventTarget {
  status: FrameStatus = "loading";
  error: FrameError | undefined;
  readonly options: ReadonlySet<FrameOption>;
  /** On an `allow` proxy an anonymous visitor may switch to an account. */
  readonly anonymousAccess: "none" | "allow" | "always";
  /** Each object's result or error, by `resultKey`. */
  readonly results: Map<string, QueryResult | FrameError>;
  /** Each table's paging and sorting. */
  readonly tables: Map<string, TableView>;
  /**
   * Completed data loads (each one dispatches `loaded`). The UI loads after `ready`, so its first load may
   * have completed before the UI listens: the UI checks this when it binds.
   */
  dataLoads = 0;
  /** What "Try again" does; the page replaces it when the failure happened before the controller ran. */
  retryHandler: (() => Promise<void>) | undefined;

  readonly #p: FrameParts;

  constructor(options: FrameControllerOptions) {
    super();
    this.anonymousAccess = options.anonymousAccess ?? "none";
    this.options = new Set(options.options ?? []);
    this.#p = createFrameParts(
      { ...options, anonymousAccess: this.anonymousAccess },
      {
        ...{ local: this, changed: () => this.#changed(), emit: (event) => this.emit(event) },
        loaded: (failed) => {
          // Objects show their own failure; the host hears about it once per load, not once per object,
          // and once per outage while the server stays unreachable.
          if (failed && !this.#outageGoesOn(failed))
            this.emit({ type: "error", code: failed.code, message: failed.message });
          this.dataLoads++;
          this.#changed("loaded");
        },
        fail: (error) => this.fail(error),
        sessionRequested: () => this.dispatchEvent(new Event("session-request")),
        failed: () => this.status === "error",
        retry: () => this.retry(),
      },
    );
    this.results = this.#p.queries.results;
    this.tables = this.#p.queries.tables;
  }

  get app(): AppDetail | undefined {
    return this.#p.view.app;
  }
  get hub(): HubResponse | undefined {
    return this.#p.view.hub;
  }
  get view(): ViewKind {
    return this.#p.view.view;
  }
  get sheetId(): string | undefined {
    return this.#p.view.sheetId;
  }
  /** The objects on screen: the sheet's, or the single object of an object view. */
  get objects(): SheetObjectDef[] {
    return this.#p.view.objects;
  }
  get selections(): Selections {
    return this.#p.queries.selections;
  }
  /** Set while the session is about to end for inactivity (the UI offers to continue). */
  get expiringAt(): Date | undefined {
    return this.#p.keeper.expiringAt;
  }
  get user(): SessionUser | undefined {
    return this.#p.keeper.user;
  }
  /** The server could not be reached and has not answered since (the UI offers "Retry"). */
  get offline(): boolean {
    return this.#p.outage.offline;
  }

  attachHost(host: HostConnection | undefined): void {
    this.#p.bridge.attach(host);
  }

  /** How long the host's `getTicket()` may take (the host says in `hello`). */
  setTicketTimeoutMs(ms: number): void {
    this.#p.keeper.setTicketTimeoutMs(ms);
  }

  /** Sends an event to the host (if any) and to local listeners (`frame-event`). */
  emit(event: FrameEvent): void {
    this.#p.bridge.emit(event);
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
      sheetShown = await this.#p.keeper.open(() => this.#p.view.loadLayout());
      this.#setStatus("ready");
      const { appId: app, sheetId: sheet } = this.#p.view;
      // What the host names its iframe with: the object of an object view, else the app (hub: no title).
      const title = this.view === "object" ? this.objects[0]?.title : this.app?.name;
      this.#p.bridge.ready({ user: this.user, view: this.view, app, sheet, title });
    } catch (error) {
      this.fail(error);
      return;
    }
    try {
      // Unknown fields are dropped before the load starts; values are checked beside it.
      const checked = this.#p.guard.checkInitial();
      // A session that lapsed in between recovers like any other request's.
      await this.#p.keeper.run(() => this.#p.view.loadData(sheetShown));
      await checked;
    } catch (error) {
      if (this.status !== "error") this.fail(error);
    }
  }

  /** Redeems a host-provided ticket, replacing the session, and reloads the view under the new identity. */
  async authenticate(ticket: string): Promise<SessionUser> {
    return this.#restart(await this.#p.keeper.redeem(ticket));
  }

  /** The in-frame login; then `sessionChanged`, so the page's other embeds follow this session. */
  async logIn(userId: string, password: string): Promise<SessionUser> {
    const user = await this.#restart(await this.#p.keeper.logIn(userId, password));
    this.emit({ type: "sessionChanged", user });
    return user;
  }

  createJoinTicket(): Promise<string> {
    return this.#p.keeper.joinTicket();
  }

  getSheets(): SheetSummary[] {
    return this.#p.view.getSheets();
  }

  async openSheet(sheetId: string): Promise<void> {
    this.#p.view.openSheet(sheetId);
    this.#p.queries.clear();
    this.#changed();
    await this.#p.keeper.run(() => this.#p.queries.refresh());
  }

  /** Opens an app's sheet in place (from the hub view inside an embed). */
  async openApp(appId: string, sheetId?: string): Promise<void> {
    this.#p.view.switchApp(appId, sheetId);
    this.#p.queries.clear({ selections: true });
    this.#setStatus("loading");
    try {
      await this.#p.keeper.run(() => this.#p.view.loadView());
      this.#setStatus("ready");
    } catch (error) {
      this.fail(error);
    }
  }

  /** An app's details (the hub lists its sheets). */
  loadAppDetail(appId: string): Promise<AppDetail> {
    return this.#p.keeper.run(() => this.#p.view.appDetail(appId));
  }

  /** The host's selection, checked against the app (see `SelectionGuard`). */
  select(field: string, values: SelectionValue[]): Promise<Selections> {
    return this.#p.guard.select(field, values);
  }

  /** Adds or removes one value of a field's selection (a click on a bar, slice, point or list row). */
  toggle(field: string, value: SelectionValue): Promise<Selections> {
    return this.#p.queries.toggle(field, value);
  }

  clearSelections(field?: string): Promise<Selections> {
    return this.#p.queries.clearSelections(field);
  }

  /** Fresh data for one object under the current selections. */
  getData(objectId: string): Promise<QueryResult> {
    return this.#p.queries.getData(objectId);
  }

  async exportData(objectId: string): Promise<ExportResult> {
    const file = await this.#p.queries.exportData(objectId);
    this.#p.bridge.beacon(this.#p.view.visit("export", objectId));
    return file;
  }

  /** Sorting and paging of a table object; re-queries only that object. */
  setTable(objectId: string, state: TableView): Promise<void> {
    return this.#p.queries.setTable(objectId, state);
  }

  /** The visitor chose to continue: any request counts as activity on the server. */
  async keepAlive(): Promise<void> {
    if (await this.#p.keeper.continueSession()) await this.#p.keeper.run(() => this.#p.queries.refresh());
  }

  /** The visitor's "Retry" while the server is unreachable: asks it now instead of at the next probe. */
  retryNow(): Promise<void> {
    return this.#p.outage.retryNow();
  }

  /** Retry after an error screen (server unreachable, say). */
  async retry(): Promise<void> {
    if (this.retryHandler) return this.retryHandler();
    this.error = undefined;
    await this.start();
  }

  /** Stops timers; the controller must not be used afterwards. */
  dispose(): void {
    this.#p.keeper.dispose();
    this.#p.outage.dispose();
  }

  setThemeAndNotify(theme: Theme): void {
    this.dispatchEvent(new CustomEvent<Theme>("theme", { detail: theme }));
  }

  setLocaleAndNotify(locale: string): void {
    this.dispatchEvent(new CustomEvent<string>("locale", { detail: locale }));
  }

  /** Ends on an error screen and tells the host. */
  fail(error: unknown): void {
    this.error = toFrameError(error);
    this.#setStatus("error");
    if (!this.#outageGoesOn(this.error))
      this.emit({ type: "error", code: this.error.code, message: this.error.message });
  }

  /**
   * An unreachable server starts an outage episode (the watcher brings the view back once it answers);
   * true while one was already under way, whose failures the host has heard about.
   */
  #outageGoesOn(error: FrameError): boolean {
    return error.code === "UNAVAILABLE" && !this.#p.outage.unreachable();
  }

  async #restart({ user }: { user: SessionUser }): Promise<SessionUser> {
    await this.start();
    if (this.error) throw this.error;
    return user;
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
}
