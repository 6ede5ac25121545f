import type { Kysely } from "kysely";
import type { ConfigChangeRecord, ConfigChangesRepository } from "./config-changes-repository.js";
import type { Database } from "./database.js";

export class KyselyConfigChanges implements ConfigChangesRepository {
  private readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  async record(change: Omit<ConfigChangeRecord, "id">): Promise<number> {
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
