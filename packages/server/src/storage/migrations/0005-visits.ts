import { type Kysely, type Migration, PostgresAdapter, sql } from "kysely";

/** The visit log and the daily keys of the `hash` privacy mode. */
export const visitsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    await db.schema
      .createTable("visits")
      // SQLite: INTEGER PRIMARY KEY is the rowid; PostgreSQL: bigserial, the log outgrows int4.
      .addColumn("id", sql.raw(postgres ? "bigserial" : "integer"), (c) => c.primaryKey())
      .addColumn("time", "bigint", (c) => c.notNull())
      .addColumn("type", "text", (c) => c.notNull())
      .addColumn("proxy", "text", (c) => c.notNull())
      .addColumn("session_id", "text")
      .addColumn("user_directory", "text", (c) => c.notNull())
      .addColumn("user_id", "text", (c) => c.notNull())
      .addColumn("anonymous", "integer", (c) => c.notNull())
      .addColumn("ip", "text")
      .addColumn("user_agent", "text")
      .addColumn("browser", "text")
      .addColumn("os", "text")
      .addColumn("device", "text")
      .addColumn("origin", "text")
      .addColumn("page_url", "text")
      .addColumn("app", "text")
      .addColumn("sheet", "text")
      .addColumn("object", "text")
      .addColumn("duration_ms", "bigint")
      .addColumn("reason", "text")
      .addColumn("denial_code", "text")
      .addColumn("denial_kind", "text")
      .addColumn("visitor", "text")
      .addColumn("visitor_client", "text")
      .addColumn("visitor_hint", "text")
      .addColumn("visitor_key", "text", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("visits_time").on("visits").column("time").execute();
    await db.schema.createIndex("visits_session").on("visits").columns(["session_id", "type"]).execute();

    await db.schema
      .createTable("visit_hash_keys")
      .addColumn("day", "text", (c) => c.primaryKey())
      .addColumn("key", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();
  },
};
