import { Kysely, PostgresDialect } from "kysely";
import type { Database } from "./database.js";
import { KyselyStorage } from "./kysely-storage.js";

/** Connections per node; PostgreSQL's default limit of 100 leaves room for several nodes. */
const POOL_SIZE = 10;

/** Opens a PostgreSQL database (several nodes share it) through a connection pool, and migrates it. */
export async function openPostgresStorage(url: string): Promise<KyselyStorage> {
  // Loaded only when configured: embedded (SQLite) deployments never load the PostgreSQL client.
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
  return KyselyStorage.open(new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), "postgres");
}
