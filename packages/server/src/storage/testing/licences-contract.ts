// Test support (excluded from the build): the licence counters' part of the storage contract. Each test
// uses months and identities of its own: the database is shared by the whole contract.
import { describe, expect, it } from "vitest";
import type { KyselyStorage } from "../kysely-storage.js";

const HOUR_MS = 3_600_000;

export function describeLicencesContract(nodeA: () => KyselyStorage, nodeB: () => KyselyStorage) {
  const pass = (identity: string, now: number, poolSize: number) => ({
    identity,
    userDirectory: "NONE",
    userId: identity,
    rule: "passes",
    now,
    poolSize,
    newId: () => `pass-${identity}-${now}`,
    coverMs: HOUR_MS,
    quarantineMs: 24 * HOUR_MS,
  });

  /**
   * The node the i-th racer uses: both on PostgreSQL. Two SQLite connections in one process cannot race a
   * transaction held across awaits (the waiting one blocks the only thread on the file lock), and SQLite
   * serialises writers anyway: there the racers share one node.
   */
  const racer = (i: number) => (nodeA().kind === "sqlite" || i % 2 ? nodeA() : nodeB());

  describe("licences", () => {
    it("claims a session's allocation once while it is covered, and records what covers it", async () => {
      const now = 5_000;
      const first = await nodeA().licences.renew("lic-1", "NONE\\a", now, async (trx) => {
        await trx.setAllocation({ type: "analyzerCapacity", rule: "r", coveredUntil: now + 100, unit: true });
        return "granted";
      });
      expect(first).toEqual({ claimed: true, result: "granted" });
      const again = await nodeB().licences.renew("lic-1", "NONE\\a", now + 50, async () => "never");
      expect(again).toMatchObject({ claimed: false, current: { type: "analyzerCapacity", units: 1 } });
      expect(await nodeB().licences.findAllocation("lic-1")).toEqual({
        sessionId: "lic-1",
        type: "analyzerCapacity",
        rule: "r",
        passId: null,
        coveredUntil: now + 100,
        units: 1,
      });
      expect(await nodeA().licences.coveredSessions(now + 50)).toContainEqual({
        type: "analyzerCapacity",
        rule: "r",
        sessions: 1,
      });
    });

    it("a refused allocation rolls back its claim and everything taken in it", async () => {
      const refused = nodeA().licences.renew("lic-2", "NONE\\b", 1, async (trx) => {
        await trx.takeCapacityUnit("2031-01", 6, 60);
        throw new Error("no pass");
      });
      await expect(refused).rejects.toThrow("no pass");
      expect(await nodeB().licences.findAllocation("lic-2")).toBeUndefined();
      expect(await nodeB().licences.capacityUsage("2031-01")).toEqual({ usedMinutes: 0, units: 0 });
    });

    it("never takes more capacity units than the month has, even when two nodes race", async () => {
      const takes = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          racer(i)
            .licences.renew(`cap-${i}`, `NONE\\cap-${i}`, 1, (trx) => trx.takeCapacityUnit("2031-02", 6, 30))
            .then((outcome) => outcome.claimed && outcome.result),
        ),
      );
      expect(takes.filter(Boolean)).toHaveLength(5);
      expect(await nodeA().licences.capacityUsage("2031-02")).toEqual({ usedMinutes: 30, units: 5 });
    });

    it("never hands out more passes than the pool holds, even when two nodes race; reuses a covering one", async () => {
      const now = 10 * HOUR_MS;
      const grants = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          racer(i)
            .licences.renew(`pass-s${i}`, `id-${i}`, now, (trx) => trx.takePass(pass(`id-${i}`, now, 3)))
            .then((outcome) => (outcome.claimed ? outcome.result : undefined)),
        ),
      );
      expect(grants.filter(Boolean)).toHaveLength(3);
      expect(await nodeB().licences.passesOut(now)).toBe(3);
      const holder = grants.findIndex(Boolean);
      const reused = await nodeA().licences.renew("pass-again", `id-${holder}`, now + 1, (trx) =>
        trx.takePass(pass(`id-${holder}`, now + 1, 3)),
      );
      expect(reused).toMatchObject({ claimed: true, result: { reused: true, coveredUntil: now + HOUR_MS } });
      expect(await nodeB().licences.passAvailable(`id-${holder}`, now + 1, 3)).toBe(true);
      expect(await nodeB().licences.passAvailable("someone-else", now + 1, 3)).toBe(false);
      const passes = await nodeB().licences.listPasses(now, 10);
      expect(passes).toHaveLength(3);
      expect(passes[0]).toMatchObject({ userDirectory: "NONE", rule: "passes", consumedAt: now });
      expect(await nodeA().licences.purgeReturnedPasses(now + 24 * HOUR_MS)).toBe(3);
      expect(await nodeB().licences.passesOut(now)).toBe(0);
    });
  });
}
