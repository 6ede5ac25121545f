import type { Kysely } from "kysely";
import type { ConsoleSessionRecord, ConsoleSessionsRepository } from "./console-sessions-repository.js";
import type { ConsoleSessionsTable, Database } from "./database.js";

export class KyselyConsoleSessions implements ConsoleSessionsRepository {
  private readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async create(s: ConsoleSessionRecord): Promise<void> {
    await this.db
      .insertInto("console_sessions")
      .values({
        token_hash: s.tokenHash,
        id: s.id,
        proxy: s.proxy,
        user_directory: s.userDirectory,
        user_id: s.userId,
        csrf_token: s.csrfToken,
        created_at: s.createdAt,
        last_active_at: s.lastActiveAt,
        expires_at: s.expiresAt,
        absolute_expires_at: s.absoluteExpiresAt,
      })
      .execute();
  }

  async findByTokenHash(tokenHash: string): Promise<ConsoleSessionRecord | undefined> {
    const row = await this.db
      .selectFrom("console_sessions")
      .selectAll()
      .where("token_hash", "=", tokenHash)
      .executeTakeFirst();
    return row && recordOf(row);
  }

  async touch(id: string, lastActiveAt: number, expiresAt: number): Promise<void> {
    await this.db
      .updateTable("console_sessions")
      .set({ last_active_at: lastActiveAt, expires_at: expiresAt })
      .where("id", "=", id)
      .execute();
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.deleteFrom("console_sessions").where("token_hash", "=", tokenHash).execute();
  }

  async purge(now: number): Promise<number> {
    const result = await this.db
      .deleteFrom("console_sessions")
      .where("expires_at", "<=", now)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function recordOf(row: ConsoleSessionsTable): ConsoleSessionRecord {
  return {
    id: row.id,
    tokenHash: row.token_hash,
    proxy: row.proxy,
    userDirectory: row.user_directory,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    createdAt: Number(row.created_at),
    lastActiveAt: Number(row.last_active_at),
    expiresAt: Number(row.expires_at),
    absoluteExpiresAt: Number(row.absolute_expires_at),
  };
}
