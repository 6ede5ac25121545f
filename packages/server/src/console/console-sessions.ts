import type { ConfigState } from "../config/config-state.js";
import type { Ids } from "../sessions/session-service.js";
import { encodeToken, hashToken, SESSION_TOKEN_BYTES } from "../sessions/session-token.js";

/** The cookie of a console session: sent only to the admin API, which the console drives. */
export const CONSOLE_COOKIE = "X-Portico-QMC";
export const CONSOLE_COOKIE_PATH = "/admin/api/v1";
/** The header every state-changing console request carries its session's CSRF token in. */
export const CSRF_HEADER = "X-Portico-CSRF";
/** Console sessions held at most; past it the oldest is signed out. */
const MAX_CONSOLE_SESSIONS = 1000;

/** A user signed in to the management console of one proxy. */
export interface ConsoleSession {
  id: string;
  /** The proxy whose console (and login) the user signed in through. */
  proxy: string;
  userDirectory: string;
  userId: string;
  /** Sent by the console in `X-Portico-CSRF`; a page on another site cannot read it. */
  csrfToken: string;
  createdAt: number;
  lastActiveAt: number;
  expiresAt: number;
  absoluteExpiresAt: number;
}

export interface ConsoleSessionsOptions {
  config: () => ConfigState;
  clock: () => number;
  ids: Ids;
}

/**
 * Console sessions, apart from the hub's: signing in to the console consumes no licence (as in the modelled
 * hub, where the management console needs no access pass) and no hub session is counted or recorded as a
 * visit. Held in this node's memory, so a cluster needs sticky routing for `/admin/api/v1` and `/{P}/qmc`
 * (docs/console.md); the admin API key works on every node. Expiry follows the proxy's settings.
 */
export class ConsoleSessions {
  private readonly o: ConsoleSessionsOptions;
  private readonly byTokenHash = new Map<string, ConsoleSession>();

  constructor(options: ConsoleSessionsOptions) {
    this.o = options;
  }

  /** A new session for a user whose credentials were checked; the token goes into the cookie only. */
  signIn(user: { proxy: string; userDirectory: string; userId: string }): {
    token: string;
    session: ConsoleSession;
  } {
    const now = this.o.clock();
    const proxy = this.o.config().proxies.get(user.proxy);
    const inactivityMs = (proxy?.sessionInactivityMinutes ?? 30) * 60_000;
    const absoluteExpiresAt = now + (proxy?.sessionMaxLifetimeMinutes ?? 480) * 60_000;
    const token = encodeToken(this.o.ids.randomBytes(SESSION_TOKEN_BYTES));
    const session: ConsoleSession = {
      ...user,
      id: this.o.ids.uuid(),
      csrfToken: encodeToken(this.o.ids.randomBytes(SESSION_TOKEN_BYTES)),
      createdAt: now,
      lastActiveAt: now,
      expiresAt: Math.min(now + inactivityMs, absoluteExpiresAt),
      absoluteExpiresAt,
    };
    if (this.byTokenHash.size >= MAX_CONSOLE_SESSIONS) {
      const oldest = this.byTokenHash.keys().next().value;
      if (oldest !== undefined) this.byTokenHash.delete(oldest);
    }
    this.byTokenHash.set(hashToken(token), session);
    return { token, session };
  }

  /**
   * The live session of a token, its inactivity deadline moved on; undefined when unknown, expired, or its
   * proxy is gone or became anonymous-only (no console there).
   */
  authenticate(token: string): ConsoleSession | undefined {
    const key = hashToken(token);
    const session = this.byTokenHash.get(key);
    if (!session) return undefined;
    const now = this.o.clock();
    const proxy = this.o.config().proxies.get(session.proxy);
    if (now >= session.expiresAt || !proxy || proxy.anonymousAccess === "always") {
      this.byTokenHash.delete(key);
      return undefined;
    }
    session.lastActiveAt = now;
    session.expiresAt = Math.min(now + proxy.sessionInactivityMinutes * 60_000, session.absoluteExpiresAt);
    return session;
  }

  signOut(token: string): void {
    this.byTokenHash.delete(hashToken(token));
  }
}
