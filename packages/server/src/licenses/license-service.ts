import { ErrorCode, NO_ACCESS_PASS_MESSAGE, type SessionLicense } from "@portico/protocol";
import type { Logger } from "pino";
import { buildRuleUser } from "../access/rule-user.js";
import { type ConfigState, userKey } from "../config/config-state.js";
import { PorticoError } from "../errors/portico-error.js";
import type { RequestFacts } from "../sessions/request-facts.js";
import type { SessionEvents } from "../sessions/session-events.js";
import type { SessionGate } from "../sessions/session-gate.js";
import { TypedEvents } from "../sessions/typed-events.js";
import type { LicencesRepository, LicenceTransaction } from "../storage/licences-repository.js";
import type { SessionRecord, SessionStart, Storage } from "../storage/storage.js";
import { isStorageFailure } from "../storage/storage-failure.js";
import { BURN_WINDOW_MS, BurnRate, exhaustionTime } from "./burn-rate.js";
import { describeAttempts, type LicenseAttempt } from "./license-attempt.js";
import {
  ALLOCATION_RECHECK_MS,
  CAPACITY_UNIT_MINUTES,
  CAPACITY_UNIT_MS,
  type CapacityLicenseType,
  capacityMonth,
  nextMonthStart,
  PASS_COVER_MS,
  PASS_QUARANTINE_MS,
  SEAT_RECHECK_MS,
  type UserLicenseType,
} from "./license-constants.js";
import { licenseRules, ruleHolds } from "./license-rules.js";

/** Sessions whose coverage end is remembered in memory, so a covered request costs no query. */
const COVERAGE_CACHE_LIMIT = 50_000;
/** How often returned passes are dropped from storage (on an allocation; the counts never depend on it). */
const PURGE_INTERVAL_MS = 60 * 60_000;
/** Recent denials kept for the admin's usage view (the visit log keeps them all). */
const RECENT_DENIALS = 50;
/** A pool's projection is checked at most this often on consumption (it reads the pool's counters). */
const BURN_CHECK_INTERVAL_MS = 60_000;

/** The pools an allocation consumes from; a seat of the anonymous capacity is held, not consumed. */
type ConsumedPool = Exclude<CapacityLicenseType, "anonymousCapacity">;

/** What an allocation took from a pool: minutes of analyzer capacity, or one login access pass. */
export interface Consumption {
  pool: ConsumedPool;
  amount: number;
}

/** An allocation as `grant` makes it: the licence, how long it covers, and what it consumed. */
interface Grant {
  license: SessionLicense;
  coveredUntil: number;
  consumed?: Consumption;
}

/** A pool's recent consumption and where it leads (`GET /admin/api/v1/licenses/usage`). */
export interface PoolBurn {
  /** Consumed over the last hour on this node: minutes (analyzer capacity) or passes, per hour. */
  burnRatePerHour: number;
  /** When the pool runs dry at that rate, if that is before it resets (or passes return); else null. */
  projectedExhaustion: string | null;
}

export interface LicenseServiceOptions {
  storage: Pick<Storage, "licences">;
  config: () => ConfigState;
  clock: () => number;
  uuid: () => string;
  logger: Logger;
}

/** A refused allocation, as the log and the admin's usage view show it. */
export interface LicenseDenial {
  at: number;
  /** At session creation, or on a later request whose coverage had run out. */
  phase: "sessionStart" | "activity";
  sessionId: string;
  proxy: string;
  userDirectory: string;
  userId: string;
  anonymous: boolean;
  origin: string | null;
  ip?: string;
  attempts: LicenseAttempt[];
}

/** What licences publish: each allocation made (a new unit or pass, or a renewal) and each refusal. */
export interface LicenceEventMap {
  allocated: {
    session: SessionRecord;
    phase: LicenseDenial["phase"];
    license: SessionLicense;
    coveredUntil: number;
    /** What it took from a pool: a new capacity unit's minutes or a pass (absent for a reuse or a seat). */
    consumed?: Consumption;
  };
  denied: LicenseDenial;
}

/** Who a licence is for: a session, or the hypothetical user the audit and the doctor ask about. */
export type LicenseSubject = Pick<SessionRecord, "userDirectory" | "userId" | "anonymous" | "attributes">;

/** What an allocation would do, without doing it (admin audit, doctor). */
export interface LicenseExplanation {
  /** False when the configuration has no `licenses` section: sessions are then not licence-checked. */
  enforced: boolean;
  granted: SessionLicense | undefined;
  attempts: LicenseAttempt[];
}

/**
 * Licence allocation (the licences README): the user's own allocation (professional, analyzer; never for
 * anonymous users), then the licence rules in configured order; the first rule whose condition holds and
 * whose pool has room covers the session. Analyzer capacity covers 6 minutes from the request that opened
 * a unit; a login access pass covers its identity for 60 minutes. When coverage runs out, the next request
 * allocates again (same order). Nothing is covered: NO_ACCESS_PASS, logged with every rule tried and why.
 *
 * Without a `licenses` section nothing is enforced (a new installation works before it is licensed).
 */
export class LicenseService implements SessionGate {
  /** Allocations and refusals, as they are committed. */
  readonly events = new TypedEvents<LicenceEventMap>();
  private readonly o: LicenseServiceOptions;
  private readonly store: LicencesRepository;
  private readonly coverage = new Map<string, number>();
  private readonly recent: LicenseDenial[] = [];
  private lastPurgeAt = 0;
  private readonly burn: Record<ConsumedPool, BurnRate> = {
    analyzerCapacity: new BurnRate(),
    loginAccessPass: new BurnRate(),
  };
  /** Per pool: when its projection was last checked, and the period it was last warned about. */
  private readonly burnCheckedAt = new Map<ConsumedPool, number>();
  private readonly burnWarned = new Map<ConsumedPool, string>();

  constructor(options: LicenseServiceOptions) {
    this.o = options;
    this.store = options.storage.licences;
  }

  /** Admits a new session: allocates its licence within its start, or throws NO_ACCESS_PASS. */
  admit(
    session: SessionRecord,
    request?: RequestFacts,
    start?: SessionStart,
  ): Promise<SessionLicense | undefined> {
    return this.allocate(session, request, start);
  }

  /** Admits a request of a live session: free while covered, else allocates again. */
  admitRequest(session: SessionRecord, now: number, request?: RequestFacts): Promise<void> | undefined {
    return this.covered(session, now) ? undefined : this.recheck(session, now, request);
  }

  /** Forgets the coverage of sessions as they end. Returns the unsubscribe function. */
  follow(sessions: SessionEvents): () => void {
    return sessions.on("ended", ({ session }) => {
      this.coverage.delete(session.id);
    });
  }

  /**
   * Allocates a licence for a new session, or throws NO_ACCESS_PASS. Undefined when not enforced. Within
   * `start`, the allocation commits with the session, and what follows it (coverage, burn rate, purge)
   * happens only once it has; without, it is a transaction of its own.
   */
  async allocate(
    session: SessionRecord,
    request?: RequestFacts,
    start?: SessionStart,
  ): Promise<SessionLicense | undefined> {
    const state = this.o.config();
    if (!state.config.licenses) return undefined;
    const now = this.o.clock();
    const attempts: LicenseAttempt[] = [];
    const identity = identityOf(session);
    const work = (trx: LicenceTransaction) => this.grant(trx, state, session, now, attempts, request);
    const outcome = await this.guard(session, "sessionStart", now, attempts, request, () =>
      start ? start.renewLicence(identity, now, work) : this.store.renew(session.id, identity, now, work),
    );
    if (!outcome.claimed) return describeAllocation(outcome.current.type, outcome.current.rule);
    const { consumed, ...allocated } = outcome.result;
    const settle = async () => {
      this.remember(session.id, allocated.coveredUntil);
      await this.events.emit("allocated", {
        session,
        phase: "sessionStart",
        ...allocated,
        ...(consumed ? { consumed } : {}),
      });
      await this.burned(consumed, now);
      if (now - this.lastPurgeAt >= PURGE_INTERVAL_MS) {
        this.lastPurgeAt = now;
        await this.store.purgeReturnedPasses(now);
      }
    };
    if (start)
      start.afterCommit(() =>
        settle().catch((error: unknown) => {
          // The session has started: what failed after it is logged, the database's outages as warnings.
          const level = isStorageFailure(error) ? "warn" : "error";
          this.o.logger[level]({ err: error }, "licence bookkeeping after a session start failed");
        }),
      );
    else await settle();
    return allocated.license;
  }

  /** True when a request of this session needs no licence now: not enforced, or still covered. */
  covered(session: SessionRecord, now: number): boolean {
    return !this.o.config().config.licenses || (this.coverage.get(session.id) ?? 0) > now;
  }

  /** Re-checks coverage on a request: free while covered, else allocates again (capacity units, passes). */
  async recheck(session: SessionRecord, now: number, request?: RequestFacts): Promise<void> {
    if (this.covered(session, now)) return;
    const state = this.o.config();
    const attempts: LicenseAttempt[] = [];
    const outcome = await this.guard(session, "activity", now, attempts, request, () =>
      this.store.renew(session.id, identityOf(session), now, (trx) =>
        this.grant(trx, state, session, now, attempts, request),
      ),
    );
    this.remember(session.id, outcome.claimed ? outcome.result.coveredUntil : outcome.current.coveredUntil);
    if (!outcome.claimed) return;
    const { consumed, ...allocated } = outcome.result;
    await this.events.emit("allocated", {
      session,
      phase: "activity",
      ...allocated,
      ...(consumed ? { consumed } : {}),
    });
    await this.burned(consumed, now);
  }

  /** Which source would cover this user now, and why the others would not. Consumes nothing. */
  async explain(subject: LicenseSubject, request?: RequestFacts): Promise<LicenseExplanation> {
    const state = this.o.config();
    const licenses = state.config.licenses;
    if (!licenses) return { enforced: false, granted: undefined, attempts: [] };
    const now = this.o.clock();
    const attempts: LicenseAttempt[] = [];
    const allocation = userAllocation(state, subject);
    if (allocation) {
      attempts.push(allocationAttempt(subject, allocation));
      return { enforced: true, granted: { type: allocation }, attempts };
    }
    const user = ruleUserOf(state, subject, request);
    for (const rule of licenseRules(state)) {
      if (!ruleHolds(rule, user)) {
        attempts.push({ source: "rule", name: rule.name, type: rule.type, result: "conditionFalse" });
        continue;
      }
      const room = await this.hasRoom(rule.type, subject, now);
      attempts.push({
        source: "rule",
        name: rule.name,
        type: rule.type,
        result: room ? "granted" : "poolExhausted",
      });
      if (room) return { enforced: true, granted: { type: rule.type, rule: rule.name }, attempts };
    }
    return { enforced: true, granted: undefined, attempts };
  }

  /** Whether a rule of this type could cover the subject now (its own seat, if it holds one, aside). */
  private async hasRoom(type: CapacityLicenseType, subject: LicenseSubject, now: number): Promise<boolean> {
    const licenses = this.o.config().config.licenses;
    switch (type) {
      case "analyzerCapacity":
        return (
          (await this.store.capacityUsage(capacityMonth(now))).usedMinutes + CAPACITY_UNIT_MINUTES <=
          (licenses?.analyzerCapacity?.minutesPerMonth ?? 0)
        );
      case "loginAccessPass":
        return this.store.passAvailable(identityOf(subject), now, licenses?.loginAccessPasses ?? 0);
      case "anonymousCapacity":
        return (await this.store.seatsInUse(now)) < (licenses?.anonymousCapacity?.maxConcurrentSessions ?? 0);
    }
  }

  /** Pools, what is used and left, and when quarantined passes return (`GET /admin/api/v1/licenses/usage`). */
  async usage() {
    const state = this.o.config();
    const licenses = state.config.licenses;
    const now = this.o.clock();
    const month = capacityMonth(now);
    let analyzerCapacity = null;
    if (licenses?.analyzerCapacity) {
      const used = await this.store.capacityUsage(month);
      const total = licenses.analyzerCapacity.minutesPerMonth;
      const remainingMinutes = Math.max(0, total - used.usedMinutes);
      analyzerCapacity = {
        minutesPerMonth: total,
        month,
        usedMinutes: used.usedMinutes,
        remainingMinutes,
        unitsConsumed: used.units,
        unitMinutes: CAPACITY_UNIT_MINUTES,
        resetsAt: iso(nextMonthStart(now)),
        ...this.burnOf("analyzerCapacity", remainingMinutes, now, nextMonthStart(now)),
      };
    }
    let loginAccessPasses = null;
    if (licenses?.loginAccessPasses !== undefined) {
      const out = await this.store.passesOut(now);
      const passes = await this.store.listPasses(now, 500);
      const inUse = passes.filter((p) => p.coversUntil > now).length;
      const remaining = Math.max(0, licenses.loginAccessPasses - out);
      loginAccessPasses = {
        pool: licenses.loginAccessPasses,
        used: out,
        remaining,
        ...this.burnOf(
          "loginAccessPass",
          remaining,
          now,
          now + PASS_QUARANTINE_MS,
          passes.map((p) => p.returnsAt),
        ),
        inUse,
        inQuarantine: out - inUse,
        nextReturnAt: passes[0] ? iso(passes[0].returnsAt) : null,
        passes: passes.map((p) => ({
          userDirectory: p.userDirectory,
          userId: p.userId,
          rule: p.rule,
          state: p.coversUntil > now ? "inUse" : "quarantine",
          consumedAt: iso(p.consumedAt),
          coversUntil: iso(p.coversUntil),
          returnsAt: iso(p.returnsAt),
        })),
      };
    }
    let anonymousCapacity = null;
    if (licenses?.anonymousCapacity) {
      const seats = licenses.anonymousCapacity.maxConcurrentSessions;
      const inUse = await this.store.seatsInUse(now);
      anonymousCapacity = { maxConcurrentSessions: seats, inUse, remaining: Math.max(0, seats - inUse) };
    }
    const covered = await this.store.coveredSessions(now);
    return {
      enforced: licenses !== undefined,
      at: iso(now),
      analyzerCapacity,
      loginAccessPasses,
      anonymousCapacity,
      allocations: licenses?.allocations ?? [],
      rules: (licenses?.rules ?? []).map((rule) => ({
        name: rule.name,
        type: rule.type,
        coveredSessions: covered.find((c) => c.rule === rule.name && c.type === rule.type)?.sessions ?? 0,
      })),
      recentDenials: this.recent.map((d) => ({ ...d, at: iso(d.at) })),
    };
  }

  /** Inside `renew`'s transaction: the first source that covers the session, or the denial. */
  private async grant(
    trx: LicenceTransaction,
    state: ConfigState,
    session: SessionRecord,
    now: number,
    attempts: LicenseAttempt[],
    request: RequestFacts | undefined,
  ): Promise<Grant> {
    const licenses = state.config.licenses;
    const allocation = userAllocation(state, session);
    if (allocation) {
      const coveredUntil = now + ALLOCATION_RECHECK_MS;
      await trx.setAllocation({
        type: allocation,
        rule: null,
        coveredUntil,
        unit: false,
      });
      attempts.push(allocationAttempt(session, allocation));
      return { license: { type: allocation }, coveredUntil };
    }
    const user = ruleUserOf(state, session, request);
    for (const rule of licenseRules(state)) {
      if (!ruleHolds(rule, user)) {
        attempts.push({ source: "rule", name: rule.name, type: rule.type, result: "conditionFalse" });
        continue;
      }
      if (rule.type === "analyzerCapacity") {
        const minutes = licenses?.analyzerCapacity?.minutesPerMonth ?? 0;
        if (await trx.takeCapacityUnit(capacityMonth(now), CAPACITY_UNIT_MINUTES, minutes)) {
          // A unit opened by this request covers the next 6 minutes: [now, now + 6 min).
          const coveredUntil = now + CAPACITY_UNIT_MS;
          await trx.setAllocation({
            type: rule.type,
            rule: rule.name,
            coveredUntil,
            unit: true,
          });
          attempts.push({ source: "rule", name: rule.name, type: rule.type, result: "granted" });
          return {
            license: { type: rule.type, rule: rule.name },
            coveredUntil,
            consumed: { pool: "analyzerCapacity", amount: CAPACITY_UNIT_MINUTES },
          };
        }
      } else if (rule.type === "anonymousCapacity") {
        const seat = await trx.takeSeat({
          poolSize: licenses?.anonymousCapacity?.maxConcurrentSessions ?? 0,
          now,
          coverMs: SEAT_RECHECK_MS,
        });
        if (seat) {
          await trx.setAllocation({
            type: rule.type,
            rule: rule.name,
            coveredUntil: seat.coveredUntil,
            unit: false,
          });
          attempts.push({ source: "rule", name: rule.name, type: rule.type, result: "granted" });
          return { license: { type: rule.type, rule: rule.name }, coveredUntil: seat.coveredUntil };
        }
      } else {
        const pass = await trx.takePass({
          identity: identityOf(session),
          userDirectory: session.userDirectory,
          userId: session.userId,
          rule: rule.name,
          now,
          poolSize: licenses?.loginAccessPasses ?? 0,
          newId: this.o.uuid,
          coverMs: PASS_COVER_MS,
          quarantineMs: PASS_QUARANTINE_MS,
        });
        if (pass) {
          await trx.setAllocation({
            type: rule.type,
            rule: rule.name,
            coveredUntil: pass.coveredUntil,
            ...(pass.passId !== undefined ? { passId: pass.passId } : {}),
            unit: false,
          });
          attempts.push({
            source: "rule",
            name: rule.name,
            type: rule.type,
            result: pass.reused ? "reused" : "granted",
          });
          return {
            license: { type: rule.type, rule: rule.name },
            coveredUntil: pass.coveredUntil,
            ...(pass.reused ? {} : { consumed: { pool: "loginAccessPass" as const, amount: 1 } }),
          };
        }
      }
      attempts.push({ source: "rule", name: rule.name, type: rule.type, result: "poolExhausted" });
    }
    // Thrown inside the transaction: it rolls back, so a refused session holds nothing. `details` (never
    // sent to the client) carries the attempts.
    throw new PorticoError(ErrorCode.NO_ACCESS_PASS, NO_ACCESS_PASS_MESSAGE, { attempts });
  }

  /** Runs an allocation; a denial is logged (with each rule tried and why) and recorded, then rethrown. */
  private async guard<T>(
    session: SessionRecord,
    phase: LicenseDenial["phase"],
    now: number,
    attempts: LicenseAttempt[],
    request: RequestFacts | undefined,
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof PorticoError) || error.code !== ErrorCode.NO_ACCESS_PASS) throw error;
      const denial: LicenseDenial = {
        at: now,
        phase,
        sessionId: session.id,
        proxy: session.proxy,
        userDirectory: session.userDirectory,
        userId: session.userId,
        anonymous: session.anonymous,
        origin: session.origin,
        ...(request ? { ip: request.ip } : {}),
        attempts,
      };
      this.o.logger.warn(
        {
          license: {
            phase,
            proxy: session.proxy,
            user: `${session.userDirectory}\\${session.userId}`,
            attempts,
          },
        },
        `licence denied (NO_ACCESS_PASS): ${describeAttempts(attempts)}`,
      );
      this.recent.push(denial);
      if (this.recent.length > RECENT_DENIALS) this.recent.shift();
      await this.events.emit("denied", denial).catch(() => undefined);
      throw error;
    }
  }

  /** A pool's burn rate and, when it runs dry before `horizon` at that rate, when. */
  private burnOf(
    pool: ConsumedPool,
    remaining: number,
    now: number,
    horizon: number,
    returns: readonly number[] = [],
  ): PoolBurn {
    const burnRatePerHour = this.burn[pool].perHour(now);
    const dry = exhaustionTime(remaining, burnRatePerHour, now, horizon, returns);
    return { burnRatePerHour, projectedExhaustion: dry === undefined ? null : iso(dry) };
  }

  /**
   * Counts what an allocation consumed into its pool's burn rate and, at most once a minute per pool, checks
   * where that rate leads: a pool that runs dry before it resets is logged as a warning once per period
   * (the month for analyzer capacity, the UTC day for passes), never once per request. The check never
   * fails the allocation that triggered it.
   */
  private async burned(consumed: Consumption | undefined, now: number): Promise<void> {
    if (consumed === undefined) return;
    const { pool } = consumed;
    this.burn[pool].record(consumed.amount, now);
    const checkedAt = this.burnCheckedAt.get(pool);
    if (checkedAt !== undefined && now >= checkedAt && now - checkedAt < BURN_CHECK_INTERVAL_MS) return;
    this.burnCheckedAt.set(pool, now);
    const period = pool === "analyzerCapacity" ? capacityMonth(now) : iso(now).slice(0, 10);
    if (this.burnWarned.get(pool) === period) return;
    try {
      const usage = await this.usage();
      const projected = pool === "analyzerCapacity" ? usage.analyzerCapacity : usage.loginAccessPasses;
      if (!projected?.projectedExhaustion) return;
      this.burnWarned.set(pool, period);
      const unit = pool === "analyzerCapacity" ? "minutes" : "passes";
      const resets =
        pool === "analyzerCapacity"
          ? `before it resets at ${usage.analyzerCapacity?.resetsAt}`
          : "before passes return";
      this.o.logger.warn(
        {
          licensePool: {
            pool,
            burnRatePerHour: projected.burnRatePerHour,
            burnWindowMinutes: BURN_WINDOW_MS / 60_000,
            projectedExhaustion: projected.projectedExhaustion,
          },
        },
        `licence pool ${pool} runs dry at ${projected.projectedExhaustion} at the current rate (${projected.burnRatePerHour} ${unit} per hour over the last hour), ${resets}`,
      );
    } catch (error) {
      this.o.logger.error({ err: error }, "licence burn check failed");
    }
  }

  private remember(sessionId: string, coveredUntil: number): void {
    if (this.coverage.size >= COVERAGE_CACHE_LIMIT) this.coverage.clear();
    this.coverage.set(sessionId, coveredUntil);
  }
}

/** Licence identities compare like the hub's users: directory and id case-insensitive. */
function identityOf(subject: Pick<SessionRecord, "userDirectory" | "userId">): string {
  return userKey(subject.userDirectory, subject.userId);
}

/** The named user's own allocation; anonymous users never have one (the config refuses it too). */
function userAllocation(state: ConfigState, subject: LicenseSubject): UserLicenseType | undefined {
  if (subject.anonymous) return undefined;
  const key = identityOf(subject);
  return state.config.licenses?.allocations.find((a) => userKey(a.userDirectory, a.userId) === key)?.type;
}

function allocationAttempt(subject: LicenseSubject, type: UserLicenseType): LicenseAttempt {
  return {
    source: "allocation",
    name: `${subject.userDirectory}\\${subject.userId}`,
    type,
    result: "granted",
  };
}

function ruleUserOf(state: ConfigState, subject: LicenseSubject, request: RequestFacts | undefined) {
  return buildRuleUser(subject, state, {
    ip: request?.ip ?? "",
    userAgent: request?.userAgent,
    secure: false,
    context: "hub",
  });
}

function describeAllocation(type: string | null, rule: string | null): SessionLicense | undefined {
  if (type === null) return undefined;
  return rule === null
    ? { type: type as SessionLicense["type"] }
    : { type: type as SessionLicense["type"], rule };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
