import type { Database as SqliteDatabase, Statement, Transaction } from "better-sqlite3";
import { CompiledQuery, type Kysely } from "kysely";
import type { Database } from "./database.js";

/** Tables written in batches by `Storage.insertRows`. */
export type BatchTable = keyof Database & string;
/** One row's values, in the order of the batch's columns. */
export type RowValues = readonly unknown[];

/** Inserts rows into one table in one transaction: every row commits or none does. */
export type RowInserter = (
  table: BatchTable,
  columns: readonly string[],
  rows: readonly RowValues[],
) => Promise<void>;

/** Rows per multi-row INSERT: 26 columns x 300 stays far under PostgreSQL's 65,535 parameters. */
const ROWS_PER_STATEMENT = 300;

/** A row with fewer or more values than columns would shift every value after it: refused, never padded. */
function checkWidth(row: RowValues, width: number): void {
  if (row.length !== width) throw new TypeError(`insertRows: expected ${width} values, got ${row.length}`);
}

function quoted(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function insertText(table: BatchTable, columns: readonly string[], rowsText: string): string {
  return `insert into ${quoted(table)} (${columns.map(quoted).join(",")}) values ${rowsText}`;
}

/**
 * Any dialect (PostgreSQL): multi-row INSERTs in a Kysely transaction, written directly rather than
 * through the query builder (building a 26-column AST per row was most of the writer's CPU). Values are
 * bound parameters, never spliced into the text.
 */
export function kyselyRowInserter(db: Kysely<Database>, kind: "sqlite" | "postgres"): RowInserter {
  return async (table, columns, rows) => {
    if (rows.length === 0) return;
    await db.transaction().execute(async (trx) => {
      for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
        const params: unknown[] = [];
        const tuples: string[] = [];
        for (const row of rows.slice(start, start + ROWS_PER_STATEMENT)) {
          checkWidth(row, columns.length);
          const marks: string[] = [];
          for (let i = 0; i < columns.length; i++) {
            params.push(row[i]);
            marks.push(kind === "postgres" ? `$${params.length}` : "?");
          }
          tuples.push(`(${marks.join(",")})`);
        }
        await trx.executeQuery(CompiledQuery.raw(insertText(table, columns, tuples.join(",")), params));
      }
    });
  };
}

/**
 * Runs `batch` (synchronous better-sqlite3 calls, wrapped in a native transaction by the caller) on the
 * connection Kysely shares. The native BEGIN must never land inside a Kysely transaction that is awaiting
 * between its statements (its rows would then commit or roll back with that one): when no transaction is
 * open the batch runs at once, start to finish in one synchronous call, so none can begin in the middle
 * of it; otherwise, or when the connection is busy (a query's rows being streamed), it waits for Kysely's
 * connection, as every batch did until session 7 (the wait cost ~1 us an event: turn-end batches are small).
 */
async function onSqliteConnection(
  db: Kysely<Database>,
  native: SqliteDatabase,
  what: string,
  batch: () => void,
): Promise<void> {
  if (!native.inTransaction) {
    try {
      batch();
      return;
    } catch (error) {
      // better-sqlite3 refuses any statement while an iterator is open, before running anything.
      if (!(error instanceof TypeError && /busy/.test(error.message))) throw error;
    }
  }
  await db.connection().execute(async () => {
    // Holding the connection, a transaction can only be open if someone began one outside Kysely's
    // transaction API; better-sqlite3 would nest the batch in it as a savepoint. Refuse instead.
    if (native.inTransaction) throw new Error(`${what}: the connection is inside another transaction`);
    batch();
  });
}

/**
 * SQLite: one prepared single-row INSERT per table and column list, run row by row inside one native
 * transaction (`onSqliteConnection`). better-sqlite3 is synchronous, so a batch costs what SQLite costs
 * (a few microseconds a row) instead of a Kysely transaction's promise chain and a fresh SQL text per
 * batch size.
 */
export function sqliteRowInserter(db: Kysely<Database>, native: SqliteDatabase): RowInserter {
  // Keyed by SQL text; tables and column lists come from code, so this stays a handful of entries.
  const prepared = new Map<string, Transaction<(rows: readonly RowValues[]) => void>>();
  const insertAll = (table: BatchTable, columns: readonly string[]) => {
    const text = insertText(table, columns, `(${columns.map(() => "?").join(",")})`);
    let run = prepared.get(text);
    if (run === undefined) {
      const statement: Statement<unknown[]> = native.prepare(text);
      const width = columns.length;
      run = native.transaction((rows: readonly RowValues[]) => {
        for (const row of rows) {
          checkWidth(row, width);
          // Spread: bound from the call's arguments, where an array is read element by element through
          // the engine's generic property lookup (about half a microsecond more per row).
          statement.run(...row);
        }
      });
      prepared.set(text, run);
    }
    return run;
  };
  return async (table, columns, rows) => {
    if (rows.length === 0) return;
    await onSqliteConnection(db, native, "insertRows", () => insertAll(table, columns)(rows));
  };
}

/** One session's recorded activity (`Storage.touchSessions`). */
export interface SessionTouch {
  id: string;
  lastActiveAt: number;
  expiresAt: number;
}

/** Writes sessions' activity, all in one transaction. */
export type SessionToucher = (touches: readonly SessionTouch[]) => Promise<void>;

const TOUCH_SQL = "update sessions set last_active_at = ?, expires_at = ? where id = ? and ended_at is null";

/** SQLite: the touches of a batch as one native transaction of prepared UPDATEs (`onSqliteConnection`). */
export function sqliteSessionToucher(db: Kysely<Database>, native: SqliteDatabase): SessionToucher {
  let run: Transaction<(touches: readonly SessionTouch[]) => void> | undefined;
  return async (touches) => {
    if (touches.length === 0) return;
    if (run === undefined) {
      const statement = native.prepare(TOUCH_SQL);
      run = native.transaction((all: readonly SessionTouch[]) => {
        for (const t of all) statement.run(t.lastActiveAt, t.expiresAt, t.id);
      });
    }
    const touchAll = run;
    await onSqliteConnection(db, native, "touchSessions", () => touchAll(touches));
  };
}

/** Any dialect: the touches as UPDATEs in one Kysely transaction. */
export function kyselySessionToucher(db: Kysely<Database>): SessionToucher {
  return async (touches) => {
    if (touches.length === 0) return;
    await db.transaction().execute(async (trx) => {
      for (const t of touches)
        await trx
          .updateTable("sessions")
          .set({ last_active_at: t.lastActiveAt, expires_at: t.expiresAt })
          .where("id", "=", t.id)
          .where("ended_at", "is", null)
          .execute();
    });
  };
}
