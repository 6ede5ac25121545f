import type { Kysely, Transaction } from "kysely";
import type { Database } from "./database.js";
import type {
  AllocationGrant,
  AllocationRecord,
  LicencesRepository,
  LicenceTransaction,
  PassRecord,
  PoolGrant,
  RenewOutcome,
  SeatRequest,
} from "./licences-repository.js";

const PASS_POOL = "loginAccessPass";
const SEAT_POOL = "anonymousCapacity";

/**
 * Takes the pool's lock row (created on first use): PostgreSQL holds the row lock to commit, so one
 * allocator at a time counts and takes from the pool; SQLite's write transactions are serial anyway.
 */
async function lockPool(trx: Transaction<Database>, pool: string): Promise<void> {
  await trx
    .insertInto("license_pools")
    .values({ pool, version: 0 })
    .onConflict((oc) => oc.column("pool").doNothing())
    .execute();
  await trx
    .updateTable("license_pools")
    .set((eb) => ({ version: eb("version", "+", 1) }))
    .where("pool", "=", pool)
    .execute();
}

/** Live sessions (not ended, not expired at `now`) whose allocation is a seat, but `exceptSession`. */
async function countSeats(db: Kysely<Database> | Transaction<Database>, now: number, exceptSession?: string) {
  let query = db
    .selectFrom("license_allocations as a")
    .innerJoin("sessions as s", "s.id", "a.session_id")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("a.type", "=", SEAT_POOL)
    .where("s.ended_at", "is", null)
    .where("s.expires_at", ">", now);
  if (exceptSession !== undefined) query = query.where("a.session_id", "!=", exceptSession);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

/**
 * The licence counters, in storage. Every pool operation is one transaction whose decisive statement is
 * conditional (`... WHERE used + 6 <= capacity`, or a count taken under the pool's row lock), so two nodes
 * or two requests can never both take the last unit or pass.
 */
export class KyselyLicences implements LicencesRepository {
  private readonly db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.db = db;
  }

  /**
   * Runs `work` in one transaction after claiming the session's allocation row: the row is created if
   * missing, then marked checked only when its coverage has run out. `work` runs only for a claimed row
   * (it must allocate or throw, which rolls everything back); otherwise the current row is returned.
   */
  async renew<T>(
    sessionId: string,
    identity: string,
    now: number,
    work: (trx: LicenceTransaction) => Promise<T>,
  ): Promise<RenewOutcome<T>> {
    return this.db.transaction().execute((trx) => renewIn(trx, sessionId, identity, now, work));
  }

  /** Read-only: whether `takePass` would succeed now (the doctor and the audit ask without consuming). */
  async passAvailable(identity: string, now: number, poolSize: number): Promise<boolean> {
    const covering = await this.db
      .selectFrom("license_passes")
      .select("id")
      .where("identity", "=", identity)
      .where("covers_until", ">", now)
      .executeTakeFirst();
    if (covering) return true;
    return (await this.passesOut(now)) < poolSize;
  }

  /** Passes not yet returned to the pool (in use or in quarantine). */
  async passesOut(now: number): Promise<number> {
    const row = await this.db
      .selectFrom("license_passes")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("returns_at", ">", now)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Passes not yet returned, soonest return first. */
  async listPasses(now: number, limit: number): Promise<PassRecord[]> {
    const rows = await this.db
      .selectFrom("license_passes")
      .selectAll()
      .where("returns_at", ">", now)
      .orderBy("returns_at")
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      userDirectory: r.user_directory,
      userId: r.user_id,
      rule: r.rule,
      consumedAt: Number(r.consumed_at),
      coversUntil: Number(r.covers_until),
      returnsAt: Number(r.returns_at),
    }));
  }

  /** Passes back in the pool are history; dropping them keeps the count query small. */
  async purgeReturnedPasses(now: number): Promise<number> {
    const result = await this.db
      .deleteFrom("license_passes")
      .where("returns_at", "<=", now)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async capacityUsage(month: string): Promise<{ usedMinutes: number; units: number }> {
    const row = await this.db
      .selectFrom("license_capacity_usage")
      .selectAll()
      .where("month", "=", month)
      .executeTakeFirst();
    return row
      ? { usedMinutes: Number(row.used_minutes), units: Number(row.units) }
      : { usedMinutes: 0, units: 0 };
  }

  seatsInUse(now: number, exceptSession?: string): Promise<number> {
    return countSeats(this.db, now, exceptSession);
  }

  async findAllocation(sessionId: string): Promise<AllocationRecord | undefined> {
    const row = await this.db
      .selectFrom("license_allocations")
      .selectAll()
      .where("session_id", "=", sessionId)
      .executeTakeFirst();
    return row ? toAllocation(row) : undefined;
  }

  /** Sessions covered at `now`, by licence type and rule. */
  async coveredSessions(
    now: number,
  ): Promise<Array<{ type: string; rule: string | null; sessions: number }>> {
    const rows = await this.db
      .selectFrom("license_allocations")
      .select(["type", "rule", (eb) => eb.fn.countAll<number | string>().as("n")])
      .where("covered_until", ">", now)
      .where("type", "is not", null)
      .groupBy(["type", "rule"])
      .execute();
    return rows.map((r) => ({ type: String(r.type), rule: r.rule, sessions: Number(r.n) }));
  }
}

/**
 * `renew` on a transaction the caller holds (its own, or a session start's): the allocation row is created
 * if missing, then claimed only when its coverage has run out; `work` runs only for a claimed row.
 */
export async function renewIn<T>(
  trx: Transaction<Database>,
  sessionId: string,
  identity: string,
  now: number,
  work: (trx: LicenceTransaction) => Promise<T>,
): Promise<RenewOutcome<T>> {
  await trx
    .insertInto("license_allocations")
    .values({
      session_id: sessionId,
      identity,
      type: null,
      rule: null,
      pass_id: null,
      covered_until: 0,
      units: 0,
      checked_at: now,
      created_at: now,
    })
    .onConflict((oc) => oc.column("session_id").doNothing())
    .execute();
  // The claim: of two concurrent requests of one session, only one finds the coverage run out
  // (PostgreSQL re-evaluates the WHERE after waiting on the row lock), so one unit is consumed, not two.
  const claim = await trx
    .updateTable("license_allocations")
    .set({ checked_at: now })
    .where("session_id", "=", sessionId)
    .where("covered_until", "<=", now)
    .executeTakeFirst();
  if (Number(claim.numUpdatedRows) === 1)
    return { claimed: true as const, result: await work(licenceTransaction(trx, sessionId)) };
  const row = await trx
    .selectFrom("license_allocations")
    .selectAll()
    .where("session_id", "=", sessionId)
    .executeTakeFirstOrThrow();
  return { claimed: false as const, current: toAllocation(row) };
}

function toAllocation(row: {
  session_id: string;
  type: string | null;
  rule: string | null;
  pass_id: string | null;
  covered_until: number;
  units: number;
}): AllocationRecord {
  return {
    sessionId: row.session_id,
    type: row.type,
    rule: row.rule,
    passId: row.pass_id,
    coveredUntil: Number(row.covered_until),
    units: Number(row.units),
  };
}

/** The pool operations of one allocation, on `renew`'s transaction. */
function licenceTransaction(trx: Transaction<Database>, sessionId: string): LicenceTransaction {
  return {
    async setAllocation(grant: AllocationGrant): Promise<void> {
      await trx
        .updateTable("license_allocations")
        .set((eb) => ({
          type: grant.type,
          rule: grant.rule,
          pass_id: grant.passId ?? null,
          covered_until: grant.coveredUntil,
          units: grant.unit ? eb("units", "+", 1) : eb.ref("units"),
        }))
        .where("session_id", "=", sessionId)
        .execute();
    },

    /**
     * The single conditional UPDATE is the whole decision: two allocators can never both take the last
     * unit.
     */
    async takeCapacityUnit(month: string, unitMinutes: number, minutesPerMonth: number): Promise<boolean> {
      await trx
        .insertInto("license_capacity_usage")
        .values({ month, used_minutes: 0, units: 0 })
        .onConflict((oc) => oc.column("month").doNothing())
        .execute();
      const result = await trx
        .updateTable("license_capacity_usage")
        .set((eb) => ({
          used_minutes: eb("used_minutes", "+", unitMinutes),
          units: eb("units", "+", 1),
        }))
        .where("month", "=", month)
        .where((eb) => eb(eb("used_minutes", "+", unitMinutes), "<=", minutesPerMonth))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    /**
     * The pool's lock row is updated first, so the count that follows is taken by one allocator
     * at a time (PostgreSQL holds the row lock to commit; READ COMMITTED statements then see every earlier
     * allocator's committed pass). SQLite serialises writers anyway.
     */
    async takePass({
      identity,
      userDirectory,
      userId,
      rule,
      now,
      poolSize,
      newId,
      coverMs,
      quarantineMs,
    }: Parameters<LicenceTransaction["takePass"]>[0]): Promise<PoolGrant | undefined> {
      await lockPool(trx, PASS_POOL);
      const covering = await trx
        .selectFrom("license_passes")
        .select(["id", "covers_until"])
        .where("identity", "=", identity)
        .where("covers_until", ">", now)
        .orderBy("covers_until", "desc")
        .executeTakeFirst();
      if (covering) return { coveredUntil: Number(covering.covers_until), passId: covering.id, reused: true };
      const inPool = await trx
        .selectFrom("license_passes")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("returns_at", ">", now)
        .executeTakeFirstOrThrow();
      if (Number(inPool.n) >= poolSize) return undefined;
      const id = newId();
      await trx
        .insertInto("license_passes")
        .values({
          id,
          identity,
          user_directory: userDirectory,
          user_id: userId,
          rule,
          consumed_at: now,
          covers_until: now + coverMs,
          returns_at: now + quarantineMs,
        })
        .execute();
      return { coveredUntil: now + coverMs, passId: id };
    },

    /**
     * Like passes: the pool's lock row first, so one allocator at a time counts the seats (PostgreSQL
     * holds the row lock to commit); a seat is a live session's allocation of this type, so a session that
     * ends frees its seat with no bookkeeping.
     */
    async takeSeat({ poolSize, now, coverMs }: SeatRequest): Promise<PoolGrant | undefined> {
      await lockPool(trx, SEAT_POOL);
      if ((await countSeats(trx, now, sessionId)) >= poolSize) return undefined;
      return { coveredUntil: now + coverMs };
    },
  };
}
