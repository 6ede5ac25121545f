import type { Insertable, Selectable } from "kysely";
import type { SessionsTable } from "./database.js";
import type { SessionEndReason, SessionRecord } from "./sessions-repository.js";

/**
 * A `sessions` row, by column name, as a SessionRecord: the one mapping every reader uses (Kysely and the
 * SQLite fast path alike). bigint columns may come back as strings from `pg`, hence `Number()`.
 */
export function sessionFromRow(row: Selectable<SessionsTable>): SessionRecord {
  return {
    id: row.id,
    tokenHash: row.token_hash,
    proxy: row.proxy,
    userDirectory: row.user_directory,
    userId: row.user_id,
    anonymous: Number(row.anonymous) === 1,
    attributes: JSON.parse(row.attributes) as Record<string, string | string[]>,
    origin: row.origin,
    createdAt: Number(row.created_at),
    lastActiveAt: Number(row.last_active_at),
    expiresAt: Number(row.expires_at),
    absoluteExpiresAt: Number(row.absolute_expires_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
    endReason: row.end_reason as SessionEndReason | null,
    // Only on sessions a page left: the others read as they always have.
    ...(row.left_at === null || row.left_at === undefined ? {} : { leftAt: Number(row.left_at) }),
  };
}

export function sessionToRow(s: SessionRecord): Insertable<SessionsTable> {
  return {
    token_hash: s.tokenHash,
    id: s.id,
    proxy: s.proxy,
    user_directory: s.userDirectory,
    user_id: s.userId,
    anonymous: s.anonymous ? 1 : 0,
    attributes: JSON.stringify(s.attributes),
    origin: s.origin,
    created_at: s.createdAt,
    last_active_at: s.lastActiveAt,
    expires_at: s.expiresAt,
    absolute_expires_at: s.absoluteExpiresAt,
    ended_at: s.endedAt,
    end_reason: s.endReason,
    left_at: s.leftAt ?? null,
  };
}
