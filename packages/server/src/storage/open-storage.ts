import { openPostgresStorage, type PostgresStorageOptions } from "./postgres-storage.js";
import { openSqliteStorage, type SqliteStorageOptions } from "./sqlite-storage.js";
import type { Storage } from "./storage.js";

/**
 * Opens the storage named by a resolved `storage` URL: `sqlite:<absolute path>` (embedded default) or
 * `postgres://...` (several nodes share sessions, used tickets and config changes). Same migrations.
 * Each kind takes the options that apply to it and ignores the others.
 */
export async function openStorage(
  url: string,
  options: SqliteStorageOptions & PostgresStorageOptions = {},
): Promise<Storage> {
  if (url.startsWith("sqlite:")) return openSqliteStorage(url.slice("sqlite:".length), options);
  if (url.startsWith("postgres://") || url.startsWith("postgresql://"))
    return openPostgresStorage(url, options);
  throw new Error(`storage "${redactUrl(url)}": expected sqlite:<path> or postgres://...`);
}

/** Never print a database password. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
