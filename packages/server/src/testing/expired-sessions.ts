// Test support (excluded from the build): session rows whose deadlines have passed, as the expiry sweep
// finds them after visitors went away without a word.
import type { SessionRecord } from "../storage/storage.js";

const MINUTE_MS = 60_000;

/**
 * `count` anonymous sessions on `proxy` whose inactivity deadline passed before `now` (one a second
 * apart); every tenth is past its absolute deadline too, so it ends as `expired` rather than `timeout`.
 */
export function expiredSessions(count: number, now: number, prefix: string, proxy = "anon"): SessionRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const expiresAt = now - 1 - (i % 600) * 1000;
    return {
      id: `${prefix}-${String(i).padStart(5, "0")}`,
      tokenHash: `${prefix}-token-${i}`,
      proxy,
      userDirectory: "NONE",
      userId: `anonymous-${prefix}-${i}`,
      anonymous: true,
      attributes: {},
      origin: null,
      createdAt: expiresAt - 30 * MINUTE_MS,
      lastActiveAt: expiresAt - 30 * MINUTE_MS,
      expiresAt,
      absoluteExpiresAt: i % 10 === 0 ? expiresAt : expiresAt + 60 * MINUTE_MS,
      endedAt: null,
      endReason: null,
    };
  });
}
