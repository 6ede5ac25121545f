import { mkdirSync } from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely } from "kysely";
import type { Database } from "./database.js";
import { KyselyStorage } from "./kysely-storage.js";
import { PatientSqliteDialect } from "./sqlite-busy.js";
import { sqliteFastPaths } from "./sqlite-native.js";
import { cachingStatements } from "./statement-cache.js";
import type { Storage } from "./storage.js";
import { SAFETY_NET_PAGES, WalCheckpointer } from "./wal-checkpointer.js";

/**
 * Milliseconds SQLite itself waits for another connection's lock, on the main thread: next to nothing.
 * Longer waits are `withBusyRetry`'s, between statements, off the event loop.
 */
const BUSY_TIMEOUT_MS = 5;

export interface SqliteStorageOptions {
  /**
   * Checkpoint the WAL from a worker thread (`WalCheckpointer`) instead of inline in the connection that
   * commits. For the long-running server; a command that opens the file for a moment needs none.
   */
  backgroundCheckpoints?: boolean;
  /** Where a failing background checkpoint is reported. */
  onCheckpointError?: (error: Error) => void;
  /**
   * Run the busiest statements natively on better-sqlite3 (`sqlite-native.ts`) instead of through Kysely
   * (default true). Off, Kysely serves every call: the tests run both ways.
   */
  fastPaths?: boolean;
  /**
   * `normal` (default): a commit survives a crash of the process; `full`: it survives a power loss or an
   * operating-system crash too, at the cost of waiting for the disk on every commit.
   */
  synchronous?: "normal" | "full";
}

/** Opens (creating if needed) a SQLite file in WAL mode with foreign keys on, and migrates it. */
export async function openSqliteStorage(
  file: string,
  options: SqliteStorageOptions = {},
): Promise<KyselyStorage> {
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma("journal_mode = WAL");
  database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  database.pragma("foreign_keys = ON");
  database.pragma(`synchronous = ${options.synchronous === "full" ? "FULL" : "NORMAL"}`);
  const db = new Kysely<Database>({
    dialect: new PatientSqliteDialect({ database: cachingStatements(database) }),
  });
  // An in-memory database has no file for another connection to open, nor a WAL.
  const checkpointer =
    options.backgroundCheckpoints && file !== ":memory:"
      ? WalCheckpointer.start(file, options.onCheckpointError ? { onError: options.onCheckpointError } : {})
      : undefined;
  if (checkpointer) database.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  return KyselyStorage.open(db, "sqlite", {
    fastPaths: options.fastPaths === false ? undefined : sqliteFastPaths(db, database),
    beforeClose: () => checkpointer?.close(),
  });
}

/** `openSqliteStorage` as the package exports it: the repositories, with the query builder kept inside. */
export function openPublicSqliteStorage(file: string, options: SqliteStorageOptions = {}): Promise<Storage> {
  return openSqliteStorage(file, options);
}
