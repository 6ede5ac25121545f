// Test support (excluded from the build): the visit log's part of the storage contract.
import { describe, expect, it } from "vitest";
import type { KyselyStorage } from "../kysely-storage.js";
import type { VisitRow } from "../visits-repository.js";

const DAY_MS = 86_400_000;

export function describeVisitsContract(nodeA: () => KyselyStorage, nodeB: () => KyselyStorage) {
  /** A visit of its own proxy `batch`, told apart by its visitor key. */
  const row = (batch: string, key: string, overrides: Partial<VisitRow> = {}): VisitRow => ({
    time: 1_000,
    type: "sheetView",
    proxy: batch,
    user_directory: "NONE",
    user_id: `anonymous-${key}`,
    anonymous: 1,
    visitor_key: key,
    ...overrides,
  });
  const rows = (batch: string, n: number) =>
    Array.from({ length: n }, (_, i) => row(batch, `${batch}${String(i).padStart(4, "0")}`));
  /** The visitor keys committed in a batch, as the other node reads them. */
  const committed = async (batch: string) =>
    (await nodeB().visits.listAfter({ proxy: batch }, 0, 10_000)).map((v) => v.id);
  const keysOf = async (batch: string) =>
    (await nodeB().visits.listAfter({ proxy: batch }, 0, 10_000)).map((v) => v.userId);

  describe("visits.append (batches: all rows commit or none)", () => {
    it("commits every row of a batch larger than one statement, visible to another node", async () => {
      await nodeA().visits.append(rows("big", 701));
      expect(await keysOf("big")).toEqual(rows("big", 701).map((r) => r.user_id));
      await nodeA().visits.append([]);
    });

    it("a failing row fails the whole batch: none of its rows commit", async () => {
      const batch = rows("bad", 10);
      batch.push(row("bad", "no-type", { type: null as unknown as string })); // NOT NULL, after ten good rows
      await expect(nodeA().visits.append(batch)).rejects.toThrow();
      expect(await committed("bad")).toEqual([]);
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
      const rolledBack = nodeA()
        .db.transaction()
        .execute(async (trx) => {
          await trx.insertInto("used_tickets").values({ jti: "trx-a", expires_at: 1 }).execute();
          insideTransaction();
          await paused; // the batch below is issued while this transaction waits
          throw new Error("roll back");
        });
      await opened;
      const batch = nodeA().visits.append(rows("trx", 2));
      await new Promise((r) => setTimeout(r, 20));
      release();
      await expect(rolledBack).rejects.toThrow("roll back");
      await batch;
      expect(await keysOf("trx")).toEqual(rows("trx", 2).map((r) => r.user_id));
      expect(await nodeA().tickets.redeem("trx-a", 1)).toBe(true); // its insert rolled back
    });
  });

  it("reads, pages, summarises and purges the log", async () => {
    const t = 40 * DAY_MS;
    const start = (id: string, key: string, time: number) =>
      row("log", key, { type: "sessionStart", session_id: id, time, ip: `ip-${id}`, user_agent: `ua-${id}` });
    await nodeA().visits.append([
      start("s1", "alice", t),
      row("log", "alice", { session_id: "s1", time: t + 1, app: "sales" }),
      start("s2", "alice", t + 2),
      row("log", "bob", { type: "sessionEnd", session_id: "s2", time: t + 3, duration_ms: 3000 }),
      start("s3", "carol", t + DAY_MS),
    ]);
    expect(await nodeB().visits.sessionStart("s2")).toEqual({
      ip: "ip-s2",
      userAgent: "ua-s2",
      pageUrl: null,
    });
    expect(await nodeB().visits.sessionStart("nope")).toBeUndefined();
    // The sessions list: each session's start address, and the app its latest event since its start names.
    expect(
      await nodeB().visits.sessionActivity([
        { id: "s1", createdAt: t },
        { id: "s2", createdAt: t + 2 },
        { id: "nope", createdAt: t },
      ]),
    ).toEqual(
      new Map([
        ["s1", { ip: "ip-s1", pageUrl: null, app: "sales" }],
        ["s2", { ip: "ip-s2", pageUrl: null, app: null }],
      ]),
    );
    expect(
      (await nodeB().visits.sessionActivity([{ id: "s1", createdAt: t + 2 }])).get("s1")?.app,
    ).toBeNull();
    // Only the newest events are read for the latest app: s1's app event is third from the end of the log,
    // so a window of two leaves s1 with what its start says.
    expect(await nodeB().visits.sessionActivity([{ id: "s1", createdAt: t }], 2)).toEqual(
      new Map([["s1", { ip: "ip-s1", pageUrl: null, app: null }]]),
    );
    expect((await nodeB().visits.sessionActivity([{ id: "s1", createdAt: t }], 4)).get("s1")?.app).toBe(
      "sales",
    );

    const newest = await nodeB().visits.listNewest({ proxy: "log" }, 2);
    expect(newest.map((v) => v.time)).toEqual([t + DAY_MS, t + 3].map((ms) => new Date(ms).toISOString()));
    const below = await nodeB().visits.listNewest({ proxy: "log" }, 10, newest[1]?.id);
    expect(below).toHaveLength(3);
    expect(await nodeB().visits.listNewest({ proxy: "log", app: "sales" }, 10)).toMatchObject([
      { sessionId: "s1", app: "sales", anonymous: true },
    ]);
    const all = await nodeB().visits.listAfter({ proxy: "log" }, 0, 10);
    expect(await nodeB().visits.idBeforeNewest({ proxy: "log" }, 2)).toBe(all[2]?.id);
    expect(await nodeB().visits.idBeforeNewest({ proxy: "log" }, 5)).toBe(0);
    expect(
      await nodeB().visits.listAfter({ proxy: "log", type: "sessionStart", from: t + 1 }, 0, 10),
    ).toHaveLength(2);

    expect(await nodeB().visits.summarize("day", { proxy: "log" })).toEqual([
      { key: new Date(t).toISOString().slice(0, 10), visits: 2, uniqueVisitors: 1, averageSessionMs: 3000 },
      {
        key: new Date(t + DAY_MS).toISOString().slice(0, 10),
        visits: 1,
        uniqueVisitors: 1,
        averageSessionMs: null,
      },
    ]);

    // At most `limit` a statement, until a short one says nothing is left.
    expect(await nodeA().visits.purgeBefore(t + DAY_MS, 3)).toBe(3);
    expect(await nodeA().visits.purgeBefore(t + DAY_MS, 1_000)).toBeGreaterThanOrEqual(1);
    expect(await nodeA().visits.purgeBefore(t + DAY_MS, 1_000)).toBe(0);
    expect((await nodeB().visits.listAfter({ proxy: "log" }, 0, 10)).map((v) => v.sessionId)).toEqual(["s3"]);
  });

  it("purges in batches from two nodes at once: every old event goes, newer ones stay", async () => {
    const cutoff = 50 * DAY_MS;
    const old = rows("retention", 300).map((r, i) => ({ ...r, time: cutoff - 1 - i }));
    await nodeA().visits.append([...old, row("retention", "kept", { time: cutoff })]);
    const purge = async (node: KyselyStorage) => {
      let deleted = 0;
      for (;;) {
        const n = await node.visits.purgeBefore(cutoff, 20);
        deleted += n;
        if (n < 20) return deleted;
      }
    };
    const deleted = await Promise.all([purge(nodeA()), purge(nodeB()), purge(nodeA()), purge(nodeB())]);
    expect(deleted.reduce((a, b) => a + b)).toBeGreaterThanOrEqual(old.length);
    expect(await keysOf("retention")).toEqual(["anonymous-kept"]);
  });

  it("keeps the first hash key stored for a day, whichever node stores it", async () => {
    const [a, b] = await Promise.all([
      nodeA().visits.hashKey("2030-01-02", "key-a", 1),
      nodeB().visits.hashKey("2030-01-02", "key-b", 2),
    ]);
    expect(a).toBe(b);
    expect(await nodeA().visits.hashKey("2030-01-02", "key-c", 3)).toBe(a);
    await nodeA().visits.hashKey("2030-01-03", "key-d", 4);
    expect(await nodeB().visits.purgeHashKeysBefore("2030-01-03")).toBe(1);
    expect(await nodeA().visits.hashKey("2030-01-02", "key-e", 5)).toBe("key-e");
  });
}
