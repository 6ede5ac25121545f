import { Kysely, PostgresDialect } from "kysely";
import type { Database } from "./database.js";
import { KyselyStorage } from "./kysely-storage.js";

/** Connections per node; PostgreSQL's default limit of 100 leaves room for several nodes. */
const POOL_SIZE = 10;
/** An idle connection is closed after this long (a restarted database leaves none behind for long). */
const IDLE_MS = 30_000;

export interface PostgresStorageOptions {
  /** How long a query waits for a connection (default 2000). */
  connectTimeoutMs?: number;
  /** The database cancels a statement running longer (default 5000); the client gives up a second later. */
  queryTimeoutMs?: number;
  /** Where connection errors outside any query are reported (a restart, a failover): never a crash. */
  onConnectionError?: (error: Error) => void;
}

/**
 * Opens a PostgreSQL database (several nodes share it) through a connection pool, and migrates it. The
 * pool outlives its database: a connection the server terminates (restart, failover) is reported and
 * dropped, the next query opens a new one, and every wait is bounded, so a database that is down or
 * frozen makes requests fail fast (503 STORAGE_UNAVAILABLE) instead of hanging or ending the process.
 */
export async function openPostgresStorage(
  url: string,
  options: PostgresStorageOptions = {},
): Promise<KyselyStorage> {
  // Loaded only when configured: embedded (SQLite) deployments never load the PostgreSQL client.
  const { default: pg } = await import("pg");
  const queryTimeoutMs = options.queryTimeoutMs ?? 5000;
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_SIZE,
    idleTimeoutMillis: IDLE_MS,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 2000,
    statement_timeout: queryTimeoutMs,
    // A frozen server never answers the cancel either: the client stops waiting a little later.
    query_timeout: queryTimeoutMs + 1000,
    // A transaction left open by a vanished client must not hold its locks for long.
    idle_in_transaction_session_timeout: queryTimeoutMs * 2,
    keepAlive: true,
  });
  const report = (error: Error) => options.onConnectionError?.(error);
  // An idle connection's error is re-emitted by the pool; a checked-out connection's by the client itself.
  // Without a listener either is an unhandled 'error' event, which ends the process.
  pool.on("error", report);
  pool.on("connect", (client) => client.on("error", report));
  return KyselyStorage.open(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), "postgres");
}
