import { describe, expect, it } from "vitest";
import { parseConfigText } from "../config/load-config.js";
import { createLogger } from "../ops/create-logger.js";
import type { SessionRecord } from "../storage/storage.js";
import { postgresNodes } from "../testing/postgres.js";
import { LicenseService } from "./license-service.js";

// Several server nodes over one PostgreSQL database: each node has its own connection pool, and the
// pools' transactions really interleave, so the counters must hold by their SQL alone. Hundreds of
// allocations queue for a pool of connections at once: on a busy machine that wait outlasts the 2 s a
// request may wait in production, and these tests are about the counters, not about that bound.
const nodes = postgresNodes(2, { connectTimeoutMs: 30_000 });
const now = Date.parse("2026-03-10T12:00:00Z");
let seq = 0;

function services(licensesYaml: string): LicenseService[] {
  const state = parseConfigText(`licenses:\n${licensesYaml}`, "/tmp/portico.yaml");
  return nodes.map(
    (storage) =>
      new LicenseService({
        storage,
        config: () => state,
        clock: () => now,
        uuid: () => `pass-${++seq}`,
        logger: createLogger({ level: "silent" }),
      }),
  );
}

function anonymousSession(): SessionRecord {
  const n = ++seq;
  return {
    id: `pg-session-${n}`,
    tokenHash: `h${n}`,
    proxy: "anon",
    userDirectory: "NONE",
    userId: `anonymous-${n}`,
    anonymous: true,
    attributes: {},
    origin: null,
    createdAt: now,
    lastActiveAt: now,
    expiresAt: now + 1_800_000,
    absoluteExpiresAt: now + 28_800_000,
    endedAt: null,
    endReason: null,
  };
}

async function granted(calls: Array<Promise<unknown>>): Promise<number> {
  const results = await Promise.allSettled(calls);
  for (const r of results)
    if (r.status === "rejected")
      expect((r.reason as { code?: string }).code, String(r.reason)).toBe("NO_ACCESS_PASS");
  return results.filter((r) => r.status === "fulfilled").length;
}

describe("licence counters on PostgreSQL (two nodes)", () => {
  it("grants exactly 50 of 200 concurrent pass allocations spread over two nodes", async () => {
    const [a, b] = services(`
  loginAccessPasses: 50
  rules:
    - { name: Anonymous passes, type: loginAccessPass, condition: user.IsAnonymous() }
`);
    const calls = Array.from({ length: 200 }, (_, i) => (i % 2 ? a! : b!).allocate(anonymousSession()));
    expect(await granted(calls)).toBe(50);
    expect((await a!.usage()).loginAccessPasses).toMatchObject({ used: 50, remaining: 0 });
  }, 60_000);

  it("grants exactly the capacity units the month has (10 of 60 minutes) under concurrency", async () => {
    const [a, b] = services(`
  analyzerCapacity: { minutesPerMonth: 60 }
  rules:
    - { name: Anonymous capacity, type: analyzerCapacity, condition: user.IsAnonymous() }
`);
    const calls = Array.from({ length: 40 }, (_, i) => (i % 2 ? a! : b!).allocate(anonymousSession()));
    expect(await granted(calls)).toBe(10);
    expect((await a!.usage()).analyzerCapacity).toMatchObject({ unitsConsumed: 10, remainingMinutes: 0 });
  }, 60_000);

  it("seats exactly 5 of 40 concurrent anonymous sessions over two nodes, and seats another once one ends", async () => {
    const [a, b] = services(`
  anonymousCapacity: { maxConcurrentSessions: 5 }
  rules:
    - { name: Anonymous seats, type: anonymousCapacity, condition: user.IsAnonymous() }
`);
    const sessions = Array.from({ length: 40 }, () => anonymousSession());
    // A seat is a live session's allocation: the sessions are in storage, as a session start puts them.
    for (const session of sessions) await nodes[0]!.sessions.create(session);
    const results = await Promise.allSettled(sessions.map((s, i) => (i % 2 ? a! : b!).allocate(s)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
    expect((await a!.usage()).anonymousCapacity).toEqual({
      maxConcurrentSessions: 5,
      inUse: 5,
      remaining: 0,
    });
    const seated = sessions.filter((_, i) => results[i]?.status === "fulfilled");
    const waiting = sessions.filter((_, i) => results[i]?.status === "rejected");
    await nodes[1]!.sessions.end(seated[0]!.id, now, "logout");
    await expect(b!.allocate(waiting[0]!)).resolves.toMatchObject({ type: "anonymousCapacity" });
    await expect(a!.allocate(waiting[1]!)).rejects.toMatchObject({ code: "NO_ACCESS_PASS" });
  }, 60_000);

  it("charges one unit when both nodes see the same session's unit expire at once", async () => {
    const [a, b] = services(`
  analyzerCapacity: { minutesPerMonth: 100000 }
  rules:
    - { name: Anonymous capacity, type: analyzerCapacity, condition: user.IsAnonymous() }
`);
    const before = (await a!.usage()).analyzerCapacity?.unitsConsumed ?? 0;
    const session = anonymousSession();
    await a!.allocate(session);
    const later = now + 7 * 60_000;
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a! : b!).recheck(session, later)));
    expect((await a!.usage()).analyzerCapacity?.unitsConsumed).toBe(before + 2);
  }, 60_000);
});
