import { afterEach, describe, expect, it } from "vitest";
import { tableRows } from "../storage/testing/table-rows.js";
import { classicConfig } from "../testing/harness.js";
import { createVisitHarness, type VisitHarness } from "../testing/visit-harness.js";
import { expandIpv6, hashIp, truncateIp } from "./ip-privacy.js";
import { VisitTracker } from "./visit-tracker.js";

const DAY_MS = 86_400_000;

let h: VisitHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function withMode(ip: string, retentionDays = 90) {
  return createVisitHarness(await classicConfig(`visits:\n  ip: ${ip}\n  retentionDays: ${retentionDays}\n`));
}

describe("truncateIp / expandIpv6", () => {
  it("keeps an IPv4 /24 and an IPv6 /48", () => {
    expect(truncateIp("203.0.113.77")).toBe("203.0.113.0");
    expect(truncateIp("2001:db8:abcd:12:34::1")).toBe("2001:db8:abcd::");
    expect(truncateIp("2001:db8::1")).toBe("2001:db8:0::");
    expect(truncateIp("::1")).toBe("0:0:0::");
    expect(expandIpv6("::ffff:192.0.2.1")).toEqual([
      "0000",
      "0000",
      "0000",
      "0000",
      "0000",
      "ffff",
      "c000",
      "0201",
    ]);
  });
});

describe("privacy modes", () => {
  it("full keeps the address", async () => {
    h = await withMode("full");
    await h.anonymousSession("anon", { ip: "203.0.113.77" });
    expect((await h.events())[0]?.ip).toBe("203.0.113.77");
  });

  it("truncate keeps IPv4 /24 and IPv6 /48 only", async () => {
    h = await withMode("truncate");
    await h.anonymousSession("anon", { ip: "203.0.113.77" });
    await h.anonymousSession("anon", { ip: "2001:db8:abcd:12::99" });
    const ips = (await h.events()).map((e) => e.ip);
    expect(ips).toEqual(["203.0.113.0", "2001:db8:abcd::"]);
    expect(JSON.stringify(await h.events())).not.toContain("203.0.113.77");
  });

  it("none keeps no address at all, yet counts each session as a visit", async () => {
    h = await withMode("none");
    await h.anonymousSession("anon", { ip: "203.0.113.77" });
    await h.anonymousSession("anon", { ip: "203.0.113.77" });
    const events = await h.events();
    expect(events.map((e) => e.ip)).toEqual([null, null]);
    const raw = await tableRows(h.storage, "visits");
    expect(JSON.stringify(raw)).not.toContain("203.0.113.77");
  });

  it("hash: same address, same day -> same hash on every node; next day -> another; the address is nowhere", async () => {
    h = await withMode("hash");
    await h.anonymousSession("anon", { ip: "203.0.113.77" });
    await h.anonymousSession("anon", { ip: "203.0.113.77" });
    await h.anonymousSession("anon", { ip: "203.0.113.78" });
    // A second node on the same storage hashes with the same key.
    const node2 = new VisitTracker({
      storage: h.storage,
      config: () => h!.configStore.current,
      clock: h.clock,
    });
    const event = {
      type: "appOpen" as const,
      proxy: "anon",
      sessionId: null,
      userDirectory: "NONE",
      userId: "anonymousx",
      anonymous: true,
      userAgent: null,
      origin: null,
    };
    await node2.record({ ...event, time: h.clock(), ip: "203.0.113.77" });
    h.advance(DAY_MS);
    await node2.record({ ...event, time: h.clock(), ip: "203.0.113.77" });
    await node2.close();

    const ips = (await h.events()).map((e) => e.ip as string);
    expect(ips[0]).toMatch(/^h:[A-Za-z0-9_-]{22}$/);
    expect(ips[1]).toBe(ips[0]);
    expect(ips[2]).not.toBe(ips[0]);
    expect(ips[3]).toBe(ips[0]);
    expect(ips[4]).not.toBe(ips[0]);
    const raw = await tableRows(h.storage, "visits");
    expect(JSON.stringify(raw)).not.toContain("203.0.113.7");
    // The summary counts two unique visitors on the first day.
    const res = await h.request("/admin/api/v1/visits/summary?groupBy=day&type=sessionStart", {
      headers: h.admin(),
    });
    const body = (await res.json()) as { rows: { key: string; visits: number; uniqueVisitors: number }[] };
    expect(body.rows[0]).toMatchObject({ key: "2026-03-02", visits: 3, uniqueVisitors: 2 });
  });

  it("hash keys of past days are deleted, so old hashes cannot be reversed by trying every address", async () => {
    h = await withMode("hash");
    await h.anonymousSession("anon", { ip: "203.0.113.77" });
    const firstKey = await h.tracker.hashKeys.keyFor(h.clock());
    expect(hashIp("203.0.113.77", firstKey)).toBe((await h.events())[0]?.ip);
    h.advance(2 * DAY_MS);
    await h.tracker.purge();
    const days = await tableRows(h.storage, "visit_hash_keys");
    expect(days.map((d) => d.day)).not.toContain("2026-03-02");
  });

  it("a mode change applies live to new events", async () => {
    h = await withMode("full");
    await h.anonymousSession("anon", { ip: "203.0.113.77" });
    const res = await h.request(
      "/admin/api/v1/config/visits",
      h.json("PUT", { visits: { ip: "truncate", retentionDays: 30 } }, h.admin()),
    );
    expect(res.status).toBe(200);
    await h.anonymousSession("anon", { ip: "203.0.113.77" });
    expect((await h.events()).map((e) => e.ip)).toEqual(["203.0.113.77", "203.0.113.0"]);
  });
});

describe("retention", () => {
  it("the purge deletes events older than retentionDays, by the injected clock, and keeps the rest", async () => {
    h = await withMode("full", 7);
    await h.anonymousSession("anon", { ip: "203.0.113.1" });
    h.advance(5 * DAY_MS);
    await h.anonymousSession("anon", { ip: "203.0.113.2" });
    h.advance(2 * DAY_MS + 1);
    expect(await h.tracker.purge()).toBe(1);
    expect((await h.events()).map((e) => e.ip)).toEqual(["203.0.113.2"]);
    expect(await h.tracker.purge()).toBe(0);
    h.advance(5 * DAY_MS);
    expect(await h.tracker.purge()).toBe(1);
    expect(await h.events()).toEqual([]);
  });

  it("runs on its own schedule", async () => {
    h = await withMode("full", 1);
    await h.anonymousSession("anon");
    h.advance(2 * DAY_MS);
    h.tracker.startJobs(20);
    await expect.poll(async () => (await h!.events()).length, { timeout: 5000 }).toBe(0);
  });
});
