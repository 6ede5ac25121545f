import type { Kysely, Migration } from "kysely";

/**
 * Licence tables. Portable subset only, so SQLite and PostgreSQL run it unchanged. Counters live in rows
 * that a single conditional UPDATE moves, which is what keeps concurrent allocations from over-allocating
 * on either database.
 */
export const licenseMigration: Migration = {
  async up(db: Kysely<unknown>) {
    // One row per session that holds (or held) a licence: what covers it and until when.
    await db.schema
      .createTable("license_allocations")
      .addColumn("session_id", "text", (c) => c.primaryKey())
      .addColumn("identity", "text", (c) => c.notNull())
      .addColumn("type", "text")
      .addColumn("rule", "text")
      .addColumn("pass_id", "text")
      .addColumn("covered_until", "bigint", (c) => c.notNull())
      .addColumn("units", "bigint", (c) => c.notNull().defaultTo(0))
      .addColumn("checked_at", "bigint", (c) => c.notNull())
      .addColumn("created_at", "bigint", (c) => c.notNull())
      .execute();

    // Analyzer capacity: one counter row per calendar month (UTC); a new month starts from zero.
    await db.schema
      .createTable("license_capacity_usage")
      .addColumn("month", "text", (c) => c.primaryKey())
      .addColumn("used_minutes", "bigint", (c) => c.notNull())
      .addColumn("units", "bigint", (c) => c.notNull())
      .execute();

    // Login access passes: one row per consumed pass, until it returns to the pool.
    await db.schema
      .createTable("license_passes")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("identity", "text", (c) => c.notNull())
      .addColumn("user_directory", "text", (c) => c.notNull())
      .addColumn("user_id", "text", (c) => c.notNull())
      .addColumn("rule", "text", (c) => c.notNull())
      .addColumn("consumed_at", "bigint", (c) => c.notNull())
      .addColumn("covers_until", "bigint", (c) => c.notNull())
      .addColumn("returns_at", "bigint", (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex("license_passes_identity")
      .on("license_passes")
      .columns(["identity", "covers_until"])
      .execute();
    await db.schema.createIndex("license_passes_returns").on("license_passes").column("returns_at").execute();

    // Lock rows: an allocator updates its pool's row first, which serialises allocators of that pool on
    // PostgreSQL (row lock held to commit) as SQLite's single writer already does.
    await db.schema
      .createTable("license_pools")
      .addColumn("pool", "text", (c) => c.primaryKey())
      .addColumn("version", "bigint", (c) => c.notNull())
      .execute();
  },
};
