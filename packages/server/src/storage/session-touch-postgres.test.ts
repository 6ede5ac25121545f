// Session activity from two nodes on one PostgreSQL (issue 20, item 4): each node writes the touches of
// one turn of its event loop in one transaction. Batches that share sessions, sent in whatever order their
// requests arrived, must never deadlock: every batch commits.
import { describe, expect, it } from "vitest";
import { postgresNodes } from "../testing/postgres.js";
import type { SessionRecord, SessionTouch } from "./sessions-repository.js";

const nodes = postgresNodes(2);
const SESSIONS = 40;
const ROUNDS = 30;

function session(i: number, now: number): SessionRecord {
  return {
    id: `touch-${String(i).padStart(3, "0")}`,
    tokenHash: `hash-${i}`,
    proxy: "anon",
    userDirectory: "NONE",
    userId: `anon-${i}`,
    anonymous: true,
    attributes: {},
    origin: null,
    createdAt: now,
    lastActiveAt: now,
    expiresAt: now + 60_000,
    absoluteExpiresAt: now + 3_600_000,
    endedAt: null,
    endReason: null,
  };
}

/** A shuffled batch of every session's touch, as requests arrive in no particular order. */
function batch(now: number, seed: number): SessionTouch[] {
  const touches = Array.from({ length: SESSIONS }, (_, i) => ({
    id: session(i, now).id,
    lastActiveAt: now,
    expiresAt: now + 60_000,
  }));
  let s = seed;
  for (let i = touches.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [touches[i], touches[j]] = [touches[j]!, touches[i]!];
  }
  return touches;
}

describe("session touches from two nodes (PostgreSQL)", () => {
  it("batches sharing sessions in different orders all commit: no deadlock", async () => {
    const [a, b] = nodes as [(typeof nodes)[number], (typeof nodes)[number]];
    const now = Date.now();
    for (let i = 0; i < SESSIONS; i++) await a.sessions.create(session(i, now));
    const failures: unknown[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const at = now + round;
      const writes = [a, b, a, b].map((node, k) =>
        node.sessions.touch(batch(at, round * 4 + k + 1)).catch((error: unknown) => failures.push(error)),
      );
      await Promise.all(writes);
    }
    expect(failures).toEqual([]);
    const touched = await b.sessions.find(session(0, now).id);
    expect(touched?.lastActiveAt).toBe(now + ROUNDS - 1);
  }, 60_000);
});
