import type { VisitRecord, VisitSummaryRow } from "@portico/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OTHER_PORTAL, PORTAL } from "../testing/harness.js";
import { createVisitHarness, type VisitHarness } from "../testing/visit-harness.js";

const DAY_MS = 86_400_000;
let h: VisitHarness;

/**
 * Day 1: visitor A (198.51.100.1, PORTAL) opens spending, views a sheet, leaves after 2 min;
 * visitor B (198.51.100.2, OTHER_PORTAL) opens spending twice, stays. Day 2: A comes back for 4 min.
 */
beforeEach(async () => {
  h = await createVisitHarness();
  const a = await h.anonymousSession("anon", { ip: "198.51.100.1" });
  await h.request("/anon/api/v1/apps/spending", { headers: h.auth(a) }, "198.51.100.1");
  await h.beacon("anon", a, { type: "sheetView", app: "spending", sheet: "overview" }, "198.51.100.1");
  const b = await h.anonymousSession("anon", { ip: "198.51.100.2", headers: { origin: OTHER_PORTAL } });
  await h.request("/anon/api/v1/apps/spending", { headers: h.auth(b) }, "198.51.100.2");
  await h.request("/anon/api/v1/apps/spending", { headers: h.auth(b) }, "198.51.100.2");
  h.advance(120_000);
  await h.request("/anon/api/v1/sessions/current", { method: "DELETE", headers: h.auth(a) }, "198.51.100.1");
  h.advance(DAY_MS);
  const a2 = await h.anonymousSession("anon", { ip: "198.51.100.1" });
  h.advance(240_000);
  await h.request("/anon/api/v1/sessions/current", { method: "DELETE", headers: h.auth(a2) }, "198.51.100.1");
});
afterEach(async () => h.close());

async function get<T>(query: string): Promise<T> {
  const res = await h.request(`/admin/api/v1/visits${query}`, { headers: h.admin() });
  if (res.status !== 200) throw new Error(`${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

describe("GET /admin/api/v1/visits", () => {
  it("filters by type, app, origin, ip, proxy, user and time range", async () => {
    type Page = { visits: VisitRecord[] };
    expect((await get<Page>("?type=appOpen")).visits).toHaveLength(3);
    expect((await get<Page>("?app=spending")).visits).toHaveLength(4);
    expect((await get<Page>(`?origin=${encodeURIComponent(OTHER_PORTAL)}`)).visits).toHaveLength(3);
    expect((await get<Page>("?ip=198.51.100.1")).visits).toHaveLength(6);
    expect((await get<Page>("?proxy=partner")).visits).toHaveLength(0);
    const all = (await get<Page>("")).visits;
    const someone = all.find((v) => v.ip === "198.51.100.2") as VisitRecord;
    expect((await get<Page>(`?user=${encodeURIComponent(`NONE\\${someone.userId}`)}`)).visits).toHaveLength(
      3,
    );
    expect((await get<Page>(`?user=${someone.userId}`)).visits).toHaveLength(3);
    expect((await get<Page>("?from=2026-03-03T00:00:00Z")).visits).toHaveLength(2);
    const day1End = Date.parse("2026-03-03T00:00:00Z");
    expect((await get<Page>(`?to=${day1End}`)).visits).toHaveLength(7);
    expect(
      (await get<Page>(`?from=2026-03-02T09:00:00Z&to=2026-03-02T09:01:00Z&type=sessionStart`)).visits,
    ).toHaveLength(2);
  });

  it("pages with a cursor, newest first, without gaps or repeats", async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page: { visits: VisitRecord[]; nextCursor?: string } = await get(
        `?limit=3${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...page.visits.map((v) => v.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(9);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
  });

  it("refuses bad parameters with the field named, and requires an admin key", async () => {
    for (const query of ["?type=login", "?from=yesterday", "?limit=0", "?cursor=garbage", "?bogus=1"]) {
      const res = await h.request(`/admin/api/v1/visits${query}`, { headers: h.admin() });
      expect(res.status, query).toBe(400);
    }
    expect((await h.request("/admin/api/v1/visits")).status).toBe(401);
    expect((await h.request("/admin/api/v1/visits/summary")).status).toBe(401);
    expect((await h.request("/admin/api/v1/visits/export")).status).toBe(401);
    const wrong = { authorization: "Bearer ops:wrong-key-0000000000" };
    expect((await h.request("/admin/api/v1/visits", { headers: wrong })).status).toBe(401);
  });
});

describe("GET /admin/api/v1/visits/summary", () => {
  type Summary = { groupBy: string; rows: VisitSummaryRow[] };

  it("by day: visits, unique visitors (by IP) and average duration of ended sessions", async () => {
    const { rows } = await get<Summary>("/summary?groupBy=day");
    expect(rows).toEqual([
      { key: "2026-03-02", visits: 2, uniqueVisitors: 2, averageSessionMs: 120_000 },
      { key: "2026-03-03", visits: 1, uniqueVisitors: 1, averageSessionMs: 240_000 },
    ]);
  });

  it("by origin, app, ip and proxy", async () => {
    expect((await get<Summary>("/summary?groupBy=origin")).rows).toEqual([
      { key: PORTAL, visits: 2, uniqueVisitors: 1, averageSessionMs: 180_000 },
      { key: OTHER_PORTAL, visits: 1, uniqueVisitors: 1, averageSessionMs: null },
    ]);
    expect((await get<Summary>("/summary?groupBy=app&type=appOpen")).rows).toEqual([
      { key: "spending", visits: 2, uniqueVisitors: 2, averageSessionMs: 120_000 },
    ]);
    // Without a type filter: the events that carry no app (starts, ends) make no null group.
    expect((await get<Summary>("/summary?groupBy=app")).rows).toEqual([
      { key: "spending", visits: 2, uniqueVisitors: 2, averageSessionMs: 120_000 },
    ]);
    const byIp = (await get<Summary>("/summary?groupBy=ip")).rows;
    expect(byIp.map((r) => [r.key, r.visits])).toEqual([
      ["198.51.100.1", 2],
      ["198.51.100.2", 1],
    ]);
    expect((await get<Summary>("/summary?groupBy=proxy")).rows).toEqual([
      { key: "anon", visits: 3, uniqueVisitors: 2, averageSessionMs: 180_000 },
    ]);
    expect(
      (await h.request("/admin/api/v1/visits/summary?groupBy=browser", { headers: h.admin() })).status,
    ).toBe(400);
  });
});

describe("GET /admin/api/v1/visits/export", () => {
  it("streams the filtered log as CSV, header first, oldest first", async () => {
    const res = await h.request("/admin/api/v1/visits/export?type=sessionStart", { headers: h.admin() });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^id,time,type,proxy,sessionId,userDirectory,userId,anonymous,ip,userAgent,/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(",sessionStart,anon,");
    expect(lines[1]).toContain(",198.51.100.1,");
  });

  it("quotes fields and defuses values a spreadsheet would run as formulas", async () => {
    await h.anonymousSession("anon", { userAgent: '=HYPERLINK("http://evil.example","x"), more' });
    const text = await (
      await h.request("/admin/api/v1/visits/export?type=sessionStart", { headers: h.admin() })
    ).text();
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"",""x""), more"`);
  });
});
