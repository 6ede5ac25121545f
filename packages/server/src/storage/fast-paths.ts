import type { Insertable, Selectable } from "kysely";
import type { SessionsTable } from "./database.js";
import type { RowInserter } from "./row-inserter.js";
import type { SessionTouch } from "./sessions-repository.js";
import type { VisitRow } from "./visits-repository.js";

/**
 * The statements an adapter runs its own way instead of through Kysely, behind the repositories'
 * interfaces (SQLite's are in `sqlite-native.ts`). Each does exactly what the Kysely path does; the
 * storage contract test runs with and without them.
 */
export interface FastPaths {
  /** Reads the session row holding a token: a session's first token, or one joined to it. */
  findSessionRow(tokenHash: string): Promise<Selectable<SessionsTable> | undefined>;
  /** Writes sessions' activity, all in one transaction. */
  touchSessions(touches: readonly SessionTouch[]): Promise<void>;
  /** Inserts rows into one table in one transaction. */
  insertRows: RowInserter;
  /** Inserts a starting session's row and its start events in one transaction (nothing else to write). */
  insertSessionStart(session: Insertable<SessionsTable>, visits: readonly VisitRow[]): Promise<void>;
}
