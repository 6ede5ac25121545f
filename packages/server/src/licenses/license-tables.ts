/** Licence table shapes as Kysely sees them (times in ms since the epoch; see `license-migration.ts`). */
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
