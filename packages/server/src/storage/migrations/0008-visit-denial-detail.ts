import type { Kysely, Migration } from "kysely";

/** `visits.denial_detail`: what refused a `denied` event, in words (the licence rules tried, the budget). */
export const visitDenialDetailMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("visits").addColumn("denial_detail", "text").execute();
  },
};
