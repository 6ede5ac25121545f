import type { KyselyStorage } from "./kysely-storage.js";
import { openPostgresStorage } from "./postgres-storage.js";
import { openSqliteStorage, type SqliteStorageOptions } from "./sqlite-storage.js";

/**
 * Opens the storage named by a resolved `storage` URL: `sqlite:<absolute path>` (embedded default) or
 * `postgres://...` (several nodes share sessions, used tickets and config changes). Same migrations.
 * `sqlite` applies to the former only.
 */
export async function openStorage(url: string, sqlite: SqliteStorageOptions = {}): Promise<KyselyStorage> {
  if (url.startsWith("sqlite:")) return openSqliteStorage(url.slice("sqlite:".length), sqlite);
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return openPostgresStorage(url);
  throw new Error(`storage "${redactUrl(url)}": expected sqlite:<path> or postgres://...`);
}

/** Never print a database password. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
