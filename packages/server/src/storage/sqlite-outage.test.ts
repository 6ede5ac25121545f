// The embedded database held by another process (issue 20, item 2): a write that cannot get the lock
// answers 503 STORAGE_UNAVAILABLE with Retry-After, not 500, and the next one succeeds once the lock goes.
import path from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../testing/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h?.close());

async function startSession() {
  const ticket = await h.anonymousTicket("anon");
  return h.redeem("anon", ticket);
}

/** Settles in order: the labels of the promises in the order they settled. */
async function settleOrder(entries: Record<string, Promise<unknown>>): Promise<string[]> {
  const order: string[] = [];
  await Promise.all(Object.entries(entries).map(([label, p]) => p.finally(() => order.push(label))));
  return order;
}

describe("a locked SQLite file", () => {
  it("waits for a lock off the event loop: /healthz answers meanwhile, the start succeeds once it goes", async () => {
    const other = new SQLite(path.join(h.dir, "data", "portico.db"));
    try {
      other.exec("BEGIN IMMEDIATE");
      const ticket = await h.anonymousTicket("anon");
      const start = Promise.resolve(h.redeem("anon", ticket));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const health = Promise.resolve(h.app.request("/healthz"));
      const release = new Promise<void>((resolve) =>
        setTimeout(() => {
          other.exec("ROLLBACK");
          resolve();
        }, 300),
      );
      const order = await settleOrder({ start, health, release });
      expect(order).toEqual(["health", "release", "start"]);
      expect((await start).status).toBe(201);
    } finally {
      other.close();
    }
  });

  it("answers 503 STORAGE_UNAVAILABLE with Retry-After while another connection holds the write lock", async () => {
    expect((await startSession()).status).toBe(201);
    const other = new SQLite(path.join(h.dir, "data", "portico.db"));
    try {
      other.exec("BEGIN IMMEDIATE");
      const locked = await startSession();
      expect(locked.status).toBe(503);
      expect(locked.headers.get("retry-after")).toBe("2");
      expect(((await locked.json()) as { error: { code: string } }).error.code).toBe("STORAGE_UNAVAILABLE");
      other.exec("ROLLBACK");
    } finally {
      other.close();
    }
    expect((await startSession()).status).toBe(201);
  }, 30_000);
});
