import path from "node:path";
import {
  type DataModel,
  type DataModelOptions,
  loadTables,
  type TableDef,
  type TableInfo,
} from "@portico/engine";
import { ErrorCode, type FieldInfo } from "@portico/protocol";
import type { Logger } from "pino";
import type {
  AppDataProvider,
  AppDataReport,
  ReloadRecord,
  ReloadTrigger,
} from "../api/app-data-provider.js";
import type { ConfigState } from "../config/config-state.js";
import type { ConfigStore } from "../config/config-store.js";
import { type ConfigIssue, configInvalid } from "../config/format-issues.js";
import type { AppConfig } from "../config/schema.js";
import { PorticoError } from "../errors/portico-error.js";
import type { Metrics } from "../ops/metrics.js";
import { objectFieldIssues } from "./object-issues.js";
import { ReloadSchedule } from "./reload-schedule.js";
import { readSqlTable } from "./sql-source.js";

export interface AppDataServiceOptions {
  logger?: Logger;
  /** Counts reloads by app, trigger and result (`portico_app_reloads_total`). */
  metrics?: Metrics;
  clock?: () => number;
  /** Result and selection cache sizes of each app's model (engine defaults when absent). */
  cache?: DataModelOptions;
}

const HISTORY_PER_APP = 20;

/** One app's data as loaded: the model, and the table definitions it was loaded from. */
interface LoadedApp {
  signature: string;
  model: DataModel;
  loadedAt: number;
  durationMs: number;
}

/**
 * Holds the in-memory data model of every app. Loads all apps when attached to a config store (a
 * missing or broken source stops the start with DATA_LOAD_FAILED naming the file), then follows the
 * configuration: before a change takes effect, apps whose tables changed are loaded and every object is
 * checked against the fields it will see; a failure refuses the change and the running data stays.
 *
 * A model is immutable and owns its result caches, so replacing it (config change or admin reload) is
 * what invalidates every cached hypercube and field state of the app: nothing stale can be served.
 */
export class AppDataService implements AppDataProvider {
  private readonly options: AppDataServiceOptions;
  private readonly loaded = new Map<string, LoadedApp>();
  /** Models loaded while checking a configuration, installed when that configuration takes effect. */
  private readonly staged = new WeakMap<ConfigState, Map<string, LoadedApp>>();
  private readonly signatures = new WeakMap<AppConfig, string>();
  private store: ConfigStore | undefined;
  /** The last reloads of each app, newest first (`HISTORY_PER_APP` of them). */
  private readonly history = new Map<string, ReloadRecord[]>();
  private readonly schedule = new ReloadSchedule((appId) => this.reload(appId, "schedule"));
  /** Loads run one at a time: two reloads of one app never interleave, and memory peaks stay bounded. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: AppDataServiceOptions = {}) {
    this.options = options;
  }

  /**
   * Loads every app of the store's current configuration, then follows its changes. Throws
   * DATA_LOAD_FAILED (the message names the app, table and file) or CONFIG_INVALID (an object
   * references a field the tables do not hold).
   */
  async attach(store: ConfigStore): Promise<void> {
    if (this.store) throw new TypeError("AppDataService is already attached to a config store");
    const state = store.current;
    await this.serial(async () => {
      const issues: ConfigIssue[] = [];
      const fresh = new Map<string, LoadedApp>();
      for (const [index, app] of state.config.apps.entries()) {
        if (app.tables.length === 0) continue;
        let loaded: LoadedApp;
        try {
          loaded = await this.load(app, state);
        } catch (error) {
          throw loadFailure(app, index, error);
        }
        fresh.set(app.id, loaded);
        issues.push(...objectFieldIssues(app, index, fieldSet(loaded.model)));
      }
      if (issues.length > 0) throw configInvalid(issues);
      for (const [id, loaded] of fresh) this.loaded.set(id, loaded);
    });
    this.store = store;
    store.useCheck((next) => this.prepare(next));
    store.onChange((next) => {
      this.commit(next);
      this.schedule.follow(next.config.apps);
    });
    // A reload asked for on another node: read the same data here (failures land in the history).
    store.onReloadRequest((appId) => {
      if (store.current.apps.has(appId)) void this.reload(appId, "cluster").catch(() => undefined);
    });
    this.schedule.follow(state.config.apps);
  }

  /** Stops the reload schedule (the server is closing). */
  close(): void {
    this.schedule.stop();
  }

  async fields(app: AppConfig): Promise<FieldInfo[]> {
    const loaded = this.current(app);
    return loaded ? loaded.model.fields() : [];
  }

  model(app: AppConfig): DataModel {
    const loaded = this.current(app);
    if (loaded) return loaded.model;
    // No file path or cause here: the caller may be an anonymous visitor. The log and the admin have them.
    throw new PorticoError(
      ErrorCode.DATA_LOAD_FAILED,
      app.tables.length === 0 ? "This app has no data" : "This app's data is not available",
    );
  }

  tables(app: AppConfig): TableInfo[] {
    return this.current(app)?.model.tables() ?? [];
  }

  /**
   * Reads the app's sources again and swaps the new model in. The old model (and every result cached
   * with it) keeps serving until the new one is ready; if the load fails, or the new data lacks a field
   * an object uses, the old data stays and the error says why.
   */
  reload(appId: string, trigger: ReloadTrigger = "admin"): Promise<AppDataReport> {
    const started = this.now();
    return this.record(appId, trigger, started, this.reloadNow(appId));
  }

  /** The app's last reloads, newest first: when, why, how long, rows per table or the error. */
  reloads(appId: string): ReloadRecord[] {
    return [...(this.history.get(appId) ?? [])];
  }

  private async record(
    appId: string,
    trigger: ReloadTrigger,
    started: number,
    work: Promise<AppDataReport>,
  ): Promise<AppDataReport> {
    const entry: ReloadRecord = { at: new Date(started).toISOString(), trigger, ok: false, durationMs: 0 };
    try {
      const report = await work;
      entry.ok = true;
      entry.rows = Object.fromEntries(report.tables.map((t) => [t.name, t.rowCount]));
      return report;
    } catch (error) {
      entry.error = (error as Error).message;
      this.options.logger?.warn(
        { app: appId, trigger, err: error },
        "app data reload failed; the previous data stays",
      );
      throw error;
    } finally {
      entry.durationMs = this.now() - started;
      // Only apps of the configuration get a history: a request for an unknown id leaves none behind.
      if (this.store?.current.apps.has(appId)) {
        const list = this.history.get(appId) ?? [];
        list.unshift(entry);
        list.length = Math.min(list.length, HISTORY_PER_APP);
        this.history.set(appId, list);
        this.options.metrics?.inc("portico_app_reloads_total", {
          app: appId,
          trigger,
          result: entry.ok ? "ok" : "failed",
        });
      }
    }
  }

  private now(): number {
    return (this.options.clock ?? Date.now)();
  }

  private reloadNow(appId: string): Promise<AppDataReport> {
    return this.serial(async () => {
      const store = this.attachedStore();
      const state = store.current;
      const index = state.config.apps.findIndex((a) => a.id === appId);
      const app = state.config.apps[index];
      if (!app) throw new PorticoError(ErrorCode.APP_NOT_FOUND, "App not found");
      if (app.tables.length === 0)
        throw new PorticoError(ErrorCode.BAD_REQUEST, `App "${app.id}" has no tables to reload`);
      let loaded: LoadedApp;
      try {
        loaded = await this.load(app, state);
      } catch (error) {
        throw loadFailure(app, index, error);
      }
      // The configuration may have moved on while the files were read: check against the one in force.
      const now = store.current;
      const nowIndex = now.config.apps.findIndex((a) => a.id === appId);
      const nowApp = now.config.apps[nowIndex];
      if (!nowApp || this.signatureOf(nowApp, now) !== loaded.signature)
        throw new PorticoError(
          ErrorCode.DATA_LOAD_FAILED,
          `App "${appId}": the configuration changed during the reload; try again`,
        );
      const issues = objectFieldIssues(nowApp, nowIndex, fieldSet(loaded.model));
      if (issues.length > 0)
        throw new PorticoError(
          ErrorCode.DATA_LOAD_FAILED,
          `App "${appId}": the reloaded data does not fit the app's objects; the previous data stays:\n${issues
            .map((i) => `${i.path}: ${i.message}`)
            .join("\n")}`,
        );
      this.loaded.set(appId, loaded);
      return report(appId, loaded);
    });
  }

  /** What is loaded, per app (admin view). */
  status(): AppDataReport[] {
    return [...this.loaded].map(([id, loaded]) => ({
      ...report(id, loaded),
      lastReload: this.history.get(id)?.[0],
    }));
  }

  /** The loaded data of the app, if it matches the app's current table definitions. */
  private current(app: AppConfig): LoadedApp | undefined {
    const loaded = this.loaded.get(app.id);
    const state = this.store?.current;
    if (!loaded || !state) return undefined;
    return loaded.signature === this.signatureOf(app, state) ? loaded : undefined;
  }

  /** Runs before `next` takes effect: loads apps whose tables changed and checks every object's fields. */
  private async prepare(next: ConfigState): Promise<void> {
    const needsLoad = next.config.apps.some(
      (app) => app.tables.length > 0 && this.loaded.get(app.id)?.signature !== this.signatureOf(app, next),
    );
    // A change that loads nothing (a rule, a sheet) must not wait behind a long reload of another app.
    const run = async () => {
      const issues: ConfigIssue[] = [];
      const fresh = new Map<string, LoadedApp>();
      for (const [index, app] of next.config.apps.entries()) {
        if (app.tables.length === 0) continue;
        const signature = this.signatureOf(app, next);
        let loaded = this.loaded.get(app.id);
        if (loaded?.signature !== signature) {
          try {
            loaded = await this.load(app, next);
          } catch (error) {
            issues.push({ path: `apps[${index}].tables`, message: loadFailure(app, index, error).message });
            continue;
          }
          fresh.set(app.id, loaded);
        }
        issues.push(...objectFieldIssues(app, index, fieldSet(loaded.model)));
      }
      if (issues.length > 0) throw configInvalid(issues);
      this.staged.set(next, fresh);
    };
    return needsLoad ? this.serial(run) : run();
  }

  /** `next` is in force: install what `prepare` loaded for it, and drop apps that went away. */
  private commit(next: ConfigState): void {
    const fresh = this.staged.get(next);
    this.staged.delete(next);
    for (const [id, loaded] of fresh ?? []) this.loaded.set(id, loaded);
    for (const id of [...this.loaded.keys()]) {
      const app = next.apps.get(id);
      if (!app || app.tables.length === 0) this.loaded.delete(id);
    }
  }

  private async load(app: AppConfig, state: ConfigState): Promise<LoadedApp> {
    const clock = this.options.clock ?? Date.now;
    const started = performance.now();
    const model = await loadTables(await tableDefs(app, state), {
      ...this.options.cache,
      baseDir: state.dataRoot,
    });
    // What the query workers are sent, built with the load rather than on a visitor's first query.
    model.snapshot();
    const durationMs = Math.round(performance.now() - started);
    const rows = model.tables().reduce((sum, t) => sum + t.rowCount, 0);
    this.options.logger?.info({ app: app.id, rows, durationMs }, "app data loaded");
    return { signature: this.signatureOf(app, state), model, loadedAt: clock(), durationMs };
  }

  /** Identifies what an app's data is loaded from: table names, resolved sources and explicit types. */
  private signatureOf(app: AppConfig, state: ConfigState): string {
    let signature = this.signatures.get(app);
    if (signature === undefined) {
      signature = JSON.stringify(
        app.tables.map(({ name, source, types }) => {
          if (typeof source === "string") return [name, path.resolve(state.dataRoot, source), types ?? null];
          const connection = state.config.dataConnections.find((c) => c.name === source.connection);
          return [name, source.query, connection ?? null, types ?? null];
        }),
      );
      this.signatures.set(app, signature);
    }
    return signature;
  }

  private attachedStore(): ConfigStore {
    if (!this.store) throw new TypeError("AppDataService is not attached to a config store");
    return this.store;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** The engine's table definitions: files by path, query results read through their connection. */
async function tableDefs(app: AppConfig, state: ConfigState): Promise<TableDef[]> {
  const defs: TableDef[] = [];
  for (const table of app.tables) {
    const types = {
      ...(table.types ? { types: table.types } : {}),
      ...(table.sortBy ? { sortBy: table.sortBy } : {}),
    };
    if (typeof table.source === "string") {
      defs.push({ name: table.name, source: table.source, ...types });
      continue;
    }
    const { connection: name, query } = table.source;
    const connection = state.config.dataConnections.find((c) => c.name === name);
    if (!connection) throw new TypeError(`table "${table.name}": unknown data connection "${name}"`);
    const read = await readSqlTable(table.name, connection, query, { dataRoot: state.dataRoot });
    defs.push({ ...read, ...types });
  }
  return defs;
}

function fieldSet(model: DataModel): Set<string> {
  return new Set(model.fields().map((f) => f.name));
}

/** A load error for the log, the CLI and the admin: names the app and carries the engine's file path. */
function loadFailure(app: AppConfig, index: number, error: unknown): PorticoError {
  const reason = error instanceof Error ? error.message : String(error);
  return new PorticoError(
    ErrorCode.DATA_LOAD_FAILED,
    `apps[${index}] (app "${app.id}"): cannot load its data: ${reason}`,
  );
}

function report(id: string, loaded: LoadedApp): AppDataReport {
  return {
    app: id,
    loadedAt: new Date(loaded.loadedAt).toISOString(),
    durationMs: loaded.durationMs,
    tables: loaded.model.tables(),
    fields: loaded.model.fields().length,
  };
}
