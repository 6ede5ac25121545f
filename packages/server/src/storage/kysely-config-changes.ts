import { type Kysely, sql } from "kysely";
import type { ConfigChangeRecord, ConfigChangesRepository } from "./config-changes-repository.js";
import type { Database } from "./database.js";

/** The advisory lock that puts PostgreSQL's config change inserts in one line ("PCFG" in ASCII). */
const RECORD_LOCK = 0x50434647;

export class KyselyConfigChanges implements ConfigChangesRepository {
  private readonly db: Kysely<Database>;
  private readonly kind: "sqlite" | "postgres";

  constructor(db: Kysely<Database>, kind: "sqlite" | "postgres" = "sqlite") {
    this.db = db;
    this.kind = kind;
  }

  /**
   * Ids commit in the order they are given: on PostgreSQL two concurrent inserts could otherwise commit
   * id 8 after id 9, and a node that had already read 9 would never see 8. A transaction-scoped advisory
   * lock makes each insert take its id and commit before the next takes one (SQLite has one writer anyway).
   */
  async record(change: Omit<ConfigChangeRecord, "id">): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      if (this.kind === "postgres") await sql`select pg_advisory_xact_lock(${RECORD_LOCK})`.execute(trx);
      return this.insert(trx, change);
    });
  }

  private async insert(db: Kysely<Database>, change: Omit<ConfigChangeRecord, "id">): Promise<number> {
    const row = await db
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

  async list(afterId = 0): Promise<ConfigChangeRecord[]> {
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
