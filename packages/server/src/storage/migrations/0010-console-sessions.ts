import type { Kysely, Migration } from "kysely";

/**
 * `console_sessions`: management console sign-ins, in storage so every node of a cluster knows them (the
 * cookie's token only as its hash). Purged by their deadline, which the index serves.
 */
export const consoleSessionsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable("console_sessions")
      .addColumn("token_hash", "text", (col) => col.primaryKey())
      .addColumn("id", "text", (col) => col.notNull().unique())
      .addColumn("proxy", "text", (col) => col.notNull())
      .addColumn("user_directory", "text", (col) => col.notNull())
      .addColumn("user_id", "text", (col) => col.notNull())
      .addColumn("csrf_token", "text", (col) => col.notNull())
      .addColumn("created_at", "bigint", (col) => col.notNull())
      .addColumn("last_active_at", "bigint", (col) => col.notNull())
      .addColumn("expires_at", "bigint", (col) => col.notNull())
      .addColumn("absolute_expires_at", "bigint", (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex("console_sessions_expires")
      .on("console_sessions")
      .column("expires_at")
      .execute();
  },
};
