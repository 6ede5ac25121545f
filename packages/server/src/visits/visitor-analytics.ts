import { type DataModel, loadTables } from "@portico/engine";
import { ErrorCode, type FieldInfo } from "@portico/protocol";
import type { Logger } from "pino";
import type { AppDataProvider, AppDataReport, ReloadRecord } from "../api/app-data-provider.js";
import type { ConfigState } from "../config/config-state.js";
import type { AppConfig, PorticoConfig } from "../config/schema.js";
import { PorticoError } from "../errors/portico-error.js";
import type { Storage } from "../storage/storage.js";
import { iterateVisits } from "./visit-query.js";

export const ANALYTICS_APP_ID = "visitor-analytics";
export const ADMINISTRATION_STREAM_ID = "administration";
/** The app holds the most recent events up to this many (memory stays bounded whatever the log size). */
export const ANALYTICS_MAX_EVENTS = 200_000;
/** How far back the app looks. */
export const ANALYTICS_DAYS = 90;
/** How often the app's data is rebuilt from the log (admins can also reload on demand). */
export const ANALYTICS_REFRESH_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

const FIELDS = [
  "Time",
  "Day",
  "Type",
  "Proxy",
  "App",
  "Sheet",
  "Origin",
  "Browser",
  "OS",
  "Device",
  "Anonymous",
  "Session",
  "Visitor",
  "IP",
  "DurationSeconds",
  "Denial",
  "DenialKind",
  "Page",
  "RefusedOrigin",
  "CapacityMinutes",
  "Passes",
];

const pos = (col: number, row: number, width: number, height: number) => ({ col, row, width, height });

/**
 * The built-in "Visitor analytics" app in the Administration stream (when `visits.analyticsApp` is on).
 * No rule of a new configuration grants the Administration stream to anyone but RootAdmin (whose rule
 * covers everything), so only RootAdmin sees it; its data is the visit log itself.
 */
export function analyticsApp(): AppConfig {
  const visits = { expression: "Count(distinct Session)", label: "Visits" };
  const visitors = { expression: "Count(distinct Visitor)", label: "Unique visitors" };
  const minutes = { expression: "Sum(CapacityMinutes)", label: "Capacity minutes" };
  const passes = { expression: "Sum(Passes)", label: "Login access passes" };
  return {
    id: ANALYTICS_APP_ID,
    name: "Visitor analytics",
    description: "Who came, from which page, to what: the visit log of this Portico server.",
    stream: ADMINISTRATION_STREAM_ID,
    published: true,
    tables: [],
    sheets: [
      {
        id: "visits-over-time",
        title: "Visits over time",
        objects: [
          { id: "kpi-visits", type: "kpi", title: "Visits", measures: [visits], position: pos(0, 0, 4, 3) },
          {
            id: "kpi-visitors",
            type: "kpi",
            title: "Unique visitors",
            measures: [visitors],
            position: pos(4, 0, 4, 3),
          },
          {
            id: "kpi-duration",
            type: "kpi",
            title: "Average session (s)",
            measures: [{ expression: "Avg(DurationSeconds)", label: "Average session (s)", format: ",.0f" }],
            position: pos(8, 0, 4, 3),
          },
          {
            id: "kpi-duration-median",
            type: "kpi",
            title: "Median session (s)",
            measures: [
              { expression: "Median(DurationSeconds)", label: "Median session (s)", format: ",.0f" },
            ],
            position: pos(12, 0, 4, 3),
          },
          {
            id: "kpi-duration-p90",
            type: "kpi",
            title: "p90 session (s)",
            measures: [
              { expression: "Fractile(DurationSeconds, 0.9)", label: "90th percentile (s)", format: ",.0f" },
            ],
            position: pos(16, 0, 4, 3),
          },
          {
            id: "kpi-denials",
            type: "kpi",
            title: "Denials",
            measures: [{ expression: "Count(Denial)", label: "Denials" }],
            position: pos(20, 0, 4, 3),
          },
          {
            id: "visits-by-day",
            type: "line",
            title: "Visits per day",
            dimensions: ["Day"],
            measures: [visits, visitors],
            position: pos(0, 3, 24, 8),
          },
          { id: "filter-time", type: "filterpane", fields: ["Proxy", "Type"], position: pos(0, 11, 24, 5) },
        ],
      },
      {
        id: "by-app",
        title: "By app",
        objects: [
          {
            id: "visits-by-app",
            type: "bar",
            title: "Visits per app",
            dimensions: ["App"],
            measures: [visits],
            position: pos(0, 0, 12, 10),
          },
          {
            id: "views-by-sheet",
            type: "bar",
            title: "Sheet views",
            dimensions: ["Sheet"],
            measures: [{ expression: "Count(Type)", label: "Events" }],
            topN: 15,
            position: pos(12, 0, 12, 10),
          },
        ],
      },
      {
        id: "by-origin",
        title: "By embedding origin",
        objects: [
          {
            id: "visits-by-origin",
            type: "bar",
            title: "Visits per embedding page origin",
            dimensions: ["Origin"],
            measures: [visits, visitors],
            position: pos(0, 0, 24, 10),
          },
        ],
      },
      {
        id: "by-page",
        title: "By page",
        objects: [
          {
            id: "visits-by-page",
            type: "bar",
            title: "Visits per page",
            dimensions: ["Page"],
            measures: [visits, visitors],
            topN: 20,
            position: pos(0, 0, 24, 10),
          },
          { id: "filter-page", type: "filterpane", fields: ["App", "Origin"], position: pos(0, 10, 24, 5) },
        ],
      },
      {
        id: "denials",
        title: "Denials",
        objects: [
          {
            id: "denials-by-reason",
            type: "bar",
            title: "Denials by reason",
            dimensions: ["Denial"],
            measures: [{ expression: "Count(Denial)", label: "Denials" }],
            position: pos(0, 0, 12, 10),
          },
          {
            id: "refused-origins",
            type: "bar",
            title: "Pages trying to embed you",
            dimensions: ["RefusedOrigin"],
            measures: [{ expression: "Count(RefusedOrigin)", label: "Refused minutes" }],
            topN: 15,
            position: pos(12, 0, 12, 10),
          },
          {
            id: "filter-denials",
            type: "filterpane",
            fields: ["DenialKind", "App", "Proxy"],
            position: pos(0, 10, 24, 5),
          },
        ],
      },
      {
        id: "licences",
        title: "Licence use",
        objects: [
          {
            id: "licence-by-day",
            type: "line",
            title: "Licence use per day",
            dimensions: ["Day"],
            measures: [minutes, passes],
            position: pos(0, 0, 24, 8),
          },
          {
            id: "licence-by-page",
            type: "bar",
            title: "Licence use per page",
            dimensions: ["Page"],
            measures: [minutes, passes],
            topN: 15,
            position: pos(0, 8, 24, 9),
          },
        ],
      },
      {
        id: "by-client",
        title: "Browsers, OS, devices",
        objects: [
          {
            id: "by-browser",
            type: "pie",
            title: "Browsers",
            dimensions: ["Browser"],
            measures: [visits],
            position: pos(0, 0, 8, 9),
          },
          {
            id: "by-os",
            type: "pie",
            title: "Operating systems",
            dimensions: ["OS"],
            measures: [visits],
            position: pos(8, 0, 8, 9),
          },
          {
            id: "by-device",
            type: "bar",
            title: "Devices",
            dimensions: ["Device"],
            measures: [visits],
            position: pos(16, 0, 8, 9),
          },
        ],
      },
      {
        id: "recent",
        title: "Recent visits",
        objects: [
          {
            id: "recent-visits",
            type: "table",
            title: "Recent events",
            // Newest first: Time is ISO text, so its text order is time order.
            dimensions: [{ field: "Time", sort: { by: "text", descending: true } }, "Type"],
            measures: [{ expression: "Count(Session)", label: "Events" }],
            position: pos(0, 0, 24, 14),
          },
          {
            id: "filter-recent",
            type: "filterpane",
            fields: ["App", "Origin", "IP"],
            position: pos(0, 14, 24, 5),
          },
        ],
      },
    ],
  };
}

/**
 * The configuration with the built-in Administration stream and Visitor analytics app added, when
 * `visits.analyticsApp` is on. A configuration that already uses either id keeps its own (nothing is
 * overwritten).
 */
export function withVisitorAnalytics(config: PorticoConfig): PorticoConfig {
  if (!config.visits?.analyticsApp) return config;
  if (config.apps.some((a) => a.id === ANALYTICS_APP_ID)) return config;
  const streams = config.streams.some((s) => s.id === ADMINISTRATION_STREAM_ID)
    ? config.streams
    : [
        ...config.streams,
        { id: ADMINISTRATION_STREAM_ID, name: "Administration", description: "Built-in administration apps" },
      ];
  return { ...config, streams, apps: [...config.apps, analyticsApp()] };
}

export interface VisitorAnalyticsOptions {
  storage: Storage;
  /** The other apps' data (the data service); the analytics app is answered here, the rest there. */
  inner?: AppDataProvider | undefined;
  clock?: () => number;
  logger?: Logger;
  /** Whether the configuration in force has the app (the scheduled rebuild skips work otherwise). */
  enabled?: () => boolean;
}

/**
 * The data of the Visitor analytics app: a model loaded from the visit log (the last ANALYTICS_DAYS,
 * at most ANALYTICS_MAX_EVENTS events), rebuilt on a schedule and on `reload`. Every other app goes to
 * the inner provider, so this wraps the data service as the app's `appData`.
 */
export class VisitorAnalyticsData implements AppDataProvider {
  private readonly o: VisitorAnalyticsOptions;
  private loaded: { model: DataModel; loadedAt: number; durationMs: number; rows: number } | undefined;
  private loading: Promise<AppDataReport> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: VisitorAnalyticsOptions) {
    this.o = options;
  }

  async fields(app: AppConfig, state: ConfigState): Promise<FieldInfo[]> {
    if (app.id !== ANALYTICS_APP_ID) return this.o.inner ? this.o.inner.fields(app, state) : [];
    await (this.loaded ? undefined : this.refresh());
    return this.loaded?.model.fields() ?? [];
  }

  model(app: AppConfig): DataModel {
    if (app.id !== ANALYTICS_APP_ID) {
      if (!this.o.inner)
        throw new PorticoError(ErrorCode.DATA_LOAD_FAILED, "This app's data is not available");
      return this.o.inner.model(app);
    }
    if (!this.loaded) {
      void this.refresh().catch(() => undefined);
      throw new PorticoError(ErrorCode.DATA_LOAD_FAILED, "The visit log is being loaded; try again shortly");
    }
    return this.loaded.model;
  }

  reload(appId: string): Promise<AppDataReport> {
    if (appId === ANALYTICS_APP_ID) return this.refresh();
    if (!this.o.inner) return Promise.reject(new PorticoError(ErrorCode.APP_NOT_FOUND, "App not found"));
    return this.o.inner.reload(appId);
  }

  reloads(appId: string): ReloadRecord[] {
    return appId === ANALYTICS_APP_ID ? [] : (this.o.inner?.reloads?.(appId) ?? []);
  }

  status(): AppDataReport[] {
    const mine = this.loaded ? [this.report(this.loaded)] : [];
    return [...(this.o.inner?.status() ?? []), ...mine];
  }

  /** Rebuilds the model from the log; concurrent calls share one rebuild. */
  refresh(): Promise<AppDataReport> {
    this.loading ??= this.build().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** Rebuilds every `intervalMs` (unref'd). */
  start(intervalMs = ANALYTICS_REFRESH_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.o.enabled && !this.o.enabled()) return;
      void this.refresh().catch((error: unknown) =>
        this.o.logger?.error({ err: error }, "visitor analytics refresh failed"),
      );
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private async build(): Promise<AppDataReport> {
    const clock = this.o.clock ?? Date.now;
    const started = performance.now();
    const now = clock();
    const rows: Record<string, unknown>[] = [];
    // The newest ANALYTICS_MAX_EVENTS of the window, oldest first: memory stays bounded.
    const filter = { from: now - ANALYTICS_DAYS * DAY_MS };
    const start = await this.o.storage.visits.idBeforeNewest(filter, ANALYTICS_MAX_EVENTS);
    for await (const v of iterateVisits(this.o.storage, filter, 1000, start)) {
      rows.push({
        Time: v.time.slice(0, 19).replace("T", " "),
        Day: v.time.slice(0, 10),
        Type: v.type,
        Proxy: v.proxy === "" ? "(default)" : v.proxy,
        App: v.app,
        Sheet: v.sheet,
        Origin: v.origin,
        Browser: v.browser,
        OS: v.os,
        Device: v.device,
        Anonymous: v.anonymous ? "yes" : "no",
        Session: v.sessionId,
        Visitor: visitorOf(v),
        IP: v.ip,
        DurationSeconds: v.durationMs === null ? null : Math.round(v.durationMs / 1000),
        Denial: v.denialCode,
        DenialKind: v.type === "originRefused" ? "origin" : v.denialKind,
        Page: v.pageUrl,
        RefusedOrigin: v.type === "originRefused" ? v.origin : null,
        CapacityMinutes: v.licence === "analyzerCapacity" ? v.licenceAmount : null,
        Passes: v.licence === "loginAccessPass" ? v.licenceAmount : null,
      });
    }
    const model = await loadTables([
      {
        name: "Visits",
        rows,
        fields: FIELDS,
        types: {
          Day: "date",
          DurationSeconds: "number",
          Time: "text",
          CapacityMinutes: "number",
          Passes: "number",
        },
      },
    ]);
    const loaded = {
      model,
      loadedAt: now,
      durationMs: Math.round(performance.now() - started),
      rows: rows.length,
    };
    this.loaded = loaded;
    this.o.logger?.info(
      { app: ANALYTICS_APP_ID, rows: rows.length, durationMs: loaded.durationMs },
      "visitor analytics loaded",
    );
    return this.report(loaded);
  }

  private report(loaded: { model: DataModel; loadedAt: number; durationMs: number }): AppDataReport {
    return {
      app: ANALYTICS_APP_ID,
      loadedAt: new Date(loaded.loadedAt).toISOString(),
      durationMs: loaded.durationMs,
      tables: loaded.model.tables(),
      fields: loaded.model.fields().length,
    };
  }
}

/** One visitor: the user, the vouched-for visitor id, or the address as the privacy mode keeps it. */
function visitorOf(v: {
  anonymous: boolean;
  userDirectory: string;
  userId: string;
  visitor: Record<string, unknown> | null;
  visitorClient: string | null;
  ip: string | null;
  sessionId: string | null;
}): string {
  if (!v.anonymous) return `${v.userDirectory}\\${v.userId}`;
  if (typeof v.visitor?.sub === "string") return `${v.visitorClient}:${v.visitor.sub}`;
  return v.ip ?? `session ${v.sessionId}`;
}
