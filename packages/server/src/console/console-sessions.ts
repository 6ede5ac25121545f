import type { ConfigState } from "../config/config-state.js";
import type { Ids } from "../sessions/session-service.js";
import { encodeToken, hashToken, SESSION_TOKEN_BYTES } from "../sessions/session-token.js";
import type {
  ConsoleSessionRecord,
  ConsoleSessionsRepository,
} from "../storage/console-sessions-repository.js";

/** The cookie of a console session: sent only to the admin API, which the console drives. */
export const CONSOLE_COOKIE = "X-Portico-QMC";
export const CONSOLE_COOKIE_PATH = "/admin/api/v1";
/** The header every state-changing console request carries its session's CSRF token in. */
export const CSRF_HEADER = "X-Portico-CSRF";
/** A console session's activity is written at most this often (its inactivity deadline moves with it). */
const TOUCH_EVERY_MS = 60_000;
/** Expired console sessions are deleted at most this often, by the node where someone signs in. */
const PURGE_EVERY_MS = 60_000;

/** A user signed in to the management console of one proxy. */
export type ConsoleSession = Omit<ConsoleSessionRecord, "tokenHash">;

export interface ConsoleSessionsOptions {
  config: () => ConfigState;
  clock: () => number;
  ids: Ids;
  store: ConsoleSessionsRepository;
}

/**
 * Console sessions, apart from the hub's: signing in to the console consumes no licence (as in the modelled
 * hub, where the management console needs no access pass) and no hub session is counted or recorded as a
 * visit. Kept in storage (the token only as its hash), so every node of a cluster knows them. Expiry
 * follows the proxy's settings; activity is written at most once a minute, so the inactivity deadline
 * may come up to a minute early.
 */
export class ConsoleSessions {
  private readonly o: ConsoleSessionsOptions;
  private purgedAt = Number.NEGATIVE_INFINITY;

  constructor(options: ConsoleSessionsOptions) {
    this.o = options;
  }

  /** A new session for a user whose credentials were checked; the token goes into the cookie only. */
  async signIn(user: { proxy: string; userDirectory: string; userId: string }): Promise<{
    token: string;
    session: ConsoleSession;
  }> {
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
    if (now - this.purgedAt >= PURGE_EVERY_MS) {
      this.purgedAt = now;
      await this.o.store.purge(now);
    }
    await this.o.store.create({ ...session, tokenHash: hashToken(token) });
    return { token, session };
  }

  /**
   * The live session of a token, its inactivity deadline moved on; undefined when unknown, expired, or its
   * proxy is gone or became anonymous-only (no console there).
   */
  async authenticate(token: string): Promise<ConsoleSession | undefined> {
    const key = hashToken(token);
    const record = await this.o.store.findByTokenHash(key);
    if (!record) return undefined;
    const { tokenHash: _, ...session } = record;
    const now = this.o.clock();
    const proxy = this.o.config().proxies.get(session.proxy);
    if (now >= session.expiresAt || !proxy || proxy.anonymousAccess === "always") {
      await this.o.store.delete(key);
      return undefined;
    }
    if (now - session.lastActiveAt >= TOUCH_EVERY_MS) {
      session.lastActiveAt = now;
      session.expiresAt = Math.min(now + proxy.sessionInactivityMinutes * 60_000, session.absoluteExpiresAt);
      await this.o.store.touch(session.id, session.lastActiveAt, session.expiresAt);
    }
    return session;
  }

  async signOut(token: string): Promise<void> {
    await this.o.store.delete(hashToken(token));
  }
}
