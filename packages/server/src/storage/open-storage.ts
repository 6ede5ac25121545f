import { Kysely, PostgresDialect } from "kysely";
import type { Database } from "./database.js";
import { KyselyStorage } from "./kysely-storage.js";
import { openSqliteStorage, type SqliteStorageOptions } from "./sqlite-storage.js";

/**
 * Opens the storage named by a resolved `storage` URL: `sqlite:<absolute path>` (embedded default) or
 * `postgres://...` (several nodes share sessions, used tickets and config changes). Same migrations.
 * `sqlite` applies to the former only.
 */
export async function openStorage(url: string, sqlite: SqliteStorageOptions = {}): Promise<KyselyStorage> {
  if (url.startsWith("sqlite:")) return openSqliteStorage(url.slice("sqlite:".length), sqlite);
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    // Loaded only when configured: embedded (SQLite) deployments never load the PostgreSQL client.
    const { default: pg } = await import("pg");
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    const storage = new KyselyStorage(
      new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      "postgres",
    );
    await storage.migrate();
    return storage;
  }
  throw new Error(`storage "${redactUrl(url)}": expected sqlite:<path> or postgres://...`);
}

/** Never print a database password. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
