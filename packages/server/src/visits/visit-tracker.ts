import type { Logger } from "pino";
import type { ConfigState } from "../config/config-state.js";
import { describeAttempts, type LicenseAttempt } from "../licenses/license-attempt.js";
import type { LicenseService } from "../licenses/license-service.js";
import { drainInBatches } from "../ops/drain-in-batches.js";
import { PeriodicJob } from "../ops/periodic-job.js";
import { anonymousLimitOf } from "../sessions/anonymous-budget.js";
import type { SessionEvents } from "../sessions/session-events.js";
import type { SessionEndReason, SessionRecord, Storage } from "../storage/storage.js";
import { isStorageFailure } from "../storage/storage-failure.js";
import type { VisitRow } from "../storage/visits-repository.js";
import { HashKeys, type IpMode, protectIp, protectIpWithoutKey } from "./ip-privacy.js";
import { parseUserAgent } from "./user-agent.js";
import type { VisitEvent } from "./visit-event.js";
import { VisitLog } from "./visit-log.js";

const DAY_MS = 86_400_000;

/** What the visit log needs from the request behind an event (the session service's RequestFacts). */
export interface VisitRequest {
  ip: string;
  userAgent?: string | null | undefined;
}

/** How often the retention purge runs. */
export const VISIT_JOBS_INTERVAL_MS = 60_000;
/**
 * Events the retention purge deletes per statement. Each statement holds the database (and, on SQLite,
 * the event loop) for one batch only; requests run between batches.
 */
const RETENTION_BATCH = 2000;
/** Page URLs and user agents are cut to this many characters. */
const MAX_TEXT = 2048;

export interface VisitTrackerOptions {
  storage: Storage;
  config: () => ConfigState;
  clock?: () => number;
  logger?: Logger;
  /** Group commit window (ms). */
  windowMs?: number;
}

/**
 * Everything that puts events into the visit log: the privacy mode, user-agent parsing, the sessions'
 * events (start, end, licence and anonymous budget denials) and the retention purge. Writes go through one group-committing
 * `VisitLog`; `record()` resolves once the event is committed.
 */
export class VisitTracker {
  readonly log: VisitLog;
  readonly hashKeys: HashKeys;
  private readonly o: VisitTrackerOptions;
  private readonly clock: () => number;
  private jobs: PeriodicJob | undefined;
  private closing = false;

  constructor(options: VisitTrackerOptions) {
    this.o = options;
    this.clock = options.clock ?? Date.now;
    this.hashKeys = new HashKeys(options.storage);
    this.log = new VisitLog({
      storage: options.storage,
      ...(options.windowMs !== undefined ? { windowMs: options.windowMs } : {}),
      onBatch: (rows, error) => {
        // Each waiter got the error (its request answers 503 or 500): nothing is lost silently. A database
        // that does not answer is a fault of the moment, not a bug.
        if (error && isStorageFailure(error))
          options.logger?.warn({ err: error, rows }, "visit batch failed");
        else if (error) options.logger?.error({ err: error, rows }, "visit batch failed");
      },
    });
  }

  get ipMode(): IpMode {
    return this.o.config().config.visits?.ip ?? "full";
  }

  /** Applies the privacy mode and parses the user agent, then waits for the commit. */
  async record(event: VisitEvent): Promise<void> {
    await this.log.append(await this.rowOf(event));
  }

  /** The event as the log stores it: the privacy mode applied and the user agent parsed. */
  private async rowOf(event: VisitEvent): Promise<VisitRow> {
    const mode = this.ipMode;
    // Only the hash mode may have to load the day's key; the others need no wait before queueing.
    const ip =
      mode === "hash"
        ? await protectIp(event.ip, mode, event.time, this.hashKeys)
        : protectIpWithoutKey(event.ip, mode);
    return this.toRow(event, ip);
  }

  /** For events whose IP was already protected (copied from the session's start). */
  private recordProtected(event: VisitEvent): Promise<void> {
    return this.log.append(this.toRow(event, event.ip));
  }

  private toRow(e: VisitEvent, ip: string | null): VisitRow {
    const userAgent = e.userAgent === null ? null : e.userAgent.slice(0, MAX_TEXT);
    const ua = parseUserAgent(userAgent);
    const sub = e.visitor?.attributes.sub;
    const visitorKey = !e.anonymous
      ? `u:${e.userDirectory}\\${e.userId}`
      : typeof sub === "string" && e.visitor
        ? `v:${e.visitor.client}:${sub}`
        : ip !== null
          ? `ip:${ip}`
          : `s:${e.sessionId ?? e.userId}`;
    return {
      time: e.time,
      type: e.type,
      proxy: e.proxy,
      session_id: e.sessionId,
      user_directory: e.userDirectory,
      user_id: e.userId,
      anonymous: e.anonymous ? 1 : 0,
      ip,
      user_agent: userAgent,
      browser: ua.browser,
      os: ua.os,
      device: ua.device,
      origin: e.origin,
      page_url: e.pageUrl ? e.pageUrl.slice(0, MAX_TEXT) : null,
      app: e.app ?? null,
      sheet: e.sheet ?? null,
      object: e.object ?? null,
      duration_ms: e.durationMs ?? null,
      reason: e.reason ?? null,
      denial_code: e.denialCode ?? null,
      denial_kind: e.denialKind ?? null,
      denial_detail: e.denialDetail ? e.denialDetail.slice(0, MAX_TEXT) : null,
      licence: e.licence ?? null,
      licence_amount: e.licenceAmount ?? null,
      visitor: e.visitor ? JSON.stringify(e.visitor.attributes) : null,
      visitor_client: e.visitor?.client ?? null,
      visitor_hint: e.visitorHint ? JSON.stringify(e.visitorHint) : null,
      visitor_key: visitorKey,
    };
  }

  /** The base of an event about a session, with the IP and user agent of the request behind it. */
  sessionEvent(session: SessionRecord, type: VisitEvent["type"], request?: VisitRequest): VisitEvent {
    return {
      time: this.clock(),
      type,
      proxy: session.proxy,
      sessionId: session.id,
      userDirectory: session.userDirectory,
      userId: session.userId,
      anonymous: session.anonymous,
      ip: request?.ip ?? null,
      userAgent: request?.userAgent ?? null,
      origin: session.origin,
    };
  }

  /**
   * Records what sessions publish: starts (written with the session row, in its transaction), ends and
   * the gate's denials. Returns the unsubscribe function.
   */
  follow(events: SessionEvents): () => void {
    const offs = [
      events.on("started", async ({ session, request, ticket, start }) => {
        const event = this.sessionEvent(session, "sessionStart", request);
        if (ticket?.kind === "anonymous") {
          event.visitor = ticket.visitor ?? null;
          event.visitorHint = ticket.visitorHint ?? null;
          event.pageUrl = ticket.pageUrl ?? null;
        }
        start.recordVisit(await this.rowOf(event));
      }),
      events.on("ended", ({ session, reason }) => this.sessionEnded(session, reason)),
      events.on("denied", async ({ session, error, request }) => {
        const event = this.sessionEvent(session, "denied", request);
        event.denialCode = error.code;
        event.app = request?.view?.app ?? null;
        event.sheet = request?.view?.sheet ?? null;
        event.object = request?.view?.object ?? null;
        // A start over an anonymous session budget names the budget; the IP is the visitor's as always.
        const limit = anonymousLimitOf(error);
        event.denialKind = limit ? "limit" : "licence";
        if (limit) {
          event.reason = limit.limit;
          event.denialDetail = `anonymous session budget ${limit.limit} of proxy "${session.proxy}"`;
        } else {
          const attempts = (error.details as { attempts?: LicenseAttempt[] } | undefined)?.attempts;
          if (attempts) event.denialDetail = describeAttempts(attempts);
        }
        await this.record(event).catch((e: unknown) =>
          this.o.logger?.error({ err: e }, "denial not recorded"),
        );
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }

  /**
   * Records what each allocation took from a licence pool (a new capacity unit, a pass) as a `licenceUse`
   * event, with the page the session started on and its visitor's address as that start kept them: what
   * the administrator reads as licence use per day and per page. Returns the unsubscribe function.
   */
  followLicences(events: Pick<LicenseService["events"], "on">): () => void {
    return events.on("allocated", async ({ session, consumed }) => {
      if (!consumed) return;
      const event = this.sessionEvent(session, "licenceUse");
      event.licence = consumed.pool;
      event.licenceAmount = consumed.amount;
      // A session's first allocation commits with its start; later ones find the start recorded.
      const start = await this.o.storage.visits.sessionStart(session.id).catch(() => undefined);
      event.ip = start?.ip ?? null;
      event.userAgent = start?.userAgent ?? null;
      event.pageUrl = start?.pageUrl ?? null;
      await this.recordProtected(event).catch((error: unknown) =>
        this.o.logger?.error({ err: error }, "licence use not recorded"),
      );
    });
  }

  private async sessionEnded(session: SessionRecord, reason: SessionEndReason): Promise<void> {
    const event = this.sessionEvent(session, "sessionEnd");
    // A session that timed out ended at its deadline, not when someone noticed.
    const end =
      reason === "timeout" || reason === "expired" || reason === "left"
        ? Math.min(event.time, session.expiresAt)
        : event.time;
    event.time = end;
    // A visit lasts from its start to its last activity: a timeout, an expiry or an admin's revocation
    // says nothing about the visitor's time there (with a 30-minute timeout every bounce would last 30
    // minutes). A logout or a switch is the visitor's own last act, and so is leaving the page.
    const lastActivity =
      reason === "logout" || reason === "switched"
        ? end
        : reason === "left" && session.leftAt != null
          ? Math.min(end, session.leftAt)
          : Math.min(end, session.lastActiveAt);
    event.durationMs = Math.max(0, lastActivity - session.createdAt);
    event.reason = reason;
    // The end may come from the visitor (logout), an admin (revocation) or the expiry sweep: the
    // visitor's address and browser are those of the session's start, already in the form the
    // privacy mode keeps (an admin's address must never be taken for the visitor's).
    const start = await this.o.storage.visits.sessionStart(session.id);
    event.ip = start?.ip ?? null;
    event.userAgent = start?.userAgent ?? null;
    return this.recordProtected(event);
  }

  /**
   * Deletes events older than `visits.retentionDays`, in batches until none is left (or the tracker
   * closes: the next run goes on), and stale hash keys.
   */
  async purge(now = this.clock()): Promise<number> {
    const days = this.o.config().config.visits?.retentionDays ?? 90;
    const before = now - days * DAY_MS;
    const deleted = await drainInBatches(
      () => this.o.storage.visits.purgeBefore(before, RETENTION_BATCH),
      RETENTION_BATCH,
      () => this.closing,
    );
    await this.hashKeys.purge(now);
    return deleted;
  }

  /** Runs the purge every `intervalMs` (see `PeriodicJob`). */
  startJobs(intervalMs = VISIT_JOBS_INTERVAL_MS): void {
    this.jobs ??= new PeriodicJob(
      () => this.purge(this.clock()),
      intervalMs,
      (error) => this.o.logger?.error({ err: error }, "visit jobs failed"),
    );
  }

  /** Stops the jobs, refuses new events and commits the accepted ones. */
  async close(): Promise<void> {
    this.closing = true;
    await this.jobs?.stop();
    this.jobs = undefined;
    await this.log.close();
  }
}
