import type { Kysely } from "kysely";
import type { Database } from "./database.js";
import type { BatchTable, RowValues, SessionTouch } from "./row-inserter.js";

export type SessionEndReason = "logout" | "timeout" | "revoked" | "switched" | "expired";

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
}

export interface SigningKeyRecord {
  kid: string;
  algorithm: string;
  publicJwk: string;
  createdAt: number;
  retiredAt: number | null;
}

export interface ConfigChangeRecord {
  id: number;
  changedAt: number;
  section: string;
  actor: string;
  /** The section's new value as JSON. */
  content: string;
}

export interface SessionQuery {
  /** Only sessions not ended and not expired at this time. */
  activeAt?: number;
  proxy?: string;
  limit?: number;
}

/**
 * Everything the server keeps outside the config, behind one async interface so SQLite (embedded) and
 * PostgreSQL (several nodes) adapters are interchangeable. Callers never see SQL.
 */
export interface Storage {
  readonly kind: "sqlite" | "postgres";
  /** The query builder, for repositories added by later features (licences, visits) on the same schema. */
  readonly db: Kysely<Database>;
  migrate(): Promise<void>;
  /** Throws when the store is unreachable (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;

  createSession(session: SessionRecord): Promise<void>;
  /** Gives an existing session one more token (a sibling embed joined it). */
  addSessionToken(sessionId: string, tokenHash: string, createdAt: number): Promise<void>;
  /** The session holding this token, whether it is the session's first token or a joined one. */
  findSessionByTokenHash(tokenHash: string): Promise<SessionRecord | undefined>;
  findSession(id: string): Promise<SessionRecord | undefined>;
  /** Records sessions' activity, in one transaction; only on sessions that have not ended. */
  touchSessions(touches: readonly SessionTouch[]): Promise<void>;
  /** Ends a session once; false when it had already ended (or does not exist). */
  endSession(id: string, endedAt: number, reason: SessionEndReason): Promise<boolean>;
  listSessions(query: SessionQuery): Promise<SessionRecord[]>;
  countActiveSessions(now: number): Promise<number>;

  /**
   * Marks a ticket id as used. True the first time, false on every later call, from any node: this is
   * an atomic insert that fails on conflict, the only thing that makes tickets one-time.
   */
  redeemTicketId(jti: string, expiresAt: number): Promise<boolean>;
  /** Drops used ticket ids past their expiry (an expired ticket is refused anyway). */
  purgeUsedTickets(now: number): Promise<number>;

  saveSigningKey(key: SigningKeyRecord): Promise<void>;
  retireSigningKey(kid: string, retiredAt: number): Promise<void>;
  listSigningKeys(): Promise<SigningKeyRecord[]>;

  /**
   * Inserts rows into a table in one transaction: all of them commit, or none. For append-only logs
   * written in batches (the visit log's group commit); each row holds its values in `columns` order.
   */
  insertRows(table: BatchTable, columns: readonly string[], rows: readonly RowValues[]): Promise<void>;

  recordConfigChange(change: Omit<ConfigChangeRecord, "id">): Promise<number>;
  listConfigChanges(afterId?: number): Promise<ConfigChangeRecord[]>;
}
