import { type Kysely, Migrator, type Selectable } from "kysely";
import type { Database, SessionsTable } from "./database.js";
import { migrationProvider } from "./migrations.js";
import {
  type BatchTable,
  kyselyRowInserter,
  kyselySessionToucher,
  type RowInserter,
  type RowValues,
  type SessionRowFinder,
  type SessionTouch,
  type SessionToucher,
} from "./row-inserter.js";
import type {
  ConfigChangeRecord,
  SessionEndReason,
  SessionQuery,
  SessionRecord,
  SigningKeyRecord,
  Storage,
} from "./storage.js";

/** What a dialect does its own way; anything absent goes through Kysely. */
export interface KyselyStorageOptions {
  /** How batches are written (SQLite passes its native one); multi-row INSERTs otherwise. */
  rowInserter?: RowInserter;
  /** How sessions' activity is written (SQLite passes its native one); UPDATEs in a transaction otherwise. */
  sessionToucher?: SessionToucher;
  /** How the session row holding a token is read (SQLite passes its native one); through Kysely otherwise. */
  sessionRowFinder?: SessionRowFinder;
  /** What must end before the connection closes (SQLite's checkpoint worker). */
  beforeClose?: () => Promise<void> | undefined;
}

/**
 * The Storage interface over any Kysely dialect. Queries stay in the subset SQLite and PostgreSQL share;
 * bigint columns may come back as strings from `pg`, hence `Number()` on the way out.
 */
export class KyselyStorage implements Storage {
  readonly kind: "sqlite" | "postgres";
  readonly db: Kysely<Database>;
  private readonly rowInserter: RowInserter;
  private readonly sessionToucher: SessionToucher;
  private readonly sessionRowFinder: SessionRowFinder;
  private readonly beforeClose: (() => Promise<void> | undefined) | undefined;

  constructor(db: Kysely<Database>, kind: "sqlite" | "postgres", options: KyselyStorageOptions = {}) {
    this.db = db;
    this.kind = kind;
    this.rowInserter = options.rowInserter ?? kyselyRowInserter(db, kind);
    this.sessionToucher = options.sessionToucher ?? kyselySessionToucher(db);
    this.sessionRowFinder = options.sessionRowFinder ?? ((tokenHash) => this.findSessionRow(tokenHash));
    this.beforeClose = options.beforeClose;
  }

  async migrate(): Promise<void> {
    const migrator = new Migrator({ db: this.db, provider: migrationProvider });
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === "Error");
    if (error || failed)
      throw new Error(
        `storage migration failed${failed ? ` at ${failed.migrationName}` : ""}: ${String((error as Error)?.message ?? error)}`,
      );
  }

  async ping(): Promise<void> {
    await this.db.selectFrom("sessions").select("id").limit(1).execute();
  }

  async close(): Promise<void> {
    try {
      await this.beforeClose?.();
    } finally {
      await this.db.destroy();
    }
  }

  async createSession(s: SessionRecord): Promise<void> {
    await this.db
      .insertInto("sessions")
      .values({
        token_hash: s.tokenHash,
        id: s.id,
        proxy: s.proxy,
        user_directory: s.userDirectory,
        user_id: s.userId,
        anonymous: s.anonymous ? 1 : 0,
        attributes: JSON.stringify(s.attributes),
        origin: s.origin,
        created_at: s.createdAt,
        last_active_at: s.lastActiveAt,
        expires_at: s.expiresAt,
        absolute_expires_at: s.absoluteExpiresAt,
        ended_at: s.endedAt,
        end_reason: s.endReason,
      })
      .execute();
  }

  async addSessionToken(sessionId: string, tokenHash: string, createdAt: number): Promise<void> {
    await this.db
      .insertInto("session_tokens")
      .values({ token_hash: tokenHash, session_id: sessionId, created_at: createdAt })
      .execute();
  }

  async findSessionByTokenHash(tokenHash: string): Promise<SessionRecord | undefined> {
    const row = await this.sessionRowFinder(tokenHash);
    return row ? toSession(row) : undefined;
  }

  private async findSessionRow(tokenHash: string): Promise<Selectable<SessionsTable> | undefined> {
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

  async findSession(id: string): Promise<SessionRecord | undefined> {
    const row = await this.db.selectFrom("sessions").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toSession(row) : undefined;
  }

  touchSessions(touches: readonly SessionTouch[]): Promise<void> {
    return this.sessionToucher(touches);
  }

  async endSession(id: string, endedAt: number, reason: SessionEndReason): Promise<boolean> {
    const result = await this.db
      .updateTable("sessions")
      .set({ ended_at: endedAt, end_reason: reason })
      .where("id", "=", id)
      .where("ended_at", "is", null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async listSessions(query: SessionQuery): Promise<SessionRecord[]> {
    let q = this.db.selectFrom("sessions").selectAll();
    if (query.activeAt !== undefined)
      q = q.where("ended_at", "is", null).where("expires_at", ">", query.activeAt);
    if (query.proxy !== undefined) q = q.where("proxy", "=", query.proxy);
    const rows = await q
      .orderBy("created_at", "desc")
      .limit(query.limit ?? 500)
      .execute();
    return rows.map(toSession);
  }

  async countActiveSessions(now: number): Promise<number> {
    const row = await this.db
      .selectFrom("sessions")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("ended_at", "is", null)
      .where("expires_at", ">", now)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async redeemTicketId(jti: string, expiresAt: number): Promise<boolean> {
    const result = await this.db
      .insertInto("used_tickets")
      .values({ jti, expires_at: expiresAt })
      .onConflict((oc) => oc.column("jti").doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async purgeUsedTickets(now: number): Promise<number> {
    const result = await this.db.deleteFrom("used_tickets").where("expires_at", "<", now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async saveSigningKey(key: SigningKeyRecord): Promise<void> {
    await this.db
      .insertInto("signing_keys")
      .values({
        kid: key.kid,
        algorithm: key.algorithm,
        public_jwk: key.publicJwk,
        created_at: key.createdAt,
        retired_at: key.retiredAt,
      })
      .onConflict((oc) => oc.column("kid").doNothing())
      .execute();
  }

  async retireSigningKey(kid: string, retiredAt: number): Promise<void> {
    await this.db
      .updateTable("signing_keys")
      .set({ retired_at: retiredAt })
      .where("kid", "=", kid)
      .where("retired_at", "is", null)
      .execute();
  }

  async listSigningKeys(): Promise<SigningKeyRecord[]> {
    const rows = await this.db.selectFrom("signing_keys").selectAll().orderBy("created_at").execute();
    return rows.map((r) => ({
      kid: r.kid,
      algorithm: r.algorithm,
      publicJwk: r.public_jwk,
      createdAt: Number(r.created_at),
      retiredAt: r.retired_at === null ? null : Number(r.retired_at),
    }));
  }

  insertRows(table: BatchTable, columns: readonly string[], rows: readonly RowValues[]): Promise<void> {
    return this.rowInserter(table, columns, rows);
  }

  async recordConfigChange(change: Omit<ConfigChangeRecord, "id">): Promise<number> {
    const row = await this.db
      .insertInto("config_changes")
      .values({
        changed_at: change.changedAt,
        section: change.section,
        actor: change.actor,
        content: change.content,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  async listConfigChanges(afterId = 0): Promise<ConfigChangeRecord[]> {
    const rows = await this.db
      .selectFrom("config_changes")
      .selectAll()
      .where("id", ">", afterId)
      .orderBy("id")
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      changedAt: Number(r.changed_at),
      section: r.section,
      actor: r.actor,
      content: r.content,
    }));
  }
}

function toSession(row: Selectable<SessionsTable>): SessionRecord {
  return {
    id: row.id,
    tokenHash: row.token_hash,
    proxy: row.proxy,
    userDirectory: row.user_directory,
    userId: row.user_id,
    anonymous: Number(row.anonymous) === 1,
    attributes: JSON.parse(row.attributes) as Record<string, string | string[]>,
    origin: row.origin,
    createdAt: Number(row.created_at),
    lastActiveAt: Number(row.last_active_at),
    expiresAt: Number(row.expires_at),
    absoluteExpiresAt: Number(row.absolute_expires_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
    endReason: row.end_reason as SessionEndReason | null,
  };
}
