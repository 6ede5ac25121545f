import { ErrorCode, type SessionLicense, type TicketClaims } from "@portico/protocol";
import type { ConfigState } from "../config/config-state.js";
import type { VirtualProxyConfig } from "../config/schema.js";
import { isPorticoError, PorticoError } from "../errors/portico-error.js";
import type { Metrics } from "../ops/metrics.js";
import type { SessionEndReason, SessionRecord, SessionTouch, Storage } from "../storage/storage.js";
import type { IssuedTicket, TicketSigner } from "../tickets/ticket-signer.js";
import type { RequestFacts } from "./request-facts.js";
import { SessionEvents } from "./session-events.js";
import type { SessionGate } from "./session-gate.js";
import { sessionOrigin } from "./session-origin.js";
import { encodeToken, hashToken, SESSION_TOKEN_BYTES } from "./session-token.js";

export const ANONYMOUS_DIRECTORY = "NONE";

/** Why an `always` proxy refuses identified users (Ticket API and redemption alike). */
export const ANONYMOUS_ONLY_MESSAGE =
  "This virtual proxy admits anonymous users only (anonymousAccess: always): identified users need a proxy with anonymousAccess allow or none";
/** Activity within this window does not rewrite the session row (fewer writes; sub-second precision is moot). */
const TOUCH_GRANULARITY_MS = 1000;
/**
 * How long this node answers from a session it read instead of reading it again. What this node does to
 * a session (logout, revocation, expiry) applies at once; a change made by another node sharing the
 * storage shows here at most this late.
 */
export const SESSION_CACHE_TTL_MS = 1000;
/** Sessions (tokens) held at most; the cache starts over past this. */
const SESSION_CACHE_LIMIT = 10_000;

interface CachedSession {
  session: SessionRecord;
  readAt: number;
}

export interface Ids {
  uuid(): string;
  randomBytes(size: number): Uint8Array;
}

export interface SessionServiceOptions {
  storage: Storage;
  config: () => ConfigState;
  signer: TicketSigner;
  clock: () => number;
  ids: Ids;
  metrics: Metrics;
  /** What admits sessions and their requests, in order (budgets, licences); none admits everything. */
  gates?: SessionGate[];
  /** Where the session's life is published; a new one when absent (see `events`). */
  events?: SessionEvents;
  /** A page said its visitor left: the sessions end at `deadline` unless resumed (the sweeper's cue). */
  onLeft?: (deadline: number) => void;
}

/** A page's way back into its anonymous identity: a ticket, and the credential for the next time. */
export interface Resumed {
  ticket: IssuedTicket;
  resume: string;
}

/** Anonymous identities are `NONE\anonymous<GUID>`, like the modelled hub's. */
const ANONYMOUS_ID_RE = /^anonymous[0-9a-f-]{36}$/;

/** What a new session is made from: who it is for, on which proxy, bound to which page. */
export type NewSession = Pick<
  SessionRecord,
  "proxy" | "userDirectory" | "userId" | "anonymous" | "attributes" | "origin"
>;

export interface CreatedSession {
  session: SessionRecord;
  token: string;
  license?: SessionLicense;
}

/** Where a redemption request comes from: who asks (request Origin) and for which embedding page. */
export interface RedeemContext {
  proxy: VirtualProxyConfig;
  /** The request's `Origin` header. */
  requestOrigin: string | undefined;
  /** The server's own origin (first-party: the frame redeems on behalf of its host page). */
  selfOrigin: string;
  /** For first-party redemptions: the host page origin the frame pinned with penpal. */
  embedOrigin: string | undefined;
  request?: RequestFacts;
}

/**
 * Sessions: created from one-time tickets or local logins, identified by an opaque token stored only as a
 * hash, expiring after `sessionInactivityMinutes` of inactivity and after `sessionMaxLifetimeMinutes` in any
 * case. All state goes through `Storage`, so several nodes share sessions.
 */
export class SessionService {
  /** The session's life as it happens: `started`, `ended`, `denied`. */
  readonly events: SessionEvents;
  private readonly o: SessionServiceOptions;
  private readonly gates: readonly SessionGate[];
  /** Live sessions by token hash, read at most SESSION_CACHE_TTL_MS ago. */
  private readonly cache = new Map<string, CachedSession>();
  /** The token hashes cached for each session id, so ending a session drops every one of them. */
  private readonly cachedTokens = new Map<string, Set<string>>();
  /** Touches of the current turn, by session id (a later one replaces an earlier), and their write. */
  private readonly pendingTouches = new Map<string, SessionTouch>();
  private touchesWritten: Promise<void> | undefined;
  /** Counts session endings on this node; a read that overlapped one is not cached. */
  private endings = 0;

  constructor(options: SessionServiceOptions) {
    this.o = options;
    this.gates = options.gates ?? [];
    this.events = options.events ?? new SessionEvents();
  }

  /** Verifies and consumes a ticket, then creates (or, for a join ticket, joins) the session. */
  async redeem(ticket: string, context: RedeemContext): Promise<CreatedSession> {
    const prefix = context.proxy.prefix;
    const claims = await this.o.signer.verify(ticket, prefix).catch((error: unknown) => {
      this.refused(
        error instanceof PorticoError
          ? String((error.details as { reason?: string })?.reason ?? error.code)
          : "invalid",
      );
      throw error;
    });
    if (claims.kind === "anonymous" && context.proxy.anonymousAccess === "none") {
      this.refused("anonymous_disabled");
      throw new PorticoError(
        ErrorCode.ANONYMOUS_DISABLED,
        "Anonymous access is disabled on this virtual proxy",
      );
    }
    // A user ticket minted elsewhere (a peer's keys, or before the proxy became anonymous-only) must not
    // make an identified visitor of a proxy where everyone is anonymous.
    if (claims.kind === "user" && context.proxy.anonymousAccess === "always") {
      this.refused("anonymous_only");
      throw new PorticoError(ErrorCode.ANONYMOUS_ONLY, ANONYMOUS_ONLY_MESSAGE);
    }
    if (claims.kind !== "user") this.checkOriginBinding(claims, context);
    // Everything is checked before the ticket is consumed, so a refused attempt cannot burn a good ticket.
    const fresh = await this.o.storage.tickets.redeem(claims.jti, claims.exp * 1000);
    if (!fresh) {
      this.refused("used");
      throw new PorticoError(ErrorCode.TICKET_USED, "The ticket has already been used");
    }
    this.o.metrics.inc("portico_tickets_redeemed_total", { proxy: prefix, kind: claims.kind });

    if (claims.kind === "join") return this.join(claims, context.proxy);
    if (claims.kind === "anonymous") {
      return this.create(
        {
          proxy: prefix,
          userDirectory: ANONYMOUS_DIRECTORY,
          // Chosen when the ticket was issued with a resume credential (or by a resume), so the page can
          // come back to the same identity; else new.
          userId:
            claims.userId !== undefined && ANONYMOUS_ID_RE.test(claims.userId)
              ? claims.userId
              : this.anonymousId(),
          anonymous: true,
          attributes: claims.attributes ?? {},
          origin: claims.origin ?? null,
        },
        context.request,
        claims,
      );
    }
    if (!claims.userDirectory || !claims.userId)
      throw new PorticoError(ErrorCode.TICKET_INVALID, "The ticket names no user");
    return this.create(
      {
        proxy: prefix,
        userDirectory: claims.userDirectory,
        userId: claims.userId,
        anonymous: false,
        attributes: claims.attributes ?? {},
        origin: sessionOrigin(
          context.requestOrigin,
          context.selfOrigin,
          context.embedOrigin,
          context.proxy.hostAllowList,
        ),
      },
      context.request,
      claims,
    );
  }

  /** An anonymous visitor's session without a ticket: for Portico's own pages, bound to `origin`. */
  createAnonymous(prefix: string, origin: string, request?: RequestFacts): Promise<CreatedSession> {
    return this.create(
      {
        proxy: prefix,
        userDirectory: ANONYMOUS_DIRECTORY,
        userId: this.anonymousId(),
        anonymous: true,
        attributes: {},
        origin,
      },
      request,
    );
  }

  /** A new anonymous identity. */
  anonymousId(): string {
    return `anonymous${this.o.ids.uuid()}`;
  }

  /**
   * The first resume credential of a new anonymous identity, for the page at `origin`: it lives as long
   * as a session of the proxy may (`sessionMaxLifetimeMinutes`), and each use hands out the next one.
   */
  async resumeCredential(prefix: string, origin: string, userId: string): Promise<string> {
    const proxy = this.proxyConfig(prefix);
    const expiresAt = this.o.clock() + proxy.sessionMaxLifetimeMinutes * 60_000;
    return (await this.o.signer.issueResume(prefix, { origin, userId, expiresAt })).credential;
  }

  /**
   * A page comes back (a reload, the site's next page, another tab): its credential, used once, gives a
   * join ticket into the identity's live session (which cancels a pending leave), or, when that session
   * has ended, an anonymous ticket for a new session of the same identity (so a login access pass it holds
   * covers it again). Only from the page origin the credential was issued to, while that origin is on the
   * proxy's allow list.
   */
  async resume(
    credential: string,
    proxy: VirtualProxyConfig,
    requestOrigin: string | undefined,
    pageUrl?: string,
  ): Promise<Resumed> {
    const claims = await this.verifyResume(credential, proxy, requestOrigin);
    if (!(await this.o.storage.tickets.redeem(claims.jti, claims.exp * 1000))) {
      this.refused("used");
      throw new PorticoError(ErrorCode.TICKET_USED, "The resume credential has already been used");
    }
    const now = this.o.clock();
    const live = await this.o.storage.sessions.findLive(
      proxy.prefix,
      ANONYMOUS_DIRECTORY,
      claims.userId,
      now,
    );
    // Someone is back: a pending leave is cancelled now, not only when the ticket is redeemed.
    if (live?.leftAt != null) {
      const expiresAt = Math.min(now + proxy.sessionInactivityMinutes * 60_000, live.absoluteExpiresAt);
      await this.touch({ id: live.id, lastActiveAt: now, expiresAt });
      this.forget(live.id);
    }
    const ticket = live
      ? await this.joinTicket(live, claims.origin)
      : await this.o.signer.issue({
          proxy: proxy.prefix,
          kind: "anonymous",
          origin: claims.origin,
          ...(pageUrl !== undefined && new URL(pageUrl).origin === claims.origin ? { pageUrl } : {}),
          userId: claims.userId,
        });
    if (!live) this.o.metrics.inc("portico_tickets_issued_total", { proxy: proxy.prefix, kind: "anonymous" });
    this.o.metrics.inc("portico_sessions_resumed_total", { proxy: proxy.prefix, live: live ? "yes" : "no" });
    const next = await this.o.signer.issueResume(proxy.prefix, {
      origin: claims.origin,
      userId: claims.userId,
      expiresAt: claims.exp * 1000,
    });
    return { ticket, resume: next.credential };
  }

  /**
   * The page says its visitor left (closed the tab, destroyed its last embed): the identity's live sessions
   * end after the proxy's grace, with reason `left`, unless a page resumes them or a request comes first.
   * The credential stays valid (a reload uses it to resume). Returns how many sessions will end.
   */
  async leave(
    credential: string,
    proxy: VirtualProxyConfig,
    requestOrigin: string | undefined,
  ): Promise<number> {
    const claims = await this.verifyResume(credential, proxy, requestOrigin);
    // A credential a resume has used is spent for leaving too: the old page's late leave after a reload
    // (which resumed with it), another tab's stale copy, or a leaked old one must not end the session.
    if (await this.o.storage.tickets.isUsed(claims.jti)) {
      this.refused("used");
      throw new PorticoError(ErrorCode.TICKET_USED, "The resume credential has already been used");
    }
    const now = this.o.clock();
    const graceMs = proxy.leaveGraceSeconds * 1000;
    const ids = await this.o.storage.sessions.leave(
      proxy.prefix,
      ANONYMOUS_DIRECTORY,
      claims.userId,
      now,
      graceMs,
    );
    for (const id of ids) this.forget(id);
    if (ids.length > 0)
      this.o.metrics.inc("portico_sessions_left_total", { proxy: proxy.prefix }, ids.length);
    if (ids.length > 0) this.o.onLeft?.(now + graceMs);
    return ids.length;
  }

  private async verifyResume(
    credential: string,
    proxy: VirtualProxyConfig,
    requestOrigin: string | undefined,
  ) {
    const claims = await this.o.signer.verifyResume(credential, proxy.prefix).catch((error: unknown) => {
      this.refused("resume");
      throw error;
    });
    if (proxy.anonymousAccess === "none")
      throw new PorticoError(
        ErrorCode.ANONYMOUS_DISABLED,
        "Anonymous access is disabled on this virtual proxy",
      );
    // The page itself sends it, so the browser's Origin says which page: the credential's, or nothing.
    if (requestOrigin === undefined || requestOrigin !== claims.origin) {
      this.refused("origin");
      throw new PorticoError(ErrorCode.TICKET_INVALID, "The resume credential is bound to another origin");
    }
    if (!proxy.hostAllowList.includes(claims.origin)) {
      this.refused("origin");
      throw new PorticoError(
        ErrorCode.ORIGIN_NOT_ALLOWED,
        "The credential's origin is no longer allowed on this proxy",
      );
    }
    return claims;
  }

  async create(draft: NewSession, request?: RequestFacts, ticket?: TicketClaims): Promise<CreatedSession> {
    const proxy = this.proxyConfig(draft.proxy);
    const now = this.o.clock();
    const token = encodeToken(this.o.ids.randomBytes(SESSION_TOKEN_BYTES));
    const absoluteExpiresAt = now + proxy.sessionMaxLifetimeMinutes * 60_000;
    const session: SessionRecord = {
      ...draft,
      id: this.o.ids.uuid(),
      tokenHash: hashToken(token),
      createdAt: now,
      lastActiveAt: now,
      expiresAt: Math.min(now + proxy.sessionInactivityMinutes * 60_000, absoluteExpiresAt),
      absoluteExpiresAt,
      endedAt: null,
      endReason: null,
    };
    let license: SessionLicense | undefined;
    const admitted: SessionGate[] = [];
    let refusal: unknown;
    // The licence allocation, the session row and its `sessionStart` event are one transaction: a start
    // that fails anywhere leaves no consumed pass or unit and no event of a session that does not exist.
    const start = this.o.storage.sessions.start(session);
    try {
      await this.events.emit("started", { session, request, ticket, start });
      for (const gate of this.gates) {
        try {
          license = (await gate.admit(session, request, start)) ?? license;
        } catch (error) {
          refusal = error;
          throw error;
        }
        admitted.push(gate);
      }
      await start.commit();
    } catch (error) {
      await start.rollback();
      for (const gate of admitted) gate.abandon?.(session, request);
      // Published once the start is undone: recording the denial must not wait for the start's transaction.
      if (refusal !== undefined && error === refusal)
        throw await this.denied(session, "sessionStart", error, request);
      throw error;
    }
    this.o.metrics.inc("portico_sessions_created_total", { proxy: draft.proxy });
    return license ? { session, token, license } : { session, token };
  }

  /**
   * The live session for a token on this proxy, with its inactivity deadline moved forward. A token of
   * another proxy is unknown here: proxies are independent.
   */
  async authenticate(token: string, prefix: string, request?: RequestFacts): Promise<SessionRecord> {
    const tokenHash = hashToken(token);
    const now = this.o.clock();
    const session = this.cached(tokenHash, now) ?? (await this.read(tokenHash, now));
    if (!session || session.proxy !== prefix)
      throw new PorticoError(ErrorCode.UNAUTHENTICATED, "No valid session");
    if (session.endedAt !== null) {
      if (session.endReason === "revoked")
        throw new PorticoError(ErrorCode.SESSION_REVOKED, "The session was revoked");
      if (session.endReason === "timeout" || session.endReason === "expired")
        throw new PorticoError(ErrorCode.SESSION_EXPIRED, "The session has expired");
      throw new PorticoError(ErrorCode.UNAUTHENTICATED, "The session has ended");
    }
    if (now >= session.expiresAt) {
      await this.end(session, endReasonAt(session, now));
      throw new PorticoError(ErrorCode.SESSION_EXPIRED, "The session has expired");
    }
    // Licence re-check (capacity units) before the request counts as activity: a refused request is not.
    for (const gate of this.gates) {
      try {
        const pending = gate.admitRequest(session, now, request);
        if (pending !== undefined) await pending;
      } catch (error) {
        throw await this.denied(session, "activity", error, request);
      }
    }
    const proxy = this.proxyConfig(prefix);
    const expiresAt = Math.min(now + proxy.sessionInactivityMinutes * 60_000, session.absoluteExpiresAt);
    // A session its page said was left is touched at once: this request shows someone is still there.
    const leaving = session.leftAt != null && session.leftAt >= session.lastActiveAt;
    if (now - session.lastActiveAt >= TOUCH_GRANULARITY_MS || expiresAt < session.expiresAt || leaving) {
      await this.touch({ id: session.id, lastActiveAt: now, expiresAt });
      session.lastActiveAt = now;
      session.expiresAt = expiresAt;
    }
    return session;
  }

  async end(session: SessionRecord, reason: SessionEndReason): Promise<boolean> {
    // Dropped before the write, so no request on this node is answered from the live copy once it starts,
    // and again after it, for a read that raced the write (see `read`).
    this.forget(session.id);
    let ended: boolean;
    try {
      ended = await this.o.storage.sessions.end(session.id, this.o.clock(), reason);
    } finally {
      this.forget(session.id);
    }
    if (ended) await this.publishEnded(session, reason);
    return ended;
  }

  /**
   * Publishes `ended` for a session storage has just ended: here, or in bulk by the expiry sweep (which
   * ends a batch of sessions in one statement).
   */
  async publishEnded(session: SessionRecord, reason: SessionEndReason): Promise<void> {
    this.forget(session.id);
    this.o.metrics.inc("portico_sessions_ended_total", { reason });
    await this.events.emit("ended", { session, reason });
  }

  async revoke(id: string): Promise<boolean> {
    const session = await this.o.storage.sessions.find(id);
    return session ? this.end(session, "revoked") : false;
  }

  /** A one-time ticket that redeems into this same session, bound to the same embedding origin. */
  async joinTicket(session: SessionRecord, origin: string) {
    const issued = await this.o.signer.issue({ proxy: session.proxy, kind: "join", origin, sid: session.id });
    this.o.metrics.inc("portico_tickets_issued_total", { proxy: session.proxy, kind: "join" });
    return issued;
  }

  inactivityTimeoutMs(prefix: string): number {
    return this.proxyConfig(prefix).sessionInactivityMinutes * 60_000;
  }

  private async join(claims: TicketClaims, proxy: VirtualProxyConfig): Promise<CreatedSession> {
    const session = claims.sid ? await this.o.storage.sessions.find(claims.sid) : undefined;
    const now = this.o.clock();
    if (!session || session.proxy !== proxy.prefix || session.endedAt !== null || now >= session.expiresAt)
      throw new PorticoError(ErrorCode.SESSION_EXPIRED, "The session to join has ended");
    const token = encodeToken(this.o.ids.randomBytes(SESSION_TOKEN_BYTES));
    await this.o.storage.sessions.addToken(session.id, hashToken(token), now);
    // A page joined: someone is there. It cancels a pending leave (the activity moves past it).
    if (session.leftAt != null) {
      const expiresAt = Math.min(now + proxy.sessionInactivityMinutes * 60_000, session.absoluteExpiresAt);
      await this.touch({ id: session.id, lastActiveAt: now, expiresAt });
      this.forget(session.id);
    }
    return { session, token };
  }

  /**
   * An anonymous or join ticket is bound to the page that asked for it. It redeems either from that page
   * itself (request Origin equal to the binding) or from our own frame (request Origin = this server)
   * on behalf of exactly that page, and only while that page is still on the proxy's allow list.
   */
  private checkOriginBinding(claims: TicketClaims, context: RedeemContext): void {
    const bound = claims.origin;
    const { requestOrigin, selfOrigin, embedOrigin, proxy } = context;
    const direct = requestOrigin !== undefined && requestOrigin === bound;
    const viaFrame = requestOrigin === selfOrigin && embedOrigin !== undefined && embedOrigin === bound;
    if (!bound || !(direct || viaFrame)) {
      this.refused("origin");
      // Our own frame, loaded under another name of this server (the page's `server` is not the public
      // URL): the same refusal, with the words that fix it. Both names are never accepted: the frame's
      // origin is how the server knows it is its own page (a Host header is the visitor's to write).
      if (embedOrigin !== undefined && embedOrigin === bound && requestOrigin !== undefined)
        throw new PorticoError(
          ErrorCode.SERVER_URL_MISMATCH,
          `The page loads this server as ${requestOrigin}, but its publicUrl is ${selfOrigin}: set the embed's server to ${selfOrigin}`,
        );
      throw new PorticoError(ErrorCode.TICKET_INVALID, "The ticket is bound to another origin");
    }
    if (bound !== selfOrigin && !proxy.hostAllowList.includes(bound)) {
      this.refused("origin");
      throw new PorticoError(
        ErrorCode.ORIGIN_NOT_ALLOWED,
        "The ticket's origin is no longer allowed on this proxy",
      );
    }
  }

  /**
   * The cached session for a token while it is fresh. One that looks expired is read again rather than
   * ended on a possibly stale deadline: another node may have moved it forward.
   */
  private cached(tokenHash: string, now: number): SessionRecord | undefined {
    const entry = this.cache.get(tokenHash);
    if (entry === undefined) return undefined;
    const age = now - entry.readAt;
    // A clock that went backwards (age < 0) cannot vouch for freshness either.
    return age >= 0 && age < SESSION_CACHE_TTL_MS && now < entry.session.expiresAt
      ? entry.session
      : undefined;
  }

  /** Reads a session from storage; a live one is cached under the token. */
  private async read(tokenHash: string, now: number): Promise<SessionRecord | undefined> {
    const endings = this.endings;
    const session = await this.o.storage.sessions.findByTokenHash(tokenHash);
    // A session ended on this node while the read was in flight may have been read live: not cached.
    if (session === undefined || session.endedAt !== null || endings !== this.endings) return session;
    if (this.cache.size >= SESSION_CACHE_LIMIT) {
      this.cache.clear();
      this.cachedTokens.clear();
    }
    this.cache.set(tokenHash, { session, readAt: now });
    let tokens = this.cachedTokens.get(session.id);
    if (tokens === undefined) {
      tokens = new Set();
      this.cachedTokens.set(session.id, tokens);
    }
    tokens.add(tokenHash);
    return session;
  }

  /**
   * Records a session's activity together with every other session touched in this turn of the event
   * loop: one transaction at the turn's end (`storage.sessions.touch`), resolved once it is written. A
   * visitor's requests are seconds apart, so past the 1 s session cache nearly every request touches, and
   * a transaction (and its commit) per request would cost more than the request's other work.
   */
  private touch(touch: SessionTouch): Promise<void> {
    this.pendingTouches.set(touch.id, touch);
    this.touchesWritten ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      const touches = [...this.pendingTouches.values()];
      this.pendingTouches.clear();
      this.touchesWritten = undefined;
      return this.o.storage.sessions.touch(touches);
    });
    return this.touchesWritten;
  }

  private forget(sessionId: string): void {
    this.endings++;
    for (const tokenHash of this.cachedTokens.get(sessionId) ?? []) this.cache.delete(tokenHash);
    this.cachedTokens.delete(sessionId);
  }

  private proxyConfig(prefix: string): VirtualProxyConfig {
    const proxy = this.o.config().proxies.get(prefix);
    if (!proxy) throw new PorticoError(ErrorCode.PROXY_NOT_FOUND, "Unknown virtual proxy");
    return proxy;
  }

  /**
   * Publishes a gate's refusal (a PorticoError; anything else is a failure, not a denial) and returns
   * the error for the caller to throw. A denial that cannot be recorded is still a denial.
   */
  private async denied(
    session: SessionRecord,
    phase: "sessionStart" | "activity",
    error: unknown,
    request: RequestFacts | undefined,
  ): Promise<unknown> {
    if (isPorticoError(error))
      await this.events.emit("denied", { session, phase, error, request }).catch(() => undefined);
    return error;
  }

  private refused(reason: string): void {
    this.o.metrics.inc("portico_tickets_refused_total", { reason });
  }
}

/** Why a session past its deadline ends: its page left (and nothing happened since), its lifetime, or idleness. */
export function endReasonAt(session: SessionRecord, now: number): SessionEndReason {
  if (session.leftAt != null && session.leftAt >= session.lastActiveAt) return "left";
  return now >= session.absoluteExpiresAt ? "expired" : "timeout";
}
