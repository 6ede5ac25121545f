import type { LicenseTables } from "../licenses/license-tables.js";
import type { VisitHashKeysTable, VisitsTable } from "../visits/visits-table.js";

/**
 * Table shapes as Kysely sees them. Times are integer milliseconds since the epoch (`bigint` columns, so
 * PostgreSQL can hold them too); booleans are 0/1 integers; JSON is text. Later issues (licences, visits)
 * add their tables here and their migrations to `migrations.ts`.
 */
export interface SessionsTable {
  token_hash: string;
  id: string;
  proxy: string;
  user_directory: string;
  user_id: string;
  anonymous: number;
  attributes: string;
  origin: string | null;
  created_at: number;
  last_active_at: number;
  expires_at: number;
  absolute_expires_at: number;
  ended_at: number | null;
  end_reason: string | null;
}

/** Extra tokens of a session: sibling embeds that joined it with a join ticket each hold their own. */
export interface SessionTokensTable {
  token_hash: string;
  session_id: string;
  created_at: number;
}

export interface UsedTicketsTable {
  jti: string;
  expires_at: number;
}

export interface SigningKeysTable {
  kid: string;
  algorithm: string;
  public_jwk: string;
  created_at: number;
  retired_at: number | null;
}

export interface ConfigChangesTable {
  id: number | undefined;
  changed_at: number;
  section: string;
  actor: string;
  content: string;
}

export interface Database extends LicenseTables {
  visits: VisitsTable;
  visit_hash_keys: VisitHashKeysTable;
  sessions: SessionsTable;
  session_tokens: SessionTokensTable;
  used_tickets: UsedTicketsTable;
  signing_keys: SigningKeysTable;
  config_changes: ConfigChangesTable;
}
