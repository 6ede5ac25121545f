import type {
  AppDetail,
  HubResponse,
  Selections,
  SheetDef,
  SheetObjectDef,
  SheetSummary,
  ViewKind,
} from "@portico/protocol";
import type { ApiClient, FirstView, VisitBeacon } from "../api/api-client.js";
import { FrameError, toFrameError } from "../errors/frame-error.js";
import type { HostBridge } from "./host-bridge.js";

export interface ViewLoaderOptions {
  api: Pick<ApiClient, "app" | "hub">;
  bridge: Pick<HostBridge, "emit" | "beacon" | "beaconAfterPaint">;
  /** The objects' data under the current selections (the query scheduler's one request). */
  refresh: () => Promise<void>;
  /** The layout changed. */
  onChange: () => void;
  view: ViewKind;
  app?: string | undefined;
  sheet?: string | undefined;
  object?: string | undefined;
}

/**
 * What the frame shows: the hub, or an app's sheet or single object. Loads the app (or the hub), lays out
 * the view, has its data loaded, and tells the host which sheet is on screen (`sheetChanged`, once per
 * sheet shown) and the server that it was viewed (the sheet-view beacon).
 */
export class ViewLoader {
  view: ViewKind;
  app: AppDetail | undefined;
  hub: HubResponse | undefined;
  sheetId: string | undefined;

  readonly #o: ViewLoaderOptions;
  readonly #objectId: string | undefined;
  #appId: string | undefined;
  /** The app that came with the last session, used once by `loadLayout`. */
  #offeredApp: AppDetail | undefined;
  /** The sheet the host last heard about in `sheetChanged`. */
  #announcedSheet: string | undefined;

  constructor(options: ViewLoaderOptions) {
    this.#o = options;
    this.view = options.view;
    this.#appId = options.app;
    this.sheetId = options.sheet;
    this.#objectId = options.object;
  }

  get appId(): string | undefined {
    return this.#appId;
  }

  get sheet(): SheetDef | undefined {
    return this.app?.sheets.find((s) => s.id === this.sheetId);
  }

  /** The objects on screen: the sheet's, or the single object of an object view. */
  get objects(): SheetObjectDef[] {
    if (this.view === "object") {
      const found = this.findObject(this.#objectId ?? "");
      return found ? [found] : [];
    }
    return this.sheet?.objects ?? [];
  }

  findObject(objectId: string): SheetObjectDef | undefined {
    for (const sheet of this.app?.sheets ?? []) {
      const found = sheet.objects.find((o) => o.id === objectId);
      if (found) return found;
    }
    return undefined;
  }

  getSheets(): SheetSummary[] {
    return (this.app?.sheets ?? []).map((s) => ({
      id: s.id,
      title: s.title,
      ...(s.description ? { description: s.description } : {}),
    }));
  }

  /**
   * The app and view a new session should carry (the server answers the app when the session may read
   * it, and the view's first query results with it).
   */
  firstView(selections: Selections): FirstView {
    const app = this.view === "hub" ? undefined : this.#appId;
    if (!app) return {};
    const object = this.#objectId;
    const view: FirstView["view"] =
      this.view === "object"
        ? isViewId(object)
          ? { object, selections }
          : undefined
        : this.sheetId === undefined || isViewId(this.sheetId)
          ? { ...(this.sheetId ? { sheet: this.sheetId } : {}), selections }
          : undefined;
    return { app, ...(view ? { view } : {}) };
  }

  /**
   * The app that came with a new session: `loadLayout` uses it instead of asking, once. Returns whether it
   * is this view's app (the session's first view results are then this view's too).
   */
  offerApp(app: AppDetail | undefined): boolean {
    this.#offeredApp = app !== undefined && app.id === this.#appId ? app : undefined;
    return this.#offeredApp !== undefined;
  }

  /** Opens another app's sheet in place (from the hub view inside an embed); `loadLayout` loads it. */
  switchApp(appId: string, sheetId?: string): void {
    this.#appId = appId;
    this.view = "sheet";
    this.sheetId = sheetId;
    this.app = undefined;
  }

  /** Shows another sheet of the app (its data is the caller's to load); tells the host and the server. */
  openSheet(sheetId: string): SheetDef {
    const sheet = this.app?.sheets.find((s) => s.id === sheetId);
    if (!sheet) throw new FrameError("NOT_FOUND", `There is no sheet "${sheetId}" in this app`);
    this.view = "sheet";
    this.sheetId = this.#announcedSheet = sheetId;
    this.#o.bridge.emit({ type: "sheetChanged", sheet: sheet.id, title: sheet.title });
    this.#o.bridge.beacon(this.visit("sheetView"));
    return sheet;
  }

  /** An app's details (the hub lists its sheets). */
  appDetail(appId: string): Promise<AppDetail> {
    return this.#o.api.app(appId);
  }

  /** The view with its data (after a recovery, an app switch). */
  async loadView(): Promise<void> {
    await this.loadData(await this.loadLayout());
  }

  /** The objects' data; then, when the sheet is new on screen, its view beacon once the data has painted. */
  async loadData(sheetShown: boolean): Promise<void> {
    if (this.view === "hub") return;
    await this.#o.refresh();
    if (sheetShown) this.#o.bridge.beaconAfterPaint(this.visit("sheetView"));
  }

  /** A visit beacon of this view (none without an app). */
  visit(type: VisitBeacon["type"], object?: string): VisitBeacon | undefined {
    if (!this.#appId) return undefined;
    return {
      type,
      app: this.#appId,
      ...(this.sheetId ? { sheet: this.sheetId } : {}),
      ...(object ? { object } : {}),
    };
  }

  /**
   * Loads the app (or the hub) and lays out the view: the UI shows the sheet's cards while their queries
   * run. Returns whether a sheet came on screen that the host had not been told about yet.
   */
  async loadLayout(): Promise<boolean> {
    if (this.view === "hub") {
      this.hub = await this.#o.api.hub();
      this.#o.onChange();
      return false;
    }
    const appId = this.#appId;
    if (!appId) throw new FrameError("MISCONFIGURED", "The embed address names no app");
    const offered = this.#offeredApp;
    this.#offeredApp = undefined;
    try {
      this.app = offered?.id === appId ? offered : await this.#o.api.app(appId);
    } catch (error) {
      const e = toFrameError(error);
      // The server answers 404 for missing and unreadable apps alike (no existence leak); so do we.
      if (e.code === "NOT_FOUND" || e.code === "FORBIDDEN")
        throw new FrameError("APP_NOT_FOUND", `The app "${appId}" does not exist or may not be opened`);
      throw e;
    }
    if (this.view === "object") {
      if (!this.findObject(this.#objectId ?? ""))
        throw new FrameError("OBJECT_NOT_FOUND", `There is no object "${this.#objectId}" in this app`);
      this.#o.onChange();
      return false;
    }
    const wanted = this.sheetId ?? this.app.sheets[0]?.id;
    const sheet = this.app.sheets.find((s) => s.id === wanted);
    if (!sheet) throw new FrameError("NOT_FOUND", `There is no sheet "${wanted ?? ""}" in this app`);
    const changed = this.#announcedSheet !== sheet.id;
    this.sheetId = this.#announcedSheet = sheet.id;
    if (changed) this.#o.bridge.emit({ type: "sheetChanged", sheet: sheet.id, title: sheet.title });
    this.#o.onChange();
    return changed;
  }
}

/**
 * A sheet or object id the session request may name (the server refuses the request otherwise): anything
 * else is left to `loadLayout`, which says what is wrong with it.
 */
function isViewId(id: string | undefined): id is string {
  return id !== undefined && id.length > 0 && id.length <= 256;
}
