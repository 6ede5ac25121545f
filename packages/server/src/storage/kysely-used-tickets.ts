import type { Kysely } from "kysely";
import type { Database } from "./database.js";
import type { UsedTicketsRepository } from "./used-tickets-repository.js";

export class KyselyUsedTickets implements UsedTicketsRepository {
  private readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async redeem(jti: string, expiresAt: number): Promise<boolean> {
    const result = await this.db
      .insertInto("used_tickets")
      .values({ jti, expires_at: expiresAt })
      .onConflict((oc) => oc.column("jti").doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  async isUsed(jti: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("used_tickets")
      .select("jti")
      .where("jti", "=", jti)
      .executeTakeFirst();
    return row !== undefined;
  }

  async purge(now: number): Promise<number> {
    const result = await this.db.deleteFrom("used_tickets").where("expires_at", "<", now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
