import path from "node:path";
import type { TableDef } from "@portico/engine";
import type { FieldType } from "@portico/protocol";
import Database from "better-sqlite3";
import pg from "pg";
import type { DataConnectionConfig } from "../config/schema.js";

/** How long connecting, and one query, may take before a load fails (a reload keeps the old data). */
const CONNECT_TIMEOUT_MS = 10_000;
const QUERY_TIMEOUT_MS = 300_000;

/** Where the SQLite files of connections are (the data directory), and the environment with passwords. */
export interface SqlSourceContext {
  dataRoot: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * A table read by a query through a data connection, as the engine loads it: the columns, the rows and
 * the types the database declares. PostgreSQL runs the query in a READ ONLY transaction with every value
 * as its text (the engine types it); SQLite opens the file read-only. Errors name the connection, never
 * a password: the password only ever comes from the environment variable the connection names.
 */
export async function readSqlTable(
  name: string,
  connection: DataConnectionConfig,
  query: string,
  context: SqlSourceContext,
): Promise<TableDef> {
  try {
    return connection.type === "postgres"
      ? await readPostgres(name, connection, query, context)
      : readSqlite(name, connection, query, context);
  } catch (error) {
    throw new Error(`connection "${connection.name}": ${reasonOf(error)}`, { cause: error });
  }
}

/** The columns a query returns, reading no rows (`portico check`). */
export async function readSqlFields(
  connection: DataConnectionConfig,
  query: string,
  context: SqlSourceContext,
): Promise<string[]> {
  const bare = query.trim().replace(/;+\s*$/, "");
  const read = await readSqlTable("fields", connection, `select * from (${bare}) as q limit 0`, context);
  await drain(read);
  return read.fields ?? [];
}

/** Connects and runs `select 1` (or opens the file): the admin API's "test connection". */
export async function testConnection(
  connection: DataConnectionConfig,
  context: SqlSourceContext,
): Promise<void> {
  await drain(await readSqlTable("test", connection, "select 1 as ok", context));
}

/** Reads (and so closes) what a query returned. */
async function drain(read: TableDef): Promise<void> {
  for await (const _row of read.records ?? []) {
    // nothing: the rows are not wanted
  }
}

type PostgresConnection = Extract<DataConnectionConfig, { type: "postgres" }>;
type SqliteConnection = Extract<DataConnectionConfig, { type: "sqlite" }>;

async function readPostgres(
  name: string,
  connection: PostgresConnection,
  query: string,
  context: SqlSourceContext,
): Promise<TableDef> {
  const client = new pg.Client({
    connectionString: connection.url,
    password: passwordOf(connection, context),
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    application_name: "portico",
    // Every value as the text PostgreSQL sends: the engine parses numbers and dates, exactly.
    types: { getTypeParser: () => (text: string) => text },
  });
  client.on("error", () => undefined);
  await client.connect();
  try {
    await client.query("BEGIN READ ONLY");
    const result = await client.query({ text: query, rowMode: "array" });
    await client.query("COMMIT");
    const fields = result.fields.map((f) => f.name);
    const sourceTypes: Record<string, FieldType> = {};
    for (const field of result.fields) {
      const type = POSTGRES_TYPES[field.dataTypeID];
      if (type) sourceTypes[field.name] = type;
    }
    return { name, fields, records: yielding(result.rows as unknown[][]), sourceTypes };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** PostgreSQL type oids with an engine type; the rest are text or inferred. */
const POSTGRES_TYPES: Record<number, FieldType> = {
  20: "number", // int8
  21: "number", // int2
  23: "number", // int4
  26: "number", // oid
  700: "number", // float4
  701: "number", // float8
  1700: "number", // numeric
  1082: "date", // date
  25: "text", // text
  1042: "text", // bpchar
  1043: "text", // varchar
};

function passwordOf(connection: PostgresConnection, context: SqlSourceContext): string | undefined {
  if (connection.passwordEnv === undefined) return undefined;
  const password = (context.env ?? process.env)[connection.passwordEnv];
  if (password === undefined)
    throw new Error(`the environment variable ${connection.passwordEnv} (passwordEnv) is not set`);
  return password;
}

function readSqlite(
  name: string,
  connection: SqliteConnection,
  query: string,
  context: SqlSourceContext,
): TableDef {
  const file = path.resolve(context.dataRoot, connection.file);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    // The message of a missing file holds its absolute path: name it as written instead.
    throw new Error(`cannot open ${connection.file}: ${(error as { code?: string }).code ?? "error"}`);
  }
  try {
    const statement = db.prepare(query);
    if (!statement.reader) throw new Error("the query returns no rows (a table source needs a SELECT)");
    const columns = statement.columns();
    const sourceTypes: Record<string, FieldType> = {};
    for (const column of columns) {
      const type = sqliteType(column.type);
      if (type) sourceTypes[column.name] = type;
    }
    const rows = statement.raw(true).iterate() as IterableIterator<unknown[]>;
    // The handle closes when the rows are read, or when reading them stops early.
    const open = db;
    async function* records() {
      try {
        yield* yielding(rows);
      } finally {
        open.close();
      }
    }
    return { name, fields: columns.map((c) => c.name), records: records(), sourceTypes };
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Rows handed on with a pause for the event loop every few thousand: a big load never stalls visitors. */
async function* yielding(rows: Iterable<unknown[]>): AsyncGenerator<unknown[]> {
  let n = 0;
  for (const row of rows) {
    yield row;
    if (++n % YIELD_EVERY_ROWS === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}

const YIELD_EVERY_ROWS = 5000;

/** SQLite's type affinity rules, on the declared type of a column (expressions declare none). */
function sqliteType(declared: string | null): FieldType | undefined {
  if (!declared) return undefined;
  const type = declared.toUpperCase();
  if (type === "DATE") return "date";
  if (type.includes("INT") || /REAL|FLOA|DOUB|NUMERIC|DECIMAL/.test(type)) return "number";
  if (/CHAR|CLOB|TEXT/.test(type)) return "text";
  return undefined;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
