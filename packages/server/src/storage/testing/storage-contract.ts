// Test support (excluded from the build): what every Storage adapter must do, run against SQLite (with
// and without its fast paths) and PostgreSQL alike. `open()` returns a fresh connection to the SAME
// database each call, so two calls stand for two server nodes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KyselyStorage } from "../kysely-storage.js";
import type { SessionRecord } from "../storage.js";
import { describeLicencesContract } from "./licences-contract.js";
import { describeVisitsContract } from "./visits-contract.js";

export function describeStorageContract(
  name: string,
  open: () => Promise<KyselyStorage>,
  cleanup: () => Promise<void> = async () => undefined,
) {
  describe(`${name} storage contract`, () => {
    let nodeA: KyselyStorage;
    let nodeB: KyselyStorage;
    beforeAll(async () => {
      nodeA = await open();
      nodeB = await open();
    });
    afterAll(async () => {
      await nodeA?.close();
      await nodeB?.close();
      await cleanup();
    });

    const session = (id: string, overrides: Partial<SessionRecord> = {}): SessionRecord => ({
      id,
      tokenHash: `hash-${id}`,
      proxy: "anon",
      userDirectory: "NONE",
      userId: `anonymous-${id}`,
      anonymous: true,
      attributes: { tier: ["a", "b"] },
      origin: "http://localhost:5173",
      createdAt: 1_700_000_000_000,
      lastActiveAt: 1_700_000_000_000,
      expiresAt: 1_700_000_005_000,
      absoluteExpiresAt: 1_700_000_009_000,
      endedAt: null,
      endReason: null,
      ...overrides,
    });

    it("migrations are idempotent", async () => {
      await nodeA.migrate();
      await nodeB.migrate();
      await nodeA.ping();
    });

    it("a ticket id redeems once, even when two nodes race for it", async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? nodeA : nodeB).tickets.redeem("jti-1", 60_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await nodeA.tickets.redeem("jti-1", 60_000)).toBe(false);
      expect(await nodeB.tickets.redeem("jti-2", 60_000)).toBe(true);
      expect(await nodeA.tickets.purge(60_001)).toBe(2);
    });

    it("records many sessions' activity in one call, leaving ended sessions as they ended", async () => {
      const t = 1_700_000_000_000;
      // Their own proxy, so the session listings of the next test see only its own session.
      for (const id of ["t1", "t2", "t3"]) await nodeA.sessions.create(session(id, { proxy: "touched" }));
      expect(await nodeA.sessions.end("t3", t + 100, "logout")).toBe(true);
      await nodeB.sessions.touch([
        { id: "t1", lastActiveAt: t + 2000, expiresAt: t + 6000 },
        { id: "t2", lastActiveAt: t + 2100, expiresAt: t + 6100 },
        { id: "t3", lastActiveAt: t + 2200, expiresAt: t + 6200 },
        { id: "no-such-session", lastActiveAt: t + 2300, expiresAt: t + 6300 },
      ]);
      expect(await nodeA.sessions.find("t1")).toMatchObject({ lastActiveAt: t + 2000, expiresAt: t + 6000 });
      expect(await nodeA.sessions.find("t2")).toMatchObject({ lastActiveAt: t + 2100, expiresAt: t + 6100 });
      expect(await nodeA.sessions.find("t3")).toEqual({
        ...session("t3", { proxy: "touched" }),
        endedAt: t + 100,
        endReason: "logout",
      });
      await nodeB.sessions.touch([]);
      // Ended, so the active counts of the next test see only its own session too.
      for (const id of ["t1", "t2"]) expect(await nodeA.sessions.end(id, t + 3000, "logout")).toBe(true);
    });

    it("stores sessions by token hash, shares them across nodes, and ends them once", async () => {
      const t = 1_700_000_000_000;
      await nodeA.sessions.create(session("s1"));
      expect(await nodeB.sessions.findByTokenHash("hash-s1")).toEqual(session("s1"));
      await nodeB.sessions.touch([{ id: "s1", lastActiveAt: t + 2000, expiresAt: t + 6000 }]);
      expect(await nodeA.sessions.find("s1")).toMatchObject({ lastActiveAt: t + 2000, expiresAt: t + 6000 });
      await nodeA.sessions.addToken("s1", "joined-hash", t + 2500);
      expect((await nodeB.sessions.findByTokenHash("joined-hash"))?.id).toBe("s1");
      expect(await nodeA.sessions.countActive(t + 3000)).toBe(1);
      expect(await nodeA.sessions.end("s1", t + 3000, "revoked")).toBe(true);
      expect(await nodeB.sessions.end("s1", t + 3001, "logout")).toBe(false);
      expect(await nodeA.sessions.find("s1")).toMatchObject({ endedAt: t + 3000, endReason: "revoked" });
      expect(await nodeA.sessions.countActive(t + 3000)).toBe(0);
      expect(await nodeA.sessions.list({ activeAt: t + 3000 })).toEqual([]);
      expect((await nodeA.sessions.list({ proxy: "anon" })).map((s) => s.id)).toEqual(["s1"]);
    });

    it("shares console sessions across nodes by token hash, touches, deletes and purges them", async () => {
      const t = 1_700_000_000_000;
      const record = {
        id: "c1",
        tokenHash: "console-hash-1",
        proxy: "",
        userDirectory: "PORTAL",
        userId: "admin",
        csrfToken: "csrf-1",
        createdAt: t,
        lastActiveAt: t,
        expiresAt: t + 1000,
        absoluteExpiresAt: t + 9000,
      };
      await nodeA.consoleSessions.create(record);
      await nodeA.consoleSessions.create({
        ...record,
        id: "c2",
        tokenHash: "console-hash-2",
        expiresAt: t + 10,
      });
      expect(await nodeB.consoleSessions.findByTokenHash("console-hash-1")).toEqual(record);
      expect(await nodeB.consoleSessions.findByTokenHash("no-such-hash")).toBeUndefined();
      await nodeB.consoleSessions.touch("c1", t + 500, t + 1500);
      expect(await nodeA.consoleSessions.findByTokenHash("console-hash-1")).toMatchObject({
        lastActiveAt: t + 500,
        expiresAt: t + 1500,
      });
      expect(await nodeA.consoleSessions.purge(t + 100)).toBe(1);
      expect(await nodeB.consoleSessions.findByTokenHash("console-hash-2")).toBeUndefined();
      await nodeB.consoleSessions.delete("console-hash-1");
      expect(await nodeA.consoleSessions.findByTokenHash("console-hash-1")).toBeUndefined();
    });

    it("records config changes and signing key metadata", async () => {
      const id = await nodeA.configChanges.record({
        changedAt: 1,
        section: "securityRules",
        actor: "admin:ops",
        content: "[]",
      });
      expect((await nodeB.configChanges.list(id - 1)).map((c) => c.section)).toEqual(["securityRules"]);
      await nodeA.keys.save({
        kid: "k1",
        algorithm: "ES256",
        publicJwk: "{}",
        createdAt: 1,
        retiredAt: null,
      });
      await nodeA.keys.retire("k1", 5);
      expect(await nodeB.keys.list()).toEqual([
        { kid: "k1", algorithm: "ES256", publicJwk: "{}", createdAt: 1, retiredAt: 5 },
      ]);
    });

    it("lists the sessions past their deadline that have not ended", async () => {
      const t = 1_800_000_000_000;
      await nodeA.sessions.create(session("x1", { proxy: "expiring", expiresAt: t - 1 }));
      await nodeA.sessions.create(session("x2", { proxy: "expiring", expiresAt: t }));
      await nodeA.sessions.create(session("x3", { proxy: "expiring", expiresAt: t + 1 }));
      await nodeA.sessions.create(session("x4", { proxy: "expiring", expiresAt: t - 1 }));
      expect(await nodeA.sessions.end("x4", t - 1, "logout")).toBe(true);
      const expired = (await nodeB.sessions.listExpired(t, 500)).filter((id) => id.startsWith("x"));
      expect(expired.sort()).toEqual(["x1", "x2"]);
      expect(await nodeB.sessions.listExpired(t, 1)).toHaveLength(1);
      for (const id of ["x1", "x2", "x3"]) await nodeA.sessions.end(id, t, "timeout");
    });

    it("ends expired sessions in batches, each once, while two nodes sweep them at the same time", async () => {
      const t = 1_900_000_000_000;
      const ids = Array.from({ length: 40 }, (_, i) => `sweep-${String(i).padStart(2, "0")}`);
      for (const [i, id] of ids.entries())
        await nodeA.sessions.create(
          // Every fourth one is past its absolute deadline too.
          session(id, { proxy: "sweep", expiresAt: t - i, absoluteExpiresAt: i % 4 === 0 ? t : t + 1 }),
        );
      await nodeA.sessions.create(session("sweep-live", { proxy: "sweep", expiresAt: t + 1 }));
      await nodeA.sessions.create(session("sweep-gone", { proxy: "sweep", expiresAt: t - 1 }));
      expect(await nodeA.sessions.end("sweep-gone", t - 1, "logout")).toBe(true);

      const ended: SessionRecord[] = [];
      const sweep = async (node: KyselyStorage) => {
        for (;;) {
          const batch = await node.sessions.endExpired(t, 3);
          ended.push(...batch);
          if (batch.length < 3) return;
        }
      };
      await Promise.all([sweep(nodeA), sweep(nodeB), sweep(nodeA), sweep(nodeB)]);
      const mine = ended.filter((s) => s.proxy === "sweep");
      expect(mine.map((s) => s.id).sort()).toEqual(ids);
      for (const s of mine)
        expect(s).toMatchObject({
          endedAt: t,
          endReason: Number(s.id.slice(-2)) % 4 === 0 ? "expired" : "timeout",
        });
      expect(await nodeB.sessions.find("sweep-07")).toEqual(mine.find((s) => s.id === "sweep-07"));
      expect(await nodeB.sessions.find("sweep-live")).toMatchObject({ endedAt: null });
      expect(await nodeB.sessions.find("sweep-gone")).toMatchObject({ endReason: "logout" });
      expect(await nodeA.sessions.endExpired(t, 3)).toEqual([]);
      expect(await nodeA.sessions.end("sweep-live", t, "logout")).toBe(true);
    });

    describeVisitsContract(
      () => nodeA,
      () => nodeB,
    );
    describeLicencesContract(
      () => nodeA,
      () => nodeB,
    );
  });
}
