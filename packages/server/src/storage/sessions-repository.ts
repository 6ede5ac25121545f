import type { SessionStart } from "./session-start.js";

export type SessionEndReason = "logout" | "timeout" | "revoked" | "switched" | "expired" | "left";

export interface SessionRecord {
  id: string;
  /** SHA-256 of the session token (base64url); the token itself is never stored. */
  tokenHash: string;
  proxy: string;
  userDirectory: string;
  userId: string;
  anonymous: boolean;
  /** Ticket attributes; they become `user.environment.<name>` in rules. */
  attributes: Record<string, string | string[]>;
  /** The embedding page's origin the ticket was bound to, when there was one. */
  origin: string | null;
  createdAt: number;
  lastActiveAt: number;
  /** Inactivity deadline: moves forward with activity, never past `absoluteExpiresAt`. */
  expiresAt: number;
  absoluteExpiresAt: number;
  endedAt: number | null;
  endReason: SessionEndReason | null;
  /**
   * When the embedding page said its visitor left: the session then ends at `expiresAt` (moved to the
   * proxy's grace) with reason `left`, unless a request or a resuming page shows someone is still there
   * (`lastActiveAt` moves past it). Absent on sessions read before it existed.
   */
  leftAt?: number | null;
}

export interface SessionQuery {
  /** Only sessions not ended and not expired at this time. */
  activeAt?: number;
  proxy?: string;
  limit?: number;
}

/** One session's recorded activity (`SessionsRepository.touch`). */
export interface SessionTouch {
  id: string;
  lastActiveAt: number;
  expiresAt: number;
}

/** Sessions and their extra (joined) tokens, shared by every node on the storage. */
export interface SessionsRepository {
  create(session: SessionRecord): Promise<void>;
  /**
   * A new session's start as one unit of work: its licence allocation, its row and its start events commit
   * together at `commit()`, or not at all.
   */
  start(session: SessionRecord): SessionStart;
  /** Gives an existing session one more token (a sibling embed joined it). */
  addToken(sessionId: string, tokenHash: string, createdAt: number): Promise<void>;
  /** The session holding this token, whether it is the session's first token or a joined one. */
  findByTokenHash(tokenHash: string): Promise<SessionRecord | undefined>;
  find(id: string): Promise<SessionRecord | undefined>;
  /** Records sessions' activity, in one transaction; only on sessions that have not ended. */
  touch(touches: readonly SessionTouch[]): Promise<void>;
  /**
   * The live session (not ended, not expired at `now`) of an identity on a proxy, the newest if several.
   */
  findLive(
    proxy: string,
    userDirectory: string,
    userId: string,
    now: number,
  ): Promise<SessionRecord | undefined>;
  /**
   * Marks the identity's live sessions on the proxy as left at `now`: each ends at `now + graceMs` (or its
   * own deadline, if sooner) unless it is active again meanwhile. Returns their ids.
   */
  leave(
    proxy: string,
    userDirectory: string,
    userId: string,
    now: number,
    graceMs: number,
  ): Promise<string[]>;
  /** Ends a session once; false when it had already ended (or does not exist). */
  end(id: string, endedAt: number, reason: SessionEndReason): Promise<boolean>;
  list(query: SessionQuery): Promise<SessionRecord[]>;
  countActive(now: number): Promise<number>;
  /** Ids of sessions not ended whose deadline is at or before `now`, at most `limit` of them. */
  listExpired(now: number, limit: number): Promise<string[]>;
  /**
   * Ends, in one statement, at most `limit` sessions not ended whose deadline is at or before `now`:
   * reason `left` when the page said the visitor left and nothing happened since, else `expired` past
   * their absolute deadline, else `timeout`, ended at `now`. Returns them as ended.
   * A session is ended once however many nodes sweep at the same time (on PostgreSQL a node skips the
   * rows another is ending rather than waiting for them); callers repeat it until it returns fewer than
   * `limit`.
   */
  endExpired(now: number, limit: number): Promise<SessionRecord[]>;
}
