import { describe, expect, it } from "vitest";
import { parseConfigText } from "../config/load-config.js";
import type { Storage } from "../storage/storage.js";
import { postgresNodes } from "../testing/postgres.js";
import { visitCsvChunks } from "./visit-csv.js";
import type { VisitEvent } from "./visit-event.js";
import { listVisits, summarizeVisits } from "./visit-query.js";
import { VisitTracker } from "./visit-tracker.js";

// Two server nodes (two connection pools) writing one visit log in PostgreSQL.
const nodes = postgresNodes(2);
const now = Date.parse("2026-03-10T12:00:00Z");

function trackers(ip: string): VisitTracker[] {
  const state = parseConfigText(`visits:\n  ip: ${ip}\n  retentionDays: 30\n`, "/tmp/portico.yaml");
  return nodes.map((storage) => new VisitTracker({ storage, config: () => state, clock: () => now }));
}

function event(n: number, extra: Partial<VisitEvent> = {}): VisitEvent {
  return {
    time: now + n,
    type: "sessionStart",
    proxy: "anon",
    sessionId: `s-${n}`,
    userDirectory: "NONE",
    userId: `anonymous-${n}`,
    anonymous: true,
    ip: `203.0.113.${n % 7}`,
    userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36",
    origin: "http://localhost:5173",
    ...extra,
  };
}

describe("visit log on PostgreSQL, two nodes", () => {
  it("group-commits concurrent events from both nodes; queries, summary and CSV read them back", async () => {
    const [a, b] = trackers("hash") as [VisitTracker, VisitTracker];
    await Promise.all(
      Array.from({ length: 400 }, (_, n) =>
        (n % 2 === 0 ? a : b).record(event(n, n % 4 === 0 ? { app: "spending" } : {})),
      ),
    );
    await Promise.all(
      Array.from({ length: 40 }, (_, n) =>
        a.record(event(n, { type: "sessionEnd", time: now + 60_000, durationMs: 60_000, reason: "logout" })),
      ),
    );
    await Promise.all([a.close(), b.close()]);
    const storage = nodes[0] as Storage;

    const first = await listVisits(storage, { type: "sessionStart" }, { limit: 300 });
    expect(first.visits).toHaveLength(300);
    expect(first.nextCursor).toBeDefined();
    const second = await listVisits(
      storage,
      { type: "sessionStart" },
      { limit: 300, cursor: first.nextCursor },
    );
    expect(second.visits).toHaveLength(100);
    // Both nodes hashed with the same daily key: 7 distinct addresses, 7 distinct hashes.
    const hashes = new Set([...first.visits, ...second.visits].map((v) => v.ip));
    expect(hashes.size).toBe(7);
    for (const h of hashes) expect(h).toMatch(/^h:/);

    const byDay = await summarizeVisits(storage, "day", {});
    expect(byDay).toEqual([{ key: "2026-03-10", visits: 400, uniqueVisitors: 7, averageSessionMs: 60_000 }]);
    const byApp = await summarizeVisits(storage, "app", { type: "sessionStart" });
    expect(byApp.find((r) => r.key === "spending")?.visits).toBe(100);

    let csv = "";
    for await (const chunk of visitCsvChunks(storage, { type: "sessionEnd" })) csv += chunk;
    expect(csv.trimEnd().split("\r\n")).toHaveLength(41);
  });
});
