/**
 * Table shapes as Kysely sees them. Times are integer milliseconds since the epoch (`bigint` columns, so
 * PostgreSQL can hold them too); booleans are 0/1 integers; JSON is text. Each table is created by a
 * migration in `migrations/`.
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
  /** When the page said its visitor left (see `SessionRecord.leftAt`). */
  left_at: number | null;
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

export interface ConsoleSessionsTable {
  token_hash: string;
  id: string;
  proxy: string;
  user_directory: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  last_active_at: number;
  expires_at: number;
  absolute_expires_at: number;
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
  console_sessions: ConsoleSessionsTable;
}

/** Licence table shapes as Kysely sees them (times in ms since the epoch). */
export interface LicenseAllocationsTable {
  session_id: string;
  /** `userKey(directory, userId)`: case-insensitive identity. */
  identity: string;
  /** Null while an allocation is being made (the row is inserted first, as the claim). */
  type: string | null;
  rule: string | null;
  pass_id: string | null;
  /** The session needs no new allocation before this instant. */
  covered_until: number;
  /** Analyzer capacity units this session consumed. */
  units: number;
  checked_at: number;
  created_at: number;
}

export interface LicenseCapacityUsageTable {
  /** `YYYY-MM`, UTC. */
  month: string;
  used_minutes: number;
  units: number;
}

export interface LicensePassesTable {
  id: string;
  identity: string;
  user_directory: string;
  user_id: string;
  rule: string;
  consumed_at: number;
  covers_until: number;
  returns_at: number;
}

export interface LicensePoolsTable {
  pool: string;
  version: number;
}

export interface LicenseTables {
  license_allocations: LicenseAllocationsTable;
  license_capacity_usage: LicenseCapacityUsageTable;
  license_passes: LicensePassesTable;
  license_pools: LicensePoolsTable;
}

/** Row shapes of the visit log's tables as Kysely sees them (times in epoch ms, booleans 0/1, JSON text). */
export interface VisitsTable {
  id: number | undefined;
  time: number;
  type: string;
  proxy: string;
  session_id: string | null;
  user_directory: string;
  user_id: string;
  anonymous: number;
  ip: string | null;
  user_agent: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
  origin: string | null;
  page_url: string | null;
  app: string | null;
  sheet: string | null;
  object: string | null;
  duration_ms: number | null;
  reason: string | null;
  denial_code: string | null;
  denial_kind: string | null;
  /** denied: which rule, pool or budget refused, in words. */
  denial_detail: string | null;
  /** licenceUse: the pool, and the minutes or passes taken from it. */
  licence: string | null;
  licence_amount: number | null;
  visitor: string | null;
  visitor_client: string | null;
  visitor_hint: string | null;
  /** Who counts as one unique visitor (user, verified visitor id, or privacy-mode IP). */
  visitor_key: string;
}

/** The daily keys of the `hash` privacy mode, shared through storage so every node hashes alike. */
export interface VisitHashKeysTable {
  day: string;
  key: string;
  created_at: number;
}
