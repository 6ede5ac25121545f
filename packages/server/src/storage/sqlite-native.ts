import type { Database as SqliteDatabase, Statement, Transaction } from "better-sqlite3";
import type { Insertable, Kysely, Selectable } from "kysely";
import type { Database, SessionsTable } from "./database.js";
import type { FastPaths } from "./fast-paths.js";
import { type BatchTable, checkWidth, insertText, type RowValues } from "./row-inserter.js";
import type { SessionTouch } from "./sessions-repository.js";
import { isBusy, withBusyRetry } from "./sqlite-busy.js";
import { VISIT_COLUMNS, visitValues } from "./visit-columns.js";
import type { VisitRow } from "./visits-repository.js";

// SQLite's busiest statements run straight on better-sqlite3's connection (the one Kysely shares),
// synchronously, instead of through Kysely's query builder, compiler and connection promise chain.

/** SQLite's fast paths, on the connection `db` wraps. */
export function sqliteFastPaths(db: Kysely<Database>, native: SqliteDatabase): FastPaths {
  return {
    findSessionRow: sqliteSessionRowFinder(db, native),
    touchSessions: sqliteSessionToucher(db, native),
    insertRows: sqliteRowInserter(db, native),
    insertSessionStart: sqliteSessionStarter(db, native),
  };
}

/**
 * Runs `batch` (synchronous better-sqlite3 calls; a write wraps them in a native transaction) on the
 * connection Kysely shares, and returns what it returns. A native BEGIN must never land inside a Kysely
 * transaction that is awaiting between its statements (its rows would then commit or roll back with that
 * one), and a read must not see that transaction's uncommitted rows: when no transaction is open the
 * batch runs at once, start to finish in one synchronous call, so none can begin in the middle of it;
 * otherwise, or when the connection is busy (a query's rows being streamed), it waits for Kysely's
 * connection.
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
      // better-sqlite3 refuses any statement while an iterator is open, before running anything; another
      // process's lock rolls the batch back: either way it runs again below.
      if (!(error instanceof TypeError && /busy/.test(error.message)) && !isBusy(error)) throw error;
    }
  }
  return db.connection().execute(async () =>
    // Holding the connection (so nothing else begins in between), waiting for a lock off the event loop.
    withBusyRetry(() => {
      // Holding the connection, a transaction can only be open if someone began one outside Kysely's
      // transaction API; better-sqlite3 would nest the batch in it as a savepoint. Refuse instead.
      if (native.inTransaction) throw new Error(`${what}: the connection is inside another transaction`);
      return batch();
    }),
  );
}

/**
 * SQLite: one prepared single-row INSERT per table and column list, run row by row inside one native
 * transaction (`onSqliteConnection`). better-sqlite3 is synchronous, so a batch costs what SQLite costs
 * instead of a Kysely transaction's promise chain and a fresh SQL text per batch size.
 */
function sqliteRowInserter(db: Kysely<Database>, native: SqliteDatabase): FastPaths["insertRows"] {
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
          // Spread: bound from the call's arguments, where an array would be read element by element
          // through the engine's generic property lookup.
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

/**
 * SQLite: a session row and its start events as one native transaction of prepared INSERTs
 * (`onSqliteConnection`), for a start with nothing else to write.
 */
function sqliteSessionStarter(db: Kysely<Database>, native: SqliteDatabase): FastPaths["insertSessionStart"] {
  let run: Transaction<(session: Insertable<SessionsTable>, visits: readonly VisitRow[]) => void> | undefined;
  return async (session, visits) => {
    if (run === undefined) {
      const columns = Object.keys(session) as BatchColumn[];
      const insertSession = native.prepare(
        insertText("sessions", columns, `(${columns.map(() => "?").join(",")})`),
      );
      const insertVisit = native.prepare(
        insertText("visits", VISIT_COLUMNS, `(${VISIT_COLUMNS.map(() => "?").join(",")})`),
      );
      run = native.transaction((row: Insertable<SessionsTable>, rows: readonly VisitRow[]) => {
        insertSession.run(...columns.map((c) => row[c]));
        for (const visit of rows) insertVisit.run(...visitValues(visit));
      });
    }
    const insertAll = run;
    await onSqliteConnection(db, native, "insertSessionStart", () => insertAll(session, visits));
  };
}

type BatchColumn = keyof Insertable<SessionsTable>;

const TOUCH_SQL = "update sessions set last_active_at = ?, expires_at = ? where id = ? and ended_at is null";

/** SQLite: the touches of a batch as one native transaction of prepared UPDATEs (`onSqliteConnection`). */
function sqliteSessionToucher(db: Kysely<Database>, native: SqliteDatabase): FastPaths["touchSessions"] {
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

const SESSION_BY_TOKEN_SQL = "select * from sessions where token_hash = ?";
const SESSION_BY_JOINED_TOKEN_SQL =
  "select sessions.* from session_tokens join sessions on sessions.id = session_tokens.session_id where session_tokens.token_hash = ?";

/**
 * SQLite: the session read by token as prepared statements (`onSqliteConnection`: a read in the middle
 * of another caller's open transaction waits, as through Kysely). Past the session cache nearly every
 * request of a visitor reads its session. Rows come back keyed by column name, as Kysely's do.
 */
function sqliteSessionRowFinder(db: Kysely<Database>, native: SqliteDatabase): FastPaths["findSessionRow"] {
  type Row = Selectable<SessionsTable>;
  let byToken: Statement<[string], Row> | undefined;
  let byJoinedToken: Statement<[string], Row> | undefined;
  return (tokenHash) =>
    onSqliteConnection(db, native, "findSessionByTokenHash", () => {
      byToken ??= native.prepare<[string], Row>(SESSION_BY_TOKEN_SQL);
      byJoinedToken ??= native.prepare<[string], Row>(SESSION_BY_JOINED_TOKEN_SQL);
      return byToken.get(tokenHash) ?? byJoinedToken.get(tokenHash);
    });
}
