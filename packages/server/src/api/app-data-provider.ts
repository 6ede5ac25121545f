import type { DataModel, TableInfo } from "@portico/engine";
import type { FieldInfo } from "@portico/protocol";
import type { ConfigState } from "../config/config-state.js";
import type { AppConfig } from "../config/schema.js";

/** Why a reload ran. */
export type ReloadTrigger = "admin" | "schedule" | "cluster";

/** One reload of an app's data, as the admin API and the console show it. */
export interface ReloadRecord {
  /** When it started (ISO 8601). */
  at: string;
  trigger: ReloadTrigger;
  ok: boolean;
  durationMs: number;
  /** Rows per table of the new data (when it succeeded). */
  rows?: Record<string, number>;
  /** Why it failed; the previous data stayed. */
  error?: string;
}

/** What an app's data load produced (admin view). */
export interface AppDataReport {
  app: string;
  loadedAt: string;
  durationMs: number;
  tables: TableInfo[];
  fields: number;
  /** The last reload (scheduled or asked for), if any. */
  lastReload?: ReloadRecord | undefined;
}

/**
 * The seam to the data engine (implemented by `AppDataService` in `data/`): the server asks it about an
 * app's data. Without one, `GET /apps/{id}` answers `fields: []` and the data API answers 503.
 */
export interface AppDataProvider {
  fields(app: AppConfig, state: ConfigState): Promise<FieldInfo[]>;
  /** The app's loaded model; throws DATA_LOAD_FAILED (without file paths) when it has none. */
  model(app: AppConfig): DataModel;
  /** Reads the app's sources again and swaps the new model (and its empty caches) in. */
  reload(appId: string): Promise<AppDataReport>;
  /** The app's last reloads, newest first (absent: this provider keeps no history). */
  reloads?(appId: string): ReloadRecord[];
  status(): AppDataReport[];
}
