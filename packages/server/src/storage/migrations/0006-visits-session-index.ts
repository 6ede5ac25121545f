import { type Kysely, type Migration, sql } from "kysely";

/**
 * Replaces the `(session_id, type)` index on every visit with two partial indexes over the only rows
 * looked up by session: starts and ends (a session end finds its start's address; the summary joins
 * both). Beacons, most of the log, then touch no session index at all, so a batch of beacons from many
 * sessions does not dirty one index leaf page per session at every commit (see the visits README for
 * the measurement). Lookups must name the type as a literal (not a bound parameter) for SQLite to pick a
 * partial index.
 */
export const visitsSessionIndexMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.dropIndex("visits_session").execute();
    await db.schema
      .createIndex("visits_session_start")
      .on("visits")
      .column("session_id")
      .where(sql.ref("type"), "=", sql.lit("sessionStart"))
      .execute();
    await db.schema
      .createIndex("visits_session_end")
      .on("visits")
      .column("session_id")
      .where(sql.ref("type"), "=", sql.lit("sessionEnd"))
      .execute();
  },
};
