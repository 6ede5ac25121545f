// Test support (excluded from the build): what every Storage adapter must do, run against SQLite and
// PostgreSQL alike. `open()` returns a fresh connection to the SAME database each call, so two calls
// stand for two server nodes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionRecord, Storage } from "../storage/storage.js";

export function describeStorageContract(
  name: string,
  open: () => Promise<Storage>,
  cleanup: () => Promise<void> = async () => undefined,
) {
  describe(`${name} storage contract`, () => {
    let nodeA: Storage;
    let nodeB: Storage;
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
        Array.from({ length: 20 }, (_, i) => (i % 2 ? nodeA : nodeB).redeemTicketId("jti-1", 60_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await nodeA.redeemTicketId("jti-1", 60_000)).toBe(false);
      expect(await nodeB.redeemTicketId("jti-2", 60_000)).toBe(true);
      expect(await nodeA.purgeUsedTickets(60_001)).toBe(2);
    });

    it("records many sessions' activity in one call, leaving ended sessions as they ended", async () => {
      const t = 1_700_000_000_000;
      // Their own proxy, so the session listings of the next test see only its own session.
      for (const id of ["t1", "t2", "t3"]) await nodeA.createSession(session(id, { proxy: "touched" }));
      expect(await nodeA.endSession("t3", t + 100, "logout")).toBe(true);
      await nodeB.touchSessions([
        { id: "t1", lastActiveAt: t + 2000, expiresAt: t + 6000 },
        { id: "t2", lastActiveAt: t + 2100, expiresAt: t + 6100 },
        { id: "t3", lastActiveAt: t + 2200, expiresAt: t + 6200 },
        { id: "no-such-session", lastActiveAt: t + 2300, expiresAt: t + 6300 },
      ]);
      expect(await nodeA.findSession("t1")).toMatchObject({ lastActiveAt: t + 2000, expiresAt: t + 6000 });
      expect(await nodeA.findSession("t2")).toMatchObject({ lastActiveAt: t + 2100, expiresAt: t + 6100 });
      expect(await nodeA.findSession("t3")).toEqual({
        ...session("t3", { proxy: "touched" }),
        endedAt: t + 100,
        endReason: "logout",
      });
      await nodeB.touchSessions([]);
      // Ended, so the active counts of the next test see only its own session too.
      for (const id of ["t1", "t2"]) expect(await nodeA.endSession(id, t + 3000, "logout")).toBe(true);
    });

    it("stores sessions by token hash, shares them across nodes, and ends them once", async () => {
      const t = 1_700_000_000_000;
      await nodeA.createSession(session("s1"));
      expect(await nodeB.findSessionByTokenHash("hash-s1")).toEqual(session("s1"));
      await nodeB.touchSessions([{ id: "s1", lastActiveAt: t + 2000, expiresAt: t + 6000 }]);
      expect(await nodeA.findSession("s1")).toMatchObject({ lastActiveAt: t + 2000, expiresAt: t + 6000 });
      await nodeA.addSessionToken("s1", "joined-hash", t + 2500);
      expect((await nodeB.findSessionByTokenHash("joined-hash"))?.id).toBe("s1");
      expect(await nodeA.countActiveSessions(t + 3000)).toBe(1);
      expect(await nodeA.endSession("s1", t + 3000, "revoked")).toBe(true);
      expect(await nodeB.endSession("s1", t + 3001, "logout")).toBe(false);
      expect(await nodeA.findSession("s1")).toMatchObject({ endedAt: t + 3000, endReason: "revoked" });
      expect(await nodeA.countActiveSessions(t + 3000)).toBe(0);
      expect(await nodeA.listSessions({ activeAt: t + 3000 })).toEqual([]);
      expect((await nodeA.listSessions({ proxy: "anon" })).map((s) => s.id)).toEqual(["s1"]);
    });

    it("records config changes and signing key metadata", async () => {
      const id = await nodeA.recordConfigChange({
        changedAt: 1,
        section: "securityRules",
        actor: "admin:ops",
        content: "[]",
      });
      expect((await nodeB.listConfigChanges(id - 1)).map((c) => c.section)).toEqual(["securityRules"]);
      await nodeA.saveSigningKey({
        kid: "k1",
        algorithm: "ES256",
        publicJwk: "{}",
        createdAt: 1,
        retiredAt: null,
      });
      await nodeA.retireSigningKey("k1", 5);
      expect(await nodeB.listSigningKeys()).toEqual([
        { kid: "k1", algorithm: "ES256", publicJwk: "{}", createdAt: 1, retiredAt: 5 },
      ]);
    });

    describe("insertRows (batches: all rows commit or none)", () => {
      const columns = ["jti", "expires_at"];
      const committed = async (prefix: string) =>
        (
          await nodeB.db
            .selectFrom("used_tickets")
            .select("jti")
            .where("jti", "like", `${prefix}%`)
            .orderBy("jti")
            .execute()
        ).map((r) => r.jti);
      const rows = (prefix: string, n: number) =>
        Array.from({ length: n }, (_, i) => [`${prefix}${String(i).padStart(4, "0")}`, 1_000 + i]);

      it("commits every row of a batch larger than one statement, visible to another node", async () => {
        await nodeA.insertRows("used_tickets", columns, rows("big-", 701));
        expect(await committed("big-")).toEqual(rows("big-", 701).map((r) => r[0]));
        await nodeA.insertRows("used_tickets", columns, []);
      });

      it("a failing row fails the whole batch: none of its rows commit", async () => {
        const batch = rows("dup-", 10);
        batch.push(["dup-0003", 1]); // primary key conflict after ten good rows
        await expect(nodeA.insertRows("used_tickets", columns, batch)).rejects.toThrow();
        expect(await committed("dup-")).toEqual([]);
      });

      it("refuses a row whose width does not match the columns, committing nothing", async () => {
        const batch: unknown[][] = rows("narrow-", 3);
        batch[1] = ["narrow-x"];
        await expect(nodeA.insertRows("used_tickets", columns, batch)).rejects.toThrow(TypeError);
        expect(await committed("narrow-")).toEqual([]);
      });

      it("never joins a transaction that another caller has open on the same node", async () => {
        let release = () => {};
        const paused = new Promise<void>((r) => {
          release = r;
        });
        let insideTransaction = () => {};
        const opened = new Promise<void>((r) => {
          insideTransaction = r;
        });
        const rolledBack = nodeA.db.transaction().execute(async (trx) => {
          await trx.insertInto("used_tickets").values({ jti: "trx-a", expires_at: 1 }).execute();
          insideTransaction();
          await paused; // the batch below is issued while this transaction waits
          throw new Error("roll back");
        });
        await opened;
        const batch = nodeA.insertRows("used_tickets", columns, rows("trx-b", 2));
        await new Promise((r) => setTimeout(r, 20));
        release();
        await expect(rolledBack).rejects.toThrow("roll back");
        await batch;
        expect(await committed("trx-")).toEqual(["trx-b0000", "trx-b0001"]);
      });
    });
  });
}
