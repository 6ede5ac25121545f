import { type Kysely, PostgresAdapter, type Selectable, sql } from "kysely";
import type { Database, SessionsTable } from "./database.js";
import type { FastPaths } from "./fast-paths.js";
import { KyselySessionStart } from "./kysely-session-start.js";
import { sessionFromRow, sessionToRow } from "./session-rows.js";
import type { SessionStart } from "./session-start.js";
import type {
  SessionEndReason,
  SessionQuery,
  SessionRecord,
  SessionsRepository,
  SessionTouch,
} from "./sessions-repository.js";

/** Sessions over any Kysely dialect; `fast` replaces the busiest statements (SQLite's native ones). */
export class KyselySessions implements SessionsRepository {
  private readonly db: Kysely<Database>;
  private readonly findRow: FastPaths["findSessionRow"];
  private readonly touchAll: FastPaths["touchSessions"];
  private readonly insertStart: FastPaths["insertSessionStart"] | undefined;
  private readonly postgres: boolean;

  constructor(
    db: Kysely<Database>,
    fast?: Pick<FastPaths, "findSessionRow" | "touchSessions" | "insertSessionStart">,
  ) {
    this.db = db;
    this.insertStart = fast?.insertSessionStart;
    this.postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    this.findRow = fast?.findSessionRow ?? ((tokenHash) => this.findRowByToken(tokenHash));
    this.touchAll = fast?.touchSessions ?? ((touches) => this.touchInTransaction(touches));
  }

  async create(session: SessionRecord): Promise<void> {
    await this.db.insertInto("sessions").values(sessionToRow(session)).execute();
  }

  start(session: SessionRecord): SessionStart {
    return new KyselySessionStart(this.db, session, this.insertStart);
  }

  async addToken(sessionId: string, tokenHash: string, createdAt: number): Promise<void> {
    await this.db
      .insertInto("session_tokens")
      .values({ token_hash: tokenHash, session_id: sessionId, created_at: createdAt })
      .execute();
  }

  async findByTokenHash(tokenHash: string): Promise<SessionRecord | undefined> {
    const row = await this.findRow(tokenHash);
    return row ? sessionFromRow(row) : undefined;
  }

  async find(id: string): Promise<SessionRecord | undefined> {
    const row = await this.db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? sessionFromRow(row) : undefined;
  }

  async touch(touches: readonly SessionTouch[]): Promise<void> {
    if (touches.length === 0) return;
    // Rows locked in one order by every node: two batches sharing sessions wait for each other instead of
    // deadlocking. Other writers (ending sessions) lock in their own order, so a conflict is retried once.
    const ordered = [...touches].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    try {
      await this.touchAll(ordered);
    } catch (error) {
      if (!isTransientConflict(error)) throw error;
      await this.touchAll(ordered);
    }
  }

  async end(id: string, endedAt: number, reason: SessionEndReason): Promise<boolean> {
    const result = await this.db
      .updateTable("sessions")
      .set({ ended_at: endedAt, end_reason: reason })
      .where("id", "=", id)
      .where("ended_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async list(query: SessionQuery): Promise<SessionRecord[]> {
    let q = this.db.selectFrom("sessions").selectAll();
    if (query.activeAt !== undefined)
      q = q.where("ended_at", "is", null).where("expires_at", ">", query.activeAt);
    if (query.proxy !== undefined) q = q.where("proxy", "=", query.proxy);
    const rows = await q
      .orderBy("created_at", "desc")
      .limit(query.limit ?? 500)
      .execute();
    return rows.map(sessionFromRow);
  }

  async countActive(now: number): Promise<number> {
    const row = await this.db
      .selectFrom("sessions")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("ended_at", "is", null)
      .where("expires_at", ">", now)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async findLive(
    proxy: string,
    userDirectory: string,
    userId: string,
    now: number,
  ): Promise<SessionRecord | undefined> {
    const row = await this.db
      .selectFrom("sessions")
      .selectAll()
      .where("user_id", "=", userId)
      .where("proxy", "=", proxy)
      .where("user_directory", "=", userDirectory)
      .where("ended_at", "is", null)
      .where("expires_at", ">", now)
      .orderBy("created_at", "desc")
      .executeTakeFirst();
    return row ? sessionFromRow(row) : undefined;
  }

  async leave(
    proxy: string,
    userDirectory: string,
    userId: string,
    now: number,
    graceMs: number,
  ): Promise<string[]> {
    const rows = await this.db
      .updateTable("sessions")
      .set((eb) => ({
        left_at: now,
        expires_at: eb
          .case()
          .when("expires_at", "<", now + graceMs)
          .then(eb.ref("expires_at"))
          .else(now + graceMs)
          .end(),
      }))
      .where("user_id", "=", userId)
      .where("proxy", "=", proxy)
      .where("user_directory", "=", userDirectory)
      .where("ended_at", "is", null)
      .where("expires_at", ">", now)
      .returning("id")
      .execute();
    return rows.map((r) => r.id);
  }

  async listExpired(now: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom("sessions")
      .select("id")
      .where("ended_at", "is", null)
      .where("expires_at", "<=", now)
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  async endExpired(now: number, limit: number): Promise<SessionRecord[]> {
    const rows = await this.db
      .updateTable("sessions")
      .set((eb) => ({
        ended_at: now,
        end_reason: eb
          .case()
          .when(eb.and([eb("left_at", "is not", null), eb("left_at", ">=", eb.ref("last_active_at"))]))
          .then(sql.lit("left"))
          .when("absolute_expires_at", "<=", now)
          .then(sql.lit("expired"))
          .else(sql.lit("timeout"))
          .end(),
      }))
      .where("id", "in", (eb) => {
        const batch = eb
          .selectFrom("sessions")
          .select("id")
          .where("ended_at", "is", null)
          .where("expires_at", "<=", now)
          .orderBy("id")
          .limit(limit);
        // Locks taken in id order, like the touches', and never waited for: rows another node is ending
        // (or touching) are left to it.
        return this.postgres ? batch.forUpdate().skipLocked() : batch;
      })
      // Checked again on the row as it is updated: a session ended, or kept alive, meanwhile stays as it is.
      .where("ended_at", "is", null)
      .where("expires_at", "<=", now)
      .returningAll()
      .execute();
    return rows.map(sessionFromRow);
  }

  private async findRowByToken(tokenHash: string): Promise<Selectable<SessionsTable> | undefined> {
    const row = await this.db
      .selectFrom("sessions")
      .selectAll()
      .where("token_hash", "=", tokenHash)
      .executeTakeFirst();
    if (row) return row;
    return this.db
      .selectFrom("session_tokens")
      .innerJoin("sessions", "sessions.id", "session_tokens.session_id")
      .selectAll("sessions")
      .where("session_tokens.token_hash", "=", tokenHash)
      .executeTakeFirst();
  }

  private async touchInTransaction(touches: readonly SessionTouch[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const t of touches)
        await trx
          .updateTable("sessions")
          .set({ last_active_at: t.lastActiveAt, expires_at: t.expiresAt })
          .where("id", "=", t.id)
          .where("ended_at", "is", null)
          .execute();
    });
  }
}

/** A deadlock or serialization failure (PostgreSQL): the transaction was rolled back and may simply run again. */
function isTransientConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === "40P01" || code === "40001";
}
