import { type AnonymousLimitKind, ErrorCode } from "@portico/protocol";
import type { Logger } from "pino";
import type { ConfigState } from "../config/config-state.js";
import type { AnonymousLimitsConfig } from "../config/schema.js";
import { PorticoError } from "../errors/portico-error.js";
import { networkOf } from "../http/ip-network.js";
import { SlidingWindowLog, type WindowCheck } from "../http/sliding-window-log.js";
import type { Metrics } from "../ops/metrics.js";
import type { SessionRecord } from "../storage/storage.js";
import { ConcurrentSessions } from "./concurrent-sessions.js";
import type { RequestFacts } from "./request-facts.js";
import type { SessionEvents } from "./session-events.js";
import type { SessionGate } from "./session-gate.js";

const HOUR_MS = 60 * 60_000;

export interface AnonymousBudgetOptions {
  config: () => ConfigState;
  clock: () => number;
  metrics: Metrics;
  logger?: Logger;
  /** Memory bounds (tests lower them): start times held, and live sessions tracked. */
  maxEntries?: number;
  maxSessions?: number;
}

/** What an ANONYMOUS_LIMIT refusal carries (`details`, never sent to the client): for the visit log. */
export interface AnonymousLimitDetails {
  limit: AnonymousLimitKind;
  ip: string;
  network: string;
}

/** The budget behind an ANONYMOUS_LIMIT error, or undefined for any other error. */
export function anonymousLimitOf(error: PorticoError): AnonymousLimitDetails | undefined {
  return error.code === ErrorCode.ANONYMOUS_LIMIT ? (error.details as AnonymousLimitDetails) : undefined;
}

/**
 * The anonymous session budgets of each proxy (`virtualProxies[].anonymousLimits`): new sessions per client
 * address and per network in any hour, and live sessions per address. A gate in front of the licences, so a
 * start it refuses consumes no capacity unit and no pass. Counted in memory on each node (the limits are per
 * node): the decision must cost nothing on a path a script can hammer, and a storage round trip per start
 * would make the brake itself a load on the shared database.
 */
export class AnonymousBudget implements SessionGate {
  private readonly o: AnonymousBudgetOptions;
  private readonly perIp: SlidingWindowLog;
  private readonly perNetwork: SlidingWindowLog;
  private readonly concurrent: ConcurrentSessions;

  constructor(options: AnonymousBudgetOptions) {
    this.o = options;
    const window = { windowMs: HOUR_MS, clock: options.clock };
    const maxEntries = options.maxEntries !== undefined ? { maxEntries: options.maxEntries } : {};
    this.perIp = new SlidingWindowLog({ ...window, ...maxEntries });
    this.perNetwork = new SlidingWindowLog({ ...window, ...maxEntries });
    this.concurrent = new ConcurrentSessions({
      clock: options.clock,
      ...(options.maxSessions !== undefined ? { maxSessions: options.maxSessions } : {}),
    });
  }

  /** Counts a new anonymous session against its address and network, or refuses it (ANONYMOUS_LIMIT). */
  async admit(session: SessionRecord, request?: RequestFacts): Promise<undefined> {
    const limits = this.limitsFor(session, request);
    if (limits === undefined || request === undefined) return undefined;
    const keys = this.keysOf(session, request.ip, limits);
    const refusals = (
      [
        ["newSessionsPerIpPerHour", this.perIp, keys.ip],
        ["newSessionsPerNetworkPerHour", this.perNetwork, keys.network],
        ["concurrentSessionsPerIp", this.concurrent, keys.ip],
      ] as const
    ).flatMap(([kind, counter, key]) => {
      const limit = limits[kind];
      if (limit === "off") return [];
      const check: WindowCheck = counter.check(key, limit);
      return check.allowed ? [] : [{ kind, limit, retryAfterMs: check.retryAfterMs }];
    });
    // The longest wait names the budget: once it has passed, every other one admits again too.
    const refusal = refusals.sort((a, b) => b.retryAfterMs - a.retryAfterMs)[0];
    if (refusal) throw this.refuse(session, request.ip, keys.networkText, refusal);
    if (limits.newSessionsPerIpPerHour !== "off") this.perIp.add(keys.ip, session.createdAt);
    if (limits.newSessionsPerNetworkPerHour !== "off") this.perNetwork.add(keys.network, session.createdAt);
    if (limits.concurrentSessionsPerIp !== "off") this.concurrent.add(keys.ip, session.id, session.expiresAt);
    return undefined;
  }

  /** Activity served here keeps the session's slot until its moved inactivity deadline. */
  admitRequest(session: SessionRecord, now: number): undefined {
    if (!session.anonymous) return undefined;
    const proxy = this.o.config().proxies.get(session.proxy);
    if (proxy !== undefined)
      this.concurrent.touch(
        session.id,
        Math.min(now + proxy.sessionInactivityMinutes * 60_000, session.absoluteExpiresAt),
      );
    return undefined;
  }

  /** A start this gate counted did not happen (a later gate refused it, or it failed): it counts for nothing. */
  abandon(session: SessionRecord, request?: RequestFacts): void {
    const limits = this.limitsFor(session, request);
    if (limits === undefined || request === undefined) return;
    const keys = this.keysOf(session, request.ip, limits);
    this.perIp.remove(keys.ip, session.createdAt);
    this.perNetwork.remove(keys.network, session.createdAt);
    this.concurrent.remove(session.id);
  }

  /** Frees a session's slot as it ends. Returns the unsubscribe function. */
  follow(events: SessionEvents): () => void {
    return events.on("ended", ({ session }) => {
      this.concurrent.remove(session.id);
    });
  }

  private limitsFor(
    session: SessionRecord,
    request: RequestFacts | undefined,
  ): AnonymousLimitsConfig | undefined {
    // Programmatic starts (no request) have no client to count against.
    if (!session.anonymous || request === undefined) return undefined;
    return this.o.config().proxies.get(session.proxy)?.anonymousLimits;
  }

  private keysOf(session: SessionRecord, ip: string, limits: AnonymousLimitsConfig) {
    const networkText = networkOf(ip, limits.ipv4NetworkPrefix, limits.ipv6NetworkPrefix);
    return { ip: `${session.proxy}|${ip}`, network: `${session.proxy}|${networkText}`, networkText };
  }

  private refuse(
    session: SessionRecord,
    ip: string,
    network: string,
    refusal: { kind: AnonymousLimitKind; limit: number; retryAfterMs: number },
  ): PorticoError {
    const seconds = Math.max(1, Math.ceil(refusal.retryAfterMs / 1000));
    this.o.metrics.inc("portico_anonymous_limit_refusals_total", {
      proxy: session.proxy,
      limit: refusal.kind,
    });
    this.o.logger?.info(
      {
        anonymousLimit: {
          proxy: session.proxy,
          limit: refusal.kind,
          ip,
          network,
          retryAfterSeconds: seconds,
        },
      },
      `anonymous session refused (ANONYMOUS_LIMIT): ${refusal.kind} ${refusal.limit}`,
    );
    const details: AnonymousLimitDetails = { limit: refusal.kind, ip, network };
    return new PorticoError(
      ErrorCode.ANONYMOUS_LIMIT,
      messageFor(refusal.kind, refusal.limit, seconds),
      details,
      {
        "Retry-After": String(seconds),
      },
    );
  }
}

/** Says which budget refused, so a visitor (or the developer testing a page) knows what to wait for. */
function messageFor(kind: AnonymousLimitKind, limit: number, seconds: number): string {
  const which =
    kind === "newSessionsPerIpPerHour"
      ? `Too many new anonymous sessions from this address in the last hour (at most ${limit})`
      : kind === "newSessionsPerNetworkPerHour"
        ? `Too many new anonymous sessions from this network in the last hour (at most ${limit})`
        : `Too many anonymous sessions open at once from this address (at most ${limit})`;
  return `${which}; retry in ${seconds} s`;
}
