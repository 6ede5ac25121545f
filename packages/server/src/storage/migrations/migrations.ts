import type { Migration, MigrationProvider } from "kysely";
import { coreMigration } from "./0001-core.js";
import { licenseMigration } from "./0002-licenses.js";
import { visitsMigration } from "./0005-visits.js";
import { visitsSessionIndexMigration } from "./0006-visits-session-index.js";
import { sessionLeaveMigration } from "./0007-session-leave.js";
import { visitDenialDetailMigration } from "./0008-visit-denial-detail.js";
import { visitLicenceUseMigration } from "./0009-visit-licence-use.js";
import { consoleSessionsMigration } from "./0010-console-sessions.js";

/**
 * Every schema change, in order, named so they sort. Written in the portable subset of Kysely's schema
 * builder (text, integer, bigint; no dialect-specific types) so the SQLite and PostgreSQL adapters run the
 * same list. To change the schema, append an entry; never edit a shipped one.
 */
export const migrations: Record<string, Migration> = {
  "0001_core": coreMigration,
  "0002_licenses": licenseMigration,
  "0005_visits": visitsMigration,
  "0006_visits_session_index": visitsSessionIndexMigration,
  "0007_session_leave": sessionLeaveMigration,
  "0008_visit_denial_detail": visitDenialDetailMigration,
  "0009_visit_licence_use": visitLicenceUseMigration,
  "0010_console_sessions": consoleSessionsMigration,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
