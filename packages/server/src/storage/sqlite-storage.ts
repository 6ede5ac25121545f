import { mkdirSync } from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { Database } from "./database.js";
import { KyselyStorage } from "./kysely-storage.js";
import { sqliteRowInserter } from "./row-inserter.js";
import { cachingStatements } from "./statement-cache.js";

/** Milliseconds a writer waits for another connection's lock before failing (several processes on one file). */
const BUSY_TIMEOUT_MS = 5000;

/** Opens (creating if needed) a SQLite file in WAL mode with foreign keys on, and migrates it. */
export async function openSqliteStorage(file: string): Promise<KyselyStorage> {
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma("journal_mode = WAL");
  database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  database.pragma("foreign_keys = ON");
  database.pragma("synchronous = NORMAL");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(database) }) });
  const storage = new KyselyStorage(db, "sqlite", sqliteRowInserter(db, database));
  await storage.migrate();
  return storage;
}
