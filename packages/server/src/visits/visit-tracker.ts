import type { SessionLicense, TicketClaims } from "@portico/protocol";
import type { Logger } from "pino";
import type { ConfigState } from "../config/config-state.js";
import { isPorticoError } from "../errors/portico-error.js";
import type { SessionListener, SessionService } from "../sessions/session-service.js";
import type { SessionEndReason, SessionRecord, Storage } from "../storage/storage.js";
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

function asRequest(value: unknown): VisitRequest | undefined {
  const r = value as { ip?: unknown; userAgent?: unknown } | undefined;
  return typeof r?.ip === "string"
    ? { ip: r.ip, userAgent: typeof r.userAgent === "string" ? r.userAgent : null }
    : undefined;
}
/** How often the retention purge and the expired-session sweep run. */
export const VISIT_JOBS_INTERVAL_MS = 60_000;
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
 * Everything that puts events into the visit log: the privacy mode, user-agent parsing, the session
 * listener (start, end, licence denials), the retention purge and the expired-session sweep. Writes go
 * through one group-committing `VisitLog`; `record()` resolves once the event is committed.
 */
export class VisitTracker {
  readonly log: VisitLog;
  readonly hashKeys: HashKeys;
  private readonly o: VisitTrackerOptions;
  private readonly clock: () => number;
  private sessions: SessionService | undefined;
  private jobs: NodeJS.Timeout | undefined;
  private jobRun: Promise<void> | undefined;

  constructor(options: VisitTrackerOptions) {
    this.o = options;
    this.clock = options.clock ?? Date.now;
    this.hashKeys = new HashKeys(options.storage);
    this.log = new VisitLog({
      storage: options.storage,
      ...(options.windowMs !== undefined ? { windowMs: options.windowMs } : {}),
      onBatch: (rows, error) => {
        if (error) options.logger?.error({ err: error, rows }, "visit batch failed");
      },
    });
  }

  get ipMode(): IpMode {
    return this.o.config().config.visits?.ip ?? "full";
  }

  /** Applies the privacy mode and parses the user agent, then waits for the commit. */
  async record(event: VisitEvent): Promise<void> {
    const mode = this.ipMode;
    // Only the hash mode may have to load the day's key; the others need no wait before queueing.
    const ip =
      mode === "hash"
        ? await protectIp(event.ip, mode, event.time, this.hashKeys)
        : protectIpWithoutKey(event.ip, mode);
    await this.log.append(this.toRow(event, ip));
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

  /** The listener that records session starts and ends; register it after the licence listeners. */
  sessionListener(): SessionListener {
    return {
      sessionStarting: async (
        session: SessionRecord,
        request?: VisitRequest,
        claims?: TicketClaims,
      ): Promise<SessionLicense | undefined> => {
        const event = this.sessionEvent(session, "sessionStart", request);
        if (claims?.kind === "anonymous") {
          event.visitor = claims.visitor ?? null;
          event.visitorHint = claims.visitorHint ?? null;
          event.pageUrl = claims.pageUrl ?? null;
        }
        await this.record(event);
        return undefined;
      },
      sessionEnded: async (session: SessionRecord, reason: SessionEndReason) => {
        const event = this.sessionEvent(session, "sessionEnd");
        // A session that timed out ended at its deadline, not when someone noticed.
        const end =
          reason === "timeout" || reason === "expired" ? Math.min(event.time, session.expiresAt) : event.time;
        event.time = end;
        event.durationMs = Math.max(0, end - session.createdAt);
        event.reason = reason;
        // The end may come from the visitor (logout), an admin (revocation) or the expiry sweep: the
        // visitor's address and browser are those of the session's start, already in the form the
        // privacy mode keeps (an admin's address must never be taken for the visitor's).
        const start = await this.o.storage.visits.sessionStart(session.id);
        event.ip = start?.ip ?? null;
        event.userAgent = start?.userAgent ?? null;
        return this.recordProtected(event);
      },
    };
  }

  /**
   * Wraps a listener (the licences') so that its refusals are recorded as `denied` events with the
   * error code, then passed on unchanged.
   */
  watchDenials(listener: SessionListener): SessionListener {
    const denied = async (session: SessionRecord, error: unknown, request: VisitRequest | undefined) => {
      if (!isPorticoError(error)) return;
      const event = this.sessionEvent(session, "denied", request);
      event.denialCode = error.code;
      event.denialKind = "licence";
      await this.record(event).catch((e: unknown) => this.o.logger?.error({ err: e }, "denial not recorded"));
    };
    const refused = async (session: SessionRecord, error: unknown, request: unknown): Promise<never> => {
      await denied(session, error, asRequest(request));
      throw error;
    };
    const wrapped: SessionListener = { ...listener };
    const starting = listener.sessionStarting?.bind(listener);
    if (starting)
      wrapped.sessionStarting = async (session, ...rest) => {
        try {
          return await starting(session, ...rest);
        } catch (error) {
          await denied(session, error, asRequest(rest[0]));
          throw error;
        }
      };
    const active = listener.sessionActive?.bind(listener);
    if (active)
      // Not async: a listener with nothing to wait for (undefined) costs the request no promise.
      wrapped.sessionActive = (session, now, request) => {
        let pending: Promise<void> | undefined;
        try {
          pending = active(session, now, request);
        } catch (error) {
          return refused(session, error, request);
        }
        // The handler is made only for a promise, so the common case allocates nothing here.
        return pending === undefined ? undefined : pending.catch((error) => refused(session, error, request));
      };
    return wrapped;
  }

  /** Lets the expiry sweep end sessions through the session service (so every listener hears of it). */
  bindSessions(sessions: SessionService): void {
    this.sessions = sessions;
  }

  /** Ends sessions whose deadline passed without a request noticing; returns how many. */
  async sweepExpiredSessions(now = this.clock()): Promise<number> {
    if (!this.sessions) return 0;
    let ended = 0;
    for (const id of await this.o.storage.sessions.listExpired(now, 500)) {
      const session = await this.o.storage.sessions.find(id);
      if (!session || session.endedAt !== null) continue;
      const reason = now >= session.absoluteExpiresAt ? "expired" : "timeout";
      if (await this.sessions.end(session, reason)) ended++;
    }
    return ended;
  }

  /** Deletes events older than `visits.retentionDays` and stale hash keys. */
  async purge(now = this.clock()): Promise<number> {
    const days = this.o.config().config.visits?.retentionDays ?? 90;
    const deleted = await this.o.storage.visits.purgeBefore(now - days * DAY_MS);
    await this.hashKeys.purge(now);
    return deleted;
  }

  /** Runs the purge and the sweep every `intervalMs` (unref'd: never keeps the process alive). */
  startJobs(intervalMs = VISIT_JOBS_INTERVAL_MS): void {
    if (this.jobs) return;
    this.jobs = setInterval(() => {
      if (this.jobRun) return;
      this.jobRun = (async () => {
        const now = this.clock();
        await this.sweepExpiredSessions(now);
        await this.purge(now);
      })()
        .catch((error: unknown) => this.o.logger?.error({ err: error }, "visit jobs failed"))
        .finally(() => {
          this.jobRun = undefined;
        });
    }, intervalMs);
    this.jobs.unref();
  }

  /** Stops the jobs, refuses new events and commits the accepted ones. */
  async close(): Promise<void> {
    if (this.jobs) clearInterval(this.jobs);
    this.jobs = undefined;
    await this.jobRun;
    await this.log.close();
  }
}
