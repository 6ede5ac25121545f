import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SqliteDialect,
  type TransactionSettings,
} from "kysely";

/** How long a statement waits, in all, for another process's write lock before it fails (then: 503). */
export const BUSY_WAIT_MS = 2000;
/** Pauses between attempts; the last one repeats until BUSY_WAIT_MS is spent. */
const BACKOFF_MS = [1, 2, 5, 10, 20, 50, 100, 200];

/** SQLite's "another connection holds the lock" (SQLITE_BUSY and its extended codes). */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
}

/**
 * Runs `attempt` until it is not refused for a lock, pausing between tries without blocking the event
 * loop. SQLite's own busy timeout would wait on the main thread, freezing every request (and `/healthz`)
 * while another process writes; here a held lock costs only the requests that need it, and they fail after
 * BUSY_WAIT_MS with the lock's own error (answered 503 STORAGE_UNAVAILABLE).
 */
export async function withBusyRetry<T>(attempt: () => T | Promise<T>, waitMs = BUSY_WAIT_MS): Promise<T> {
  const started = Date.now();
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isBusy(error) || Date.now() - started >= waitMs) throw error;
    }
    const pause = BACKOFF_MS[Math.min(i, BACKOFF_MS.length - 1)]!;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** Kysely's SQLite dialect whose every statement (BEGIN and COMMIT included) waits for a lock with `withBusyRetry`. */
export class PatientSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const inner = super.createDriver();
    const patient = new WeakMap<DatabaseConnection, DatabaseConnection>();
    const wrap = (connection: DatabaseConnection): DatabaseConnection => {
      let wrapped = patient.get(connection);
      if (!wrapped) {
        wrapped = {
          executeQuery: <R>(query: CompiledQuery): Promise<QueryResult<R>> =>
            withBusyRetry(() => connection.executeQuery<R>(query)),
          streamQuery: <R>(query: CompiledQuery, chunkSize?: number) =>
            connection.streamQuery<R>(query, chunkSize),
        };
        patient.set(connection, wrapped);
      }
      return wrapped;
    };
    return {
      init: () => inner.init(),
      acquireConnection: async () => wrap(await inner.acquireConnection()),
      beginTransaction: (connection: DatabaseConnection, settings: TransactionSettings) =>
        inner.beginTransaction(connection, settings),
      commitTransaction: (connection: DatabaseConnection) => inner.commitTransaction(connection),
      rollbackTransaction: (connection: DatabaseConnection) => inner.rollbackTransaction(connection),
      releaseConnection: (connection: DatabaseConnection) => inner.releaseConnection(connection),
      destroy: () => inner.destroy(),
    };
  }
}
