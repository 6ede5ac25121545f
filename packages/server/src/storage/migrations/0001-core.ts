import { type Kysely, type Migration, PostgresAdapter, sql } from "kysely";

/** Sessions and their joined tokens, used ticket ids, public signing keys and config changes. */
export const coreMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("sessions")
      .addColumn("token_hash", "text", (c) => c.primaryKey())
      .addColumn("id", "text", (c) => c.notNull().unique())
      .addColumn("proxy", "text", (c) => c.notNull())
      .addColumn("user_directory", "text", (c) => c.notNull())
      .addColumn("user_id", "text", (c) => c.notNull())
      .addColumn("anonymous", "integer", (c) => c.notNull())
      .addColumn("attributes", "text", (c) => c.notNull().defaultTo("{}"))
      .addColumn("origin", "text")
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("last_active_at", "bigint", (c) => c.notNull())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .addColumn("absolute_expires_at", "bigint", (c) => c.notNull())
      .addColumn("ended_at", "bigint")
      .addColumn("end_reason", "text")
      .execute();
    await db.schema
      .createIndex("sessions_active")
      .on("sessions")
      .columns(["ended_at", "expires_at"])
      .execute();
    await db.schema
      .createIndex("sessions_user")
      .on("sessions")
      .columns(["user_directory", "user_id"])
      .execute();

    await db.schema
      .createTable("session_tokens")
      .addColumn("token_hash", "text", (c) => c.primaryKey())
      .addColumn("session_id", "text", (c) => c.notNull().references("sessions.id").onDelete("cascade"))
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();

    await db.schema
      .createTable("used_tickets")
      .addColumn("jti", "text", (c) => c.primaryKey())
      .addColumn("expires_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema.createIndex("used_tickets_expires").on("used_tickets").column("expires_at").execute();

    await db.schema
      .createTable("signing_keys")
      .addColumn("kid", "text", (c) => c.primaryKey())
      .addColumn("algorithm", "text", (c) => c.notNull())
      .addColumn("public_jwk", "text", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .addColumn("retired_at", "bigint")
      .execute();

    await db.schema
      .createTable("config_changes")
      // Portable auto-increment: SQLite's INTEGER PRIMARY KEY is the rowid; PostgreSQL gets `serial`
      // from the adapter's own variant of this migration step (see `autoIncrementType`).
      .addColumn("id", sql.raw(autoIncrementType(db)), (c) => c.primaryKey())
      .addColumn("changed_at", "bigint", (c) => c.notNull())
      .addColumn("section", "text", (c) => c.notNull())
      .addColumn("actor", "text", (c) => c.notNull())
      .addColumn("content", "text", (c) => c.notNull())
      .execute();
  },
};

/** `integer` autoincrements in SQLite (rowid alias); PostgreSQL needs `serial`. */
function autoIncrementType(db: Kysely<unknown>): string {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "serial" : "integer";
}
