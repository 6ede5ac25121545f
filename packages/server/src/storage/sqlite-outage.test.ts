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

describe("a locked SQLite file", () => {
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
