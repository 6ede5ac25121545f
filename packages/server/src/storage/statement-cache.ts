import type { Database as SqliteDatabase, Statement } from "better-sqlite3";
import type { SqliteDatabase as KyselySqliteDatabase } from "kysely";

/** Distinct SQL texts kept prepared; the least recently used is finalized past this. */
export const STATEMENT_CACHE_LIMIT = 500;

/**
 * The database as Kysely's SQLite dialect sees it, with `prepare()` cached by SQL text. Kysely prepares
 * every query afresh, and compiling SQL is a large share of a short request's CPU, while the same few
 * texts come back thousands of times a second. A statement still iterating (a streamed export) is
 * busy, so a second user of the same text gets a fresh, uncached one instead of sharing it. SQLite
 * re-prepares a cached statement by itself after a schema change.
 */
export function cachingStatements(
  database: SqliteDatabase,
  limit = STATEMENT_CACHE_LIMIT,
): KyselySqliteDatabase {
  const cache = new Map<string, Statement>();
  return {
    close: () => {
      cache.clear();
      database.close();
    },
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached !== undefined && !cached.busy) {
        // Re-inserted so that the Map's order is least recently used first.
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      if (cached === undefined) {
        if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}
