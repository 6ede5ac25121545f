import type { Kysely, Migration } from "kysely";

/**
 * `sessions.left_at`: when the embedding page said its visitor left (the session then ends after the
 * proxy's grace unless a page resumes it, with reason `left`). Resuming and leaving look sessions up by
 * their anonymous identity, which the `sessions_user` index already serves.
 */
export const sessionLeaveMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable("sessions").addColumn("left_at", "bigint").execute();
  },
};
