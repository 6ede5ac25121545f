// The expiry sweep on two nodes sharing one PostgreSQL (issue 20, item 9): both sweep the same expired
// sessions at the same time, and each session is ended, and its end published, exactly once.
import { describe, expect, it } from "vitest";
import type { SessionEndReason, Storage } from "../storage/storage.js";
import { expiredSessions } from "../testing/expired-sessions.js";
import { postgresNodes } from "../testing/postgres.js";
import { SessionSweeper } from "./session-sweeper.js";

const nodes = postgresNodes(2);
const SESSIONS = 1500;

describe("session sweep from two nodes (PostgreSQL)", () => {
  it("ends each expired session once, published by the node that ended it", async () => {
    const now = Date.parse("2026-03-10T12:00:00Z");
    const expired = expiredSessions(SESSIONS, now, "pg-sweep");
    const [a, b] = nodes as [Storage, Storage];
    for (const session of expired) await a.sessions.create(session);
    const [live] = expiredSessions(1, now + 2, "pg-live");
    await b.sessions.create(live!);

    const published: { node: string; id: string; reason: SessionEndReason }[] = [];
    const sweeper = (node: string, storage: Storage) =>
      new SessionSweeper({
        storage,
        sessions: {
          publishEnded: async (session, reason) => {
            published.push({ node, id: session.id, reason });
          },
        },
        clock: () => now,
      });
    const counts = await Promise.all([
      sweeper("a", a).sweep(),
      sweeper("b", b).sweep(),
      sweeper("a", a).sweep(),
      sweeper("b", b).sweep(),
    ]);

    expect(counts.reduce((x, y) => x + y)).toBe(SESSIONS);
    expect(published.map((p) => p.id).sort()).toEqual(expired.map((s) => s.id));
    for (const p of published)
      expect(p.reason).toBe(Number(p.id.slice(-5)) % 10 === 0 ? "expired" : "timeout");
    expect(await b.sessions.listExpired(now, 10)).toEqual([]);
    expect(await a.sessions.find(live!.id)).toMatchObject({ endedAt: null });
    expect(await sweeper("a", a).sweep()).toBe(0);
  }, 60_000);
});
