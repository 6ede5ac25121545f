import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { expiredSessions } from "../testing/expired-sessions.js";
import { createHarness, type Harness } from "../testing/harness.js";
import { createVisitHarness } from "../testing/visit-harness.js";

// An app built without visits (the shared harness has no visit tracker): sessions end themselves.
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

const MINUTE = 60_000;

describe("session sweeper (an app without visits)", () => {
  it("ends sessions whose visitors never came back, and leaves live ones alone", async () => {
    await h.anonymousSession("anon");
    await h.anonymousSession("anon");
    h.advance(20 * MINUTE);
    const live = await h.anonymousSession("anon");
    const ended: string[] = [];
    const off = h.app.sessionEvents.on("ended", ({ reason }) => {
      ended.push(reason);
    });
    h.advance(11 * MINUTE); // the first two are past /anon's 30 minutes of inactivity
    expect(await h.app.sessionSweeper.sweep()).toBe(2);
    expect(ended).toEqual(["timeout", "timeout"]);
    expect(await h.storage.sessions.countActive(h.clock())).toBe(1);
    expect((await h.request("/anon/api/v1/hub", h.bearer(live))).status).toBe(200);
    expect(await h.app.sessionSweeper.sweep()).toBe(0);
    off();
  });

  it("sweeps on its own schedule until stopped", async () => {
    await h.anonymousSession("anon");
    h.advance(31 * MINUTE);
    expect(await h.storage.sessions.listExpired(h.clock(), 10)).not.toHaveLength(0);
    h.app.sessionSweeper.start(10);
    await expect
      .poll(async () => (await h.storage.sessions.listExpired(h.clock(), 10)).length, { timeout: 5000 })
      .toBe(0);
    await h.app.sessionSweeper.stop();
  });

  it("ends thousands of expired sessions in one run, each once with its ended event, yielding between batches", async () => {
    const now = h.clock();
    const expired = expiredSessions(3000, now, "bulk");
    for (const session of expired) await h.storage.sessions.create(session);
    const [live] = expiredSessions(1, now + 2, "live");
    await h.storage.sessions.create(live!);
    const ended = new Map<string, string>();
    let events = 0;
    const off = h.app.sessionEvents.on("ended", ({ session, reason }) => {
      events++;
      ended.set(session.id, reason);
    });
    const statements = vi.spyOn(h.storage.sessions, "endExpired");
    const sweep = h.app.sessionSweeper.sweep();
    // Queued once the sweep has begun: it runs between two of the sweep's statements, not after the last.
    let statementsBeforeImmediate = -1;
    setImmediate(() => {
      statementsBeforeImmediate = statements.mock.calls.length;
    });
    expect(await sweep).toBe(3000);
    expect(statementsBeforeImmediate).toBeGreaterThanOrEqual(1);
    expect(statementsBeforeImmediate).toBeLessThan(statements.mock.calls.length);
    statements.mockRestore();
    expect(events).toBe(3000);
    expect([...ended.keys()].sort()).toEqual(expired.map((s) => s.id));
    for (const [i, session] of expired.entries())
      expect(ended.get(session.id)).toBe(i % 10 === 0 ? "expired" : "timeout");
    expect(await h.storage.sessions.listExpired(now, 10)).toEqual([]);
    expect(await h.storage.sessions.find(live!.id)).toMatchObject({ endedAt: null });
    expect(await h.app.sessionSweeper.sweep()).toBe(0);
    expect(events).toBe(3000);
    off();
  });
});

describe("session sweeper (an app with visits)", () => {
  it("records the end of every swept session in the visit log, at its deadline, in one run", async () => {
    const v = await createVisitHarness();
    try {
      const now = v.clock();
      // Half the visitors did something 5 minutes in; the others opened the page and left.
      const expired = expiredSessions(3000, now, "logged").map((s, i) =>
        i % 2 ? { ...s, lastActiveAt: s.createdAt + 5 * MINUTE } : s,
      );
      for (const session of expired) await v.storage.sessions.create(session);
      expect(await v.app.sessionSweeper.sweep()).toBe(3000);
      const ends = await v.storage.visits.listAfter({ type: "sessionEnd" }, 0, 10_000);
      expect(ends.map((e) => e.sessionId).sort()).toEqual(expired.map((s) => s.id));
      const byId = new Map(expired.map((s) => [s.id, s]));
      for (const end of ends) {
        const session = byId.get(end.sessionId ?? "");
        // A session that timed out ended at its deadline, however late the sweep noticed.
        expect(Date.parse(end.time)).toBe(session?.expiresAt);
        // Its duration runs to the visitor's last act, not through the idle wait for the timeout.
        expect(end.durationMs).toBe(session && session.lastActiveAt > session.createdAt ? 5 * MINUTE : 0);
      }
    } finally {
      await v.close();
    }
  });
});
