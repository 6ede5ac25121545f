import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseConfigText } from "../config/load-config.js";
import { openSqliteStorage } from "../storage/sqlite-storage.js";
import type { Storage } from "../storage/storage.js";
import type { VisitRow } from "../storage/visits-repository.js";
import { FAST_PATHS } from "../testing/fast-paths.js";
import { VisitTracker } from "./visit-tracker.js";

const DAY_MS = 86_400_000;
const now = Date.parse("2026-03-10T12:00:00Z");
const EXPIRED = 200_000;
const KEPT = 10;

let dir: string;
let storage: Storage;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portico-retention-"));
  storage = await openSqliteStorage(path.join(dir, "portico.db"), { fastPaths: FAST_PATHS });
});
afterAll(async () => {
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

function row(i: number, time: number): VisitRow {
  return {
    time,
    type: "sheetView",
    proxy: "anon",
    session_id: `s-${i % 997}`,
    user_directory: "NONE",
    user_id: `anonymous-${i % 997}`,
    anonymous: 1,
    visitor_key: `ip:203.0.113.${i % 251}`,
  };
}

describe("retention purge (SQLite)", () => {
  it("deletes a large backlog of expired events in batches, letting the event loop run in between", async () => {
    const state = parseConfigText("visits:\n  retentionDays: 30\n", path.join(dir, "portico.yaml"));
    const tracker = new VisitTracker({ storage, config: () => state, clock: () => now });
    const cutoff = now - 30 * DAY_MS;
    for (let start = 0; start < EXPIRED; start += 5000)
      await storage.visits.append(
        Array.from({ length: 5000 }, (_, k) => row(start + k, cutoff - 1 - ((start + k) % 1000))),
      );
    await storage.visits.append(Array.from({ length: KEPT }, (_, i) => row(i, cutoff + i)));

    const statements = vi.spyOn(storage.visits, "purgeBefore");
    const order: string[] = [];
    const purged = tracker.purge().then((deleted) => {
      order.push("purge done");
      return deleted;
    });
    // Queued once the purge has begun, as a request's timer or I/O would be in a busy server: it runs
    // between two of the purge's statements, not after the last one.
    let statementsBeforeImmediate = -1;
    setImmediate(() => {
      statementsBeforeImmediate = statements.mock.calls.length;
      order.push("immediate");
    });
    setTimeout(() => order.push("timeout"), 0);
    expect(await purged).toBe(EXPIRED);
    expect(order).toHaveLength(3);
    expect(order.at(-1)).toBe("purge done");
    expect(statementsBeforeImmediate).toBeGreaterThanOrEqual(1);
    expect(statementsBeforeImmediate).toBeLessThan(statements.mock.calls.length);
    statements.mockRestore();
    const left = await storage.visits.listAfter({}, 0, 100);
    expect(left.map((v) => Date.parse(v.time) - cutoff)).toEqual([...Array(KEPT).keys()]);
    expect(await tracker.purge()).toBe(0);
    await tracker.close();
  }, 60_000);
});
