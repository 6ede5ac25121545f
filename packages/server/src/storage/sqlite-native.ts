import type { Database as SqliteDatabase, Statement, Transaction } from "better-sqlite3";
import type { Kysely, Selectable } from "kysely";
import type { Database, SessionsTable } from "./database.js";
import type {
  BatchTable,
  RowInserter,
  RowValues,
  SessionRowFinder,
  SessionTouch,
  SessionToucher,
} from "./row-inserter.js";
import { checkWidth, insertText } from "./row-inserter.js";

// SQLite's busiest statements run straight on better-sqlite3's connection (the one Kysely shares),
// synchronously, instead of through Kysely's query builder, compiler and connection promise chain.

/**
 * Runs `batch` (synchronous better-sqlite3 calls; a write wraps them in a native transaction) on the
 * connection Kysely shares, and returns what it returns. A native BEGIN must never land inside a Kysely
 * transaction that is awaiting between its statements (its rows would then commit or roll back with that
 * one), and a read must not see that transaction's uncommitted rows: when no transaction is open the
 * batch runs at once, start to finish in one synchronous call, so none can begin in the middle of it;
 * otherwise, or when the connection is busy (a query's rows being streamed), it waits for Kysely's
 * connection, as every batch did until session 7 (the wait cost ~1 us an event: turn-end batches are small).
 */
async function onSqliteConnection<T>(
  db: Kysely<Database>,
  native: SqliteDatabase,
  what: string,
  batch: () => T,
): Promise<T> {
  if (!native.inTransaction) {
    try {
      return batch();
    } catch (error) {
      // better-sqlite3 refuses any statement while an iterator is open, before running anything.
      if (!(error instanceof TypeError && /busy/.test(error.message))) throw error;
    }
  }
  return db.connection().execute(async () => {
    // Holding the connection, a transaction can only be open if someone began one outside Kysely's
    // transaction API; better-sqlite3 would nest the batch in it as a savepoint. Refuse instead.
    if (native.inTransaction) throw new Error(`${what}: the connection is inside another transaction`);
    return batch();
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

/** The sessions table's columns, in the order `sessionRow` reads them. */
const SESSION_COLUMNS =
  "token_hash, id, proxy, user_directory, user_id, anonymous, attributes, origin, created_at, last_active_at, expires_at, absolute_expires_at, ended_at, end_reason";
const SESSION_BY_TOKEN_SQL = `select ${SESSION_COLUMNS} from sessions where token_hash = ?`;
const SESSION_BY_JOINED_TOKEN_SQL = `select ${SESSION_COLUMNS.replace(/\w+/g, "sessions.$&")} from session_tokens join sessions on sessions.id = session_tokens.session_id where session_tokens.token_hash = ?`;

/**
 * A row read as an array (`Statement.raw()`) as the object Kysely would give: one object literal of one
 * shape, where better-sqlite3's own row objects are built key by key through the engine's API (a quarter
 * of the read's cost).
 */
function sessionRow(r: unknown[]): Selectable<SessionsTable> {
  return {
    token_hash: r[0] as string,
    id: r[1] as string,
    proxy: r[2] as string,
    user_directory: r[3] as string,
    user_id: r[4] as string,
    anonymous: r[5] as number,
    attributes: r[6] as string,
    origin: r[7] as string | null,
    created_at: r[8] as number,
    last_active_at: r[9] as number,
    expires_at: r[10] as number,
    absolute_expires_at: r[11] as number,
    ended_at: r[12] as number | null,
    end_reason: r[13] as string | null,
  };
}

/**
 * SQLite: `findSessionByTokenHash`'s two lookups as prepared statements (`onSqliteConnection`: a read in
 * the middle of another caller's open transaction waits, as through Kysely). Past the 1 s session cache
 * nearly every request of a visitor reads its session; through Kysely that read cost a beacon ~31 us.
 */
export function sqliteSessionRowFinder(db: Kysely<Database>, native: SqliteDatabase): SessionRowFinder {
  let byToken: Statement<[string], unknown[]> | undefined;
  let byJoinedToken: Statement<[string], unknown[]> | undefined;
  return (tokenHash) =>
    onSqliteConnection(db, native, "findSessionByTokenHash", () => {
      byToken ??= native.prepare<[string], unknown[]>(SESSION_BY_TOKEN_SQL).raw();
      byJoinedToken ??= native.prepare<[string], unknown[]>(SESSION_BY_JOINED_TOKEN_SQL).raw();
      const row = byToken.get(tokenHash) ?? byJoinedToken.get(tokenHash);
      return row === undefined ? undefined : sessionRow(row);
    });
}
