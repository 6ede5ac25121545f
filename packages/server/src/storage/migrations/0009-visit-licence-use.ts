import type { Kysely, Migration } from "kysely";

/** `licenceUse` events: the pool a session consumed from, and the minutes or passes it took. */
export const visitLicenceUseMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("visits").addColumn("licence", "text").execute();
    await db.schema.alterTable("visits").addColumn("licence_amount", "integer").execute();
  },
};
