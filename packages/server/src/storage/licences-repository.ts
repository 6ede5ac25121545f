/** A consumed login access pass, as the admin sees it. */
export interface PassRecord {
  id: string;
  userDirectory: string;
  userId: string;
  rule: string;
  consumedAt: number;
  coversUntil: number;
  returnsAt: number;
}

/** What covers a session now. */
export interface AllocationRecord {
  sessionId: string;
  type: string | null;
  rule: string | null;
  passId: string | null;
  coveredUntil: number;
  units: number;
}

/** The grant a successful pool operation produced. */
export type PoolGrant = { coveredUntil: number; passId?: string; reused?: boolean };

export interface AllocationGrant {
  type: string;
  rule: string | null;
  coveredUntil: number;
  passId?: string;
  /** True when an analyzer capacity unit was consumed for it. */
  unit: boolean;
}

/** The pool operations of one allocation, all inside `LicencesRepository.renew`'s transaction. */
export interface LicenceTransaction {
  /** Records what now covers the session. */
  setAllocation(grant: AllocationGrant): Promise<void>;
  /**
   * Takes one analyzer capacity unit (`unitMinutes`) from `month`, or returns false when fewer than a
   * unit's minutes are left of `minutesPerMonth`.
   */
  takeCapacityUnit(month: string, unitMinutes: number, minutesPerMonth: number): Promise<boolean>;
  /**
   * The identity's pass still covering `now`, else a newly consumed one when fewer than `poolSize` passes
   * are out, else undefined.
   */
  takePass(pass: {
    identity: string;
    userDirectory: string;
    userId: string;
    rule: string;
    now: number;
    poolSize: number;
    newId: () => string;
    coverMs: number;
    quarantineMs: number;
  }): Promise<PoolGrant | undefined>;
  /**
   * A seat of the concurrent anonymous capacity: granted when fewer than `poolSize` other live sessions
   * (not ended, not expired) hold one, else undefined. The session's own seat never counts against it.
   */
  takeSeat(seat: SeatRequest): Promise<PoolGrant | undefined>;
}

/** The concurrent anonymous capacity's part of `LicenceTransaction`. */
export interface SeatRequest {
  /** Seats of the pool. */
  poolSize: number;
  now: number;
  /** How long the seat covers the session before it is checked again. */
  coverMs: number;
}

export type RenewOutcome<T> = { claimed: true; result: T } | { claimed: false; current: AllocationRecord };

/**
 * The licence counters. Every pool operation is one transaction whose decisive statement is conditional,
 * so two nodes or two requests can never both take the last unit or pass.
 */
export interface LicencesRepository {
  /**
   * Runs `work` in one transaction after claiming the session's allocation row: the row is created if
   * missing, then claimed only when its coverage has run out. `work` runs only for a claimed row (it must
   * allocate or throw, which rolls everything back); otherwise the current allocation is returned.
   */
  renew<T>(
    sessionId: string,
    identity: string,
    now: number,
    work: (trx: LicenceTransaction) => Promise<T>,
  ): Promise<RenewOutcome<T>>;
  /** Read-only: whether `takePass` would succeed now (the doctor and the audit ask without consuming). */
  passAvailable(identity: string, now: number, poolSize: number): Promise<boolean>;
  /** Passes not yet returned to the pool (in use or in quarantine). */
  passesOut(now: number): Promise<number>;
  /** Passes not yet returned, soonest return first. */
  listPasses(now: number, limit: number): Promise<PassRecord[]>;
  /** Drops passes back in the pool: they are history, and the count query stays small. */
  purgeReturnedPasses(now: number): Promise<number>;
  capacityUsage(month: string): Promise<{ usedMinutes: number; units: number }>;
  /** Live sessions holding a seat of the concurrent anonymous capacity at `now`. */
  seatsInUse(now: number, exceptSession?: string): Promise<number>;
  findAllocation(sessionId: string): Promise<AllocationRecord | undefined>;
  /** Sessions covered at `now`, by licence type and rule. */
  coveredSessions(now: number): Promise<Array<{ type: string; rule: string | null; sessions: number }>>;
}
