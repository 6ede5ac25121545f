import type {
  AppDetail,
  ExportResult,
  FrameEvent,
  FrameOption,
  HubResponse,
  QueryRequest,
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
import type { ApiClient } from "../api/api-client.js";
import { type FrameError, toFrameError } from "../errors/frame-error.js";
import type { SessionStore } from "../session/session-store.js";
import { HostBridge, type HostConnection } from "./host-bridge.js";
import { OutageWatcher } from "./outage-watcher.js";
import { QueryScheduler } from "./query-scheduler.js";
import { checkSelections, type DroppedSelection, missingValues, unknownField } from "./selection-check.js";
import { SessionKeeper, type SessionKeeperOptions } from "./session-keeper.js";
import { ViewLoader, type ViewLoaderOptions } from "./view-loader.js";

export type { HostConnection } from "./host-bridge.js";
export { isFieldStates, isHypercube, resultKey } from "./query-scheduler.js";

export type FrameStatus = "loading" | "ready" | "error";

export interface FrameControllerOptions
  extends Pick<ViewLoaderOptions, "view" | "app" | "sheet" | "object">,
    Pick<SessionKeeperOptions, "anonymousAccess" | "hostOrigin" | "inactivityTimeoutMs"> {
  api: ApiClient;
  session: SessionStore;
  selections?: Selections;
  options?: FrameOption[];
}

/**
 * The frame's one model as the components and the RPC endpoint use it, so the host and the visitor drive
 * the same state: a facade over the session keeper, the view loader, the query scheduler and the host
 * bridge. Listeners get `change` after every state change and `loaded` after each data load.
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

  readonly #bridge: HostBridge;
  readonly #view: ViewLoader;
  readonly #queries: QueryScheduler;
  readonly #keeper: SessionKeeper;
  readonly #outage: OutageWatcher;
  /** The host's initial selections are checked against the app once, on the first start. */
  #initialChecked = false;

  constructor(options: FrameControllerOptions) {
    super();
    const { api, view, app, sheet, object, selections, hostOrigin, inactivityTimeoutMs } = options;
    this.anonymousAccess = options.anonymousAccess ?? "none";
    this.options = new Set(options.options ?? []);
    const bridge = new HostBridge({ api, local: this });
    this.#bridge = bridge;
    const onChange = () => this.#changed();
    const refresh = () => this.#queries.refresh();
    this.#view = new ViewLoader({ api, bridge, onChange, refresh, view, app, sheet, object });
    this.#queries = new QueryScheduler({
      ...{ api, view: this.#view, run: (fn) => this.#keeper.run(fn), onChange },
      onSelections: (next) => {
        this.#changed();
        this.emit({ type: "selectionsChanged", selections: next });
      },
      onLoaded: (failed) => {
        // Objects show their own failure; the host hears about it once per load, not once per object, and
        // once per outage while the server stays unreachable.
        if (failed && !this.#outageGoesOn(failed))
          this.emit({ type: "error", code: failed.code, message: failed.message });
        this.dataLoads++;
        this.#changed("loaded");
      },
      selections,
    });
    this.results = this.#queries.results;
    this.tables = this.#queries.tables;
    this.#keeper = new SessionKeeper({
      ...{ api, bridge, onChange, store: options.session, anonymousAccess: this.anonymousAccess },
      firstView: () => this.#view.firstView(this.#queries.selections),
      // The app and the first view's results of a new session's answer are used instead of asking again.
      onSession: ({ app, results }) =>
        this.#queries.usePrefetched(this.#view.offerApp(app) ? (results ?? []) : []),
      // The page evaluates its UI while the server answers, instead of after.
      onSessionRequest: () => this.dispatchEvent(new Event("session-request")),
      restore: async () => {
        await this.#view.loadView();
        const sheetId = this.#view.sheetId;
        return { ...(sheetId ? { sheet: sheetId } : {}), selections: this.#queries.selections };
      },
      ...{ fail: (error) => this.fail(error), hostOrigin, inactivityTimeoutMs },
    });
    this.#outage = new OutageWatcher({
      probe: () => api.ping(),
      // After a failed start the whole start again; otherwise the view's data under the same selections.
      recover: () =>
        this.status === "error" ? this.retry() : this.#keeper.run(() => this.#queries.refresh()),
      onChange: () => this.#changed(),
      // With a host page, the episode's one `error` event is the developer's line (the SDK logs it).
      log: (message) => {
        if (!bridge.host) console.warn(`[portico frame] ${message}`);
      },
    });
  }

  get app(): AppDetail | undefined {
    return this.#view.app;
  }
  get hub(): HubResponse | undefined {
    return this.#view.hub;
  }
  get view(): ViewKind {
    return this.#view.view;
  }
  get sheetId(): string | undefined {
    return this.#view.sheetId;
  }
  /** The objects on screen: the sheet's, or the single object of an object view. */
  get objects(): SheetObjectDef[] {
    return this.#view.objects;
  }
  get selections(): Selections {
    return this.#queries.selections;
  }
  /** Set while the session is about to end for inactivity (the UI offers to continue). */
  get expiringAt(): Date | undefined {
    return this.#keeper.expiringAt;
  }
  get user(): SessionUser | undefined {
    return this.#keeper.user;
  }
  /** The server could not be reached and has not answered since (the UI offers "Retry"). */
  get offline(): boolean {
    return this.#outage.offline;
  }

  attachHost(host: HostConnection | undefined): void {
    this.#bridge.attach(host);
  }

  /** How long the host's `getTicket()` may take (the host says in `hello`). */
  setTicketTimeoutMs(ms: number): void {
    this.#keeper.setTicketTimeoutMs(ms);
  }

  /** Sends an event to the host (if any) and to local listeners (`frame-event`). */
  emit(event: FrameEvent): void {
    this.#bridge.emit(event);
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
      sheetShown = await this.#keeper.open(() => this.#view.loadLayout());
      this.#setStatus("ready");
      const { appId: app, sheetId: sheet } = this.#view;
      // What the host names its iframe with: the object of an object view, else the app (hub: no title).
      const title = this.view === "object" ? this.objects[0]?.title : this.app?.name;
      this.#bridge.ready({ user: this.user, view: this.view, app, sheet, title });
    } catch (error) {
      this.fail(error);
      return;
    }
    try {
      // Unknown fields are dropped before the load starts; values are checked beside it.
      const checked = this.#checkInitialSelections();
      // A session that lapsed in between recovers like any other request's.
      await this.#keeper.run(() => this.#view.loadData(sheetShown));
      await checked;
    } catch (error) {
      if (this.status !== "error") this.fail(error);
    }
  }

  /** Redeems a host-provided ticket, replacing the session, and reloads the view under the new identity. */
  async authenticate(ticket: string): Promise<SessionUser> {
    return this.#restart(await this.#keeper.redeem(ticket));
  }

  /** The in-frame login; then `sessionChanged`, so the page's other embeds follow this session. */
  async logIn(userId: string, password: string): Promise<SessionUser> {
    const user = await this.#restart(await this.#keeper.logIn(userId, password));
    this.emit({ type: "sessionChanged", user });
    return user;
  }

  createJoinTicket(): Promise<string> {
    return this.#keeper.joinTicket();
  }

  getSheets(): SheetSummary[] {
    return this.#view.getSheets();
  }

  async openSheet(sheetId: string): Promise<void> {
    this.#view.openSheet(sheetId);
    this.#queries.clear();
    this.#changed();
    await this.#keeper.run(() => this.#queries.refresh());
  }

  /** Opens an app's sheet in place (from the hub view inside an embed). */
  async openApp(appId: string, sheetId?: string): Promise<void> {
    this.#view.switchApp(appId, sheetId);
    this.#queries.clear({ selections: true });
    this.#setStatus("loading");
    try {
      await this.#keeper.run(() => this.#view.loadView());
      this.#setStatus("ready");
    } catch (error) {
      this.fail(error);
    }
  }

  /** An app's details (the hub lists its sheets). */
  loadAppDetail(appId: string): Promise<AppDetail> {
    return this.#keeper.run(() => this.#view.appDetail(appId));
  }

  /**
   * The host's selection: a field the app does not have is refused (FIELD_NOT_FOUND, naming the app's
   * fields); values the field does not hold are left out with a warning, and when none is left the
   * selections stay as they were, instead of excluding every row.
   */
  async select(field: string, values: SelectionValue[]): Promise<Selections> {
    const app = this.#view.app;
    if (!app || values.length === 0) return this.#queries.select(field, values);
    if (!app.fields.some((f) => f.name === field)) throw unknownField(field, app.id, app.fields);
    const before = this.#queries.selections[field] ?? [];
    // The check rides in the load's own request: a good selection still costs one request.
    const { selections, held } = await this.#queries.selectChecked(field, values);
    const missing = missingValues(field, values, held);
    if (!missing) return selections;
    this.#warn([missing]);
    return this.#queries.select(field, held.length > 0 ? held : before);
  }

  /** Adds or removes one value of a field's selection (a click on a bar, slice, point or list row). */
  toggle(field: string, value: SelectionValue): Promise<Selections> {
    return this.#queries.toggle(field, value);
  }

  clearSelections(field?: string): Promise<Selections> {
    return this.#queries.clearSelections(field);
  }

  /** Fresh data for one object under the current selections. */
  getData(objectId: string): Promise<QueryResult> {
    return this.#queries.getData(objectId);
  }

  async exportData(objectId: string): Promise<ExportResult> {
    const file = await this.#queries.exportData(objectId);
    this.#bridge.beacon(this.#view.visit("export", objectId));
    return file;
  }

  /** Sorting and paging of a table object; re-queries only that object. */
  setTable(objectId: string, state: TableView): Promise<void> {
    return this.#queries.setTable(objectId, state);
  }

  /** The visitor chose to continue: any request counts as activity on the server. */
  async keepAlive(): Promise<void> {
    if (await this.#keeper.continueSession()) await this.#keeper.run(() => this.#queries.refresh());
  }

  /** The visitor's "Retry" while the server is unreachable: asks it now instead of at the next probe. */
  retryNow(): Promise<void> {
    return this.#outage.retryNow();
  }

  /** Retry after an error screen (server unreachable, say). */
  async retry(): Promise<void> {
    if (this.retryHandler) return this.retryHandler();
    this.error = undefined;
    await this.start();
  }

  /** Stops timers; the controller must not be used afterwards. */
  dispose(): void {
    this.#keeper.dispose();
    this.#outage.dispose();
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
    return error.code === "UNAVAILABLE" && !this.#outage.unreachable();
  }

  /**
   * The host's initial selections, once: a field the app does not have is dropped at once (every query
   * naming it would fail), values a field does not hold after a check that runs beside the first load.
   * Each drop is a `warning` event; the rest of the selections stay.
   */
  async #checkInitialSelections(): Promise<void> {
    const app = this.#view.app;
    if (this.#initialChecked || !app) return;
    this.#initialChecked = true;
    const initial = this.#queries.selections;
    let known: Selections = {};
    const unknown: DroppedSelection[] = [];
    for (const [field, values] of Object.entries(initial)) {
      if (values.length === 0) continue;
      if (app.fields.some((f) => f.name === field)) known[field] = values;
      else
        unknown.push({
          code: "FIELD_NOT_FOUND",
          field,
          message: unknownField(field, app.id, app.fields).message,
        });
    }
    // Before the first await: the load that starts next runs under these.
    if (unknown.length === 0) known = initial;
    else {
      this.#queries.selections = known;
      this.#warn(unknown);
      this.emit({ type: "selectionsChanged", selections: known });
    }
    if (Object.keys(known).length === 0) return;
    // The checks take what the session's answer carried for them now, before the load uses up the rest.
    const { selections, dropped } = await this.#keeper.run(() => checkSelections(known, app, this.#query));
    // The visitor (or the host) changed the selections meanwhile: theirs stand.
    if (dropped.length === 0 || this.#queries.selections !== known) return;
    this.#warn(dropped);
    await this.#keeper.run(() => this.#queries.replace(selections));
  }

  /** Queries for the checks: what the session's answer carried (`firstQueries` has them), else asked. */
  readonly #query = (request: QueryRequest) => this.#queries.query(request);

  #warn(dropped: readonly DroppedSelection[]): void {
    for (const { code, field, message } of dropped)
      this.emit({ type: "error", level: "warning", code, field, message });
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
