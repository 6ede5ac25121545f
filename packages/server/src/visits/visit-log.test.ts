import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteStorage } from "../storage/sqlite-storage.js";
import type { Storage } from "../storage/storage.js";
import { tableRows } from "../storage/testing/table-rows.js";
import type { VisitRow } from "../storage/visits-repository.js";
import { VisitLog } from "./visit-log.js";

let dir: string;
let file: string;
let storage: Storage;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portico-visit-log-"));
  file = path.join(dir, "portico.db");
  storage = await openSqliteStorage(file);
});
afterEach(async () => {
  await storage.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

function row(n: number): VisitRow {
  return {
    time: 1_700_000_000_000 + n,
    type: "sheetView",
    proxy: "anon",
    session_id: `s${n}`,
    user_directory: "NONE",
    user_id: `anonymous${n}`,
    anonymous: 1,
    ip: "203.0.113.1",
    user_agent: null,
    browser: null,
    os: null,
    device: null,
    origin: null,
    page_url: null,
    app: "spending",
    sheet: null,
    object: null,
    duration_ms: null,
    reason: null,
    denial_code: null,
    denial_kind: null,
    visitor: null,
    visitor_client: null,
    visitor_hint: null,
    visitor_key: `ip:${n}`,
  };
}

/** Rows as another connection sees them: only what is committed. */
function committedRows(): number {
  const other = new SQLite(file, { readonly: true });
  try {
    return (other.prepare("select count(*) as n from visits").get() as { n: number }).n;
  } finally {
    other.close();
  }
}

describe("VisitLog group commit", () => {
  it("concurrent events share a few transactions, and each resolves only once it is committed", async () => {
    const batches: number[] = [];
    const log = new VisitLog({ storage, windowMs: 5, onBatch: (rows) => batches.push(rows) });
    const acks = Array.from({ length: 1000 }, (_, i) => log.append(row(i)));
    // Nothing is acknowledged nor visible yet: the batch is still gathering.
    expect(committedRows()).toBe(0);
    let visibleAtFirstAck = -1;
    void acks[0]?.then(() => {
      visibleAtFirstAck = committedRows();
    });
    await Promise.all(acks);
    expect(visibleAtFirstAck).toBeGreaterThanOrEqual(1);
    expect(committedRows()).toBe(1000);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(batches.length).toBeLessThanOrEqual(2); // one window, capped at MAX_BATCH_ROWS
  });

  it("events arriving while a batch commits join the next batch, in arrival order", async () => {
    const batches: number[] = [];
    const log = new VisitLog({ storage, windowMs: 1, onBatch: (rows) => batches.push(rows) });
    const first = log.append(row(0));
    await new Promise((r) => setTimeout(r, 5));
    const rest = Array.from({ length: 50 }, (_, i) => log.append(row(i + 1)));
    await Promise.all([first, ...rest]);
    const times = (await tableRows(storage, "visits"))
      .sort((a, b) => Number(a.id) - Number(b.id))
      .map((r) => Number(r.time));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(batches.length).toBeLessThan(51);
  });

  it("by default the events of one event-loop turn share a transaction, committed when the turn ends", async () => {
    const batches: number[] = [];
    const log = new VisitLog({ storage, onBatch: (rows) => batches.push(rows) });
    const turn = Array.from({ length: 300 }, (_, i) => log.append(row(i)));
    expect(committedRows()).toBe(0);
    // The log's commit was queued first among this turn's immediates (no timer window): by the next one,
    // and the microtasks between them, the batch is committed.
    const seenNext = await new Promise<number>((resolve) => setImmediate(() => resolve(committedRows())));
    expect(seenNext).toBe(300);
    await Promise.all(turn);
    expect(batches).toEqual([300]);
    // Two later turns: a batch each.
    await log.append(row(300));
    await log.append(row(301));
    expect(batches).toEqual([300, 1, 1]);
    expect(committedRows()).toBe(302);
  });

  it("a failing batch rejects every waiter in it and commits none of its rows; the next batch works", async () => {
    const log = new VisitLog({ storage, windowMs: 5 });
    const bad = { ...row(1), type: null as unknown as string }; // violates NOT NULL
    const results = await Promise.allSettled([log.append(row(0)), log.append(bad), log.append(row(2))]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(committedRows()).toBe(0);
    await log.append(row(3));
    expect(committedRows()).toBe(1);
  });

  it("close() commits what was accepted, then refuses new events", async () => {
    const log = new VisitLog({ storage, windowMs: 50 });
    const accepted = Array.from({ length: 20 }, (_, i) => log.append(row(i)));
    await log.close();
    expect(committedRows()).toBe(20);
    await Promise.all(accepted);
    await expect(log.append(row(99))).rejects.toMatchObject({ code: "UNAVAILABLE" });
    await log.close(); // idempotent
  });

  it("an observer that throws changes nothing: the waiters still resolve", async () => {
    const log = new VisitLog({
      storage,
      windowMs: 1,
      onBatch: () => {
        throw new Error("observer bug");
      },
    });
    await Promise.all([log.append(row(0)), log.append(row(1))]);
    await log.append(row(2));
    expect(committedRows()).toBe(3);
  });

  it("when the storage is gone, waiters are rejected instead of hanging", async () => {
    const log = new VisitLog({ storage, windowMs: 1 });
    await storage.close();
    await expect(log.append(row(0))).rejects.toThrow();
  });
});
