/** Analyzer capacity is consumed in units of this many minutes (the modelled hub's unit). */
export const CAPACITY_UNIT_MINUTES = 6;
export const CAPACITY_UNIT_MS = CAPACITY_UNIT_MINUTES * 60_000;
/** A login access pass covers its identity's sessions for this long after it is consumed. */
export const PASS_COVER_MS = 60 * 60_000;
/**
 * A seat of the concurrent anonymous capacity is checked again this often while its session lives: the
 * session keeps its seat (it counts only the others), and a seat of a session that ended is free at once.
 */
export const SEAT_RECHECK_MS = 5 * 60_000;
/** A consumed login access pass returns to the pool this long after it was consumed. */
export const PASS_QUARANTINE_MS = 28 * 24 * 60 * 60_000;
/**
 * A user allocation (professional, analyzer) covers a session this long before the next request checks
 * the configuration again, so removing an allocation takes effect without a restart.
 */
export const ALLOCATION_RECHECK_MS = 5 * 60_000;

/** The licence types of the modelled hub: user-based ones for named users, capacity ones through rules. */
export const USER_LICENSE_TYPES = ["professional", "analyzer"] as const;
export const CAPACITY_LICENSE_TYPES = ["analyzerCapacity", "loginAccessPass", "anonymousCapacity"] as const;
export type UserLicenseType = (typeof USER_LICENSE_TYPES)[number];
export type CapacityLicenseType = (typeof CAPACITY_LICENSE_TYPES)[number];
export type LicenseType = UserLicenseType | CapacityLicenseType;

/** `2026-03` for any instant in March 2026, UTC: the analyzer capacity pool's period. */
export function capacityMonth(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** The first instant of the month after the one containing `ms`, UTC (when the capacity pool resets). */
export function nextMonthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}
