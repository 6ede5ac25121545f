import type { AppDetail, HubResponse, HypercubeResult } from "@portico/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { classicConfig, OTHER_PORTAL } from "../testing/harness.js";
import { createVisitHarness, type VisitHarness } from "../testing/visit-harness.js";
import { ANALYTICS_APP_ID } from "./visitor-analytics.js";

const ROOT_ADMIN_RULE = `  - name: RootAdmin
    resourceFilter: "*"
    actions: [create, read, update, delete, export, publish, exportdata]
    condition: user.roles = "RootAdmin"
    context: both
`;

let h: VisitHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** An object of the Visitor analytics app, as `token`'s user reads it on `/partner`. */
async function analyticsCube(token: string, object: string): Promise<HypercubeResult> {
  const res = await h!.request(
    `/partner/api/v1/apps/${ANALYTICS_APP_ID}/query`,
    h!.json("POST", { object }, h!.auth(token)),
  );
  expect(res.status).toBe(200);
  return (await res.json()) as HypercubeResult;
}

/** A cube's rows as [first dimension's text, ...measures]. */
const rowsOf = (cube: HypercubeResult) => cube.rows.map((r) => [r.dimensions[0]?.text, ...r.measures]);

async function harness(enabled = true) {
  return createVisitHarness(
    await classicConfig(`${ROOT_ADMIN_RULE}visits:\n  ip: full\n  analyticsApp: ${enabled}\n`),
    { analytics: true },
  );
}

describe("the Visitor analytics app", () => {
  it("is in the Administration stream for RootAdmin only; anyone else gets the same 404 as a missing app", async () => {
    h = await harness();
    const root = await h.userSession("partner", "PORTAL", "root");
    const alice = await h.userSession("partner", "PORTAL", "alice");
    const anonymous = await h.anonymousSession("anon");

    const hub = (await (
      await h.request("/partner/api/v1/hub", { headers: h.auth(root) })
    ).json()) as HubResponse;
    const admin = hub.streams.find((s) => s.id === "administration");
    expect(admin?.apps.map((a) => a.id)).toEqual([ANALYTICS_APP_ID]);
    const aliceHub = (await (
      await h.request("/partner/api/v1/hub", { headers: h.auth(alice) })
    ).json()) as HubResponse;
    expect(aliceHub.streams.map((s) => s.id)).not.toContain("administration");

    expect(
      (await h.request(`/partner/api/v1/apps/${ANALYTICS_APP_ID}`, { headers: h.auth(alice) })).status,
    ).toBe(404);
    expect(
      (await h.request(`/anon/api/v1/apps/${ANALYTICS_APP_ID}`, { headers: h.auth(anonymous) })).status,
    ).toBe(404);
    const query = h.json("POST", { object: "visits-by-app" }, h.auth(alice));
    expect((await h.request(`/partner/api/v1/apps/${ANALYTICS_APP_ID}/query`, query)).status).toBe(404);

    const detail = await h.request(`/partner/api/v1/apps/${ANALYTICS_APP_ID}`, { headers: h.auth(root) });
    expect(detail.status).toBe(200);
    const body = (await detail.json()) as AppDetail;
    expect(body.sheets.map((s) => s.title)).toEqual([
      "Visits over time",
      "By app",
      "By embedding origin",
      "By page",
      "Denials",
      "Licence use",
      "Browsers, OS, devices",
      "Recent visits",
    ]);
    expect(body.fields.map((f) => f.name)).toContain("Origin");
  });

  it("shows the visit log, reloaded on demand", async () => {
    h = await harness();
    const root = await h.userSession("partner", "PORTAL", "root");
    const visitor = await h.anonymousSession("anon", { ip: "198.51.100.1" });
    await h.request("/anon/api/v1/apps/spending", { headers: h.auth(visitor) }, "198.51.100.1");
    const other = await h.anonymousSession("anon", { ip: "198.51.100.2", headers: { origin: OTHER_PORTAL } });
    await h.request("/anon/api/v1/apps/spending", { headers: h.auth(other) }, "198.51.100.2");

    const reload = await h.request(`/admin/api/v1/apps/${ANALYTICS_APP_ID}/reload`, {
      method: "POST",
      headers: h.admin(),
    });
    expect(reload.status).toBe(200);

    const ask = (object: string) => analyticsCube(root, object);
    const byApp = await ask("visits-by-app");
    const spending = byApp.rows.find((r) => r.dimensions[0]?.text === "spending");
    expect(spending?.measures).toEqual([2]);
    const byOrigin = await ask("visits-by-origin");
    expect(byOrigin.rows.map((r) => [r.dimensions[0]?.text, r.measures[0]]).sort()).toEqual(
      [
        ["http://localhost:5173", 2], // the anonymous visitor and root's own session
        [OTHER_PORTAL, 1],
      ].sort(),
    );

    // New visits appear after the next reload, not before.
    h.advance(60_000);
    await h.anonymousSession("anon", { ip: "198.51.100.3" });
    expect((await ask("kpi-visits")).rows[0]?.measures[0]).toBe(3);
    await h.request(`/admin/api/v1/apps/${ANALYTICS_APP_ID}/reload`, { method: "POST", headers: h.admin() });
    expect((await ask("kpi-visits")).rows[0]?.measures[0]).toBe(4);
    // Recent visits: newest first.
    const times = (await ask("recent-visits")).rows.map((r) => r.dimensions[0]?.text ?? "");
    expect(times.length).toBeGreaterThan(1);
    expect(times).toEqual([...times].sort().reverse());
    expect(times[0]! > times.at(-1)!).toBe(true);
  });

  it("answers what an administrator asks first: pages, median and p90 durations, denials, refused origins", async () => {
    h = await harness();
    const root = await h.userSession("partner", "PORTAL", "root");
    // Three visitors from two pages, staying 10, 20 and 100 seconds.
    for (const [page, seconds] of [
      ["http://localhost:5173/library", 10],
      ["http://localhost:5173/library", 20],
      ["http://localhost:5173/parks", 100],
    ] as const) {
      const token = await h.anonymousSession("anon", { ticketBody: { pageUrl: page } });
      h.advance(seconds * 1000);
      await h.request("/anon/api/v1/sessions/current", { method: "DELETE", headers: h.auth(token) });
    }
    // A copycat site, 5 times in a minute: one refused minute.
    for (let i = 0; i < 5; i++)
      await h.request("/anon/api/v1/tickets/anonymous", {
        method: "POST",
        headers: { origin: "https://copycat.example" },
      });
    await h.request(`/admin/api/v1/apps/${ANALYTICS_APP_ID}/reload`, { method: "POST", headers: h.admin() });
    const ask = async (object: string) => rowsOf(await analyticsCube(root, object));
    expect((await ask("kpi-duration-median"))[0]?.[1]).toBe(20);
    // 90% of the sorted durations 10, 20, 100 (interpolated): 20 + 0.8 * 80.
    expect((await ask("kpi-duration-p90"))[0]?.[1]).toBe(84);
    const pages = await ask("visits-by-page");
    // Two visits to the library page, from one address: one unique visitor.
    expect(pages).toContainEqual(["http://localhost:5173/library", 2, 1]);
    expect(pages).toContainEqual(["http://localhost:5173/parks", 1, 1]);
    // The other events have no refused origin: no empty "-" bar for them.
    expect(await ask("refused-origins")).toEqual([["https://copycat.example", 1]]);
    expect(await ask("denials-by-reason")).toContainEqual(["ORIGIN_NOT_ALLOWED", 1]);
  });

  it("shows licence use per day and per page from the pools' consumption", async () => {
    h = await createVisitHarness(
      await classicConfig(`${ROOT_ADMIN_RULE}visits:
  ip: full
  analyticsApp: true
licenses:
  analyzerCapacity: { minutesPerMonth: 1000 }
  loginAccessPasses: 10
  allocations:
    - { userDirectory: PORTAL, userId: root, type: professional }
  rules:
    - { name: Library on passes, type: loginAccessPass, condition: user.IsAnonymous() and user.environment.site = "library" }
    - { name: Everyone else on capacity, type: analyzerCapacity, condition: user.IsAnonymous() }
`),
      { analytics: true },
    );
    const root = await h.userSession("partner", "PORTAL", "root");
    // Two visitors on the parks page: one unit each, and a second unit for the one who stays 7 minutes.
    const stays = await h.anonymousSession("anon", {
      ticketBody: { pageUrl: "http://localhost:5173/parks" },
    });
    await h.anonymousSession("anon", { ticketBody: { pageUrl: "http://localhost:5173/parks" } });
    h.advance(7 * 60_000);
    expect((await h.request("/anon/api/v1/hub", { headers: h.auth(stays) })).status).toBe(200);
    await h.request(`/admin/api/v1/apps/${ANALYTICS_APP_ID}/reload`, { method: "POST", headers: h.admin() });
    const ask = async (object: string) => rowsOf(await analyticsCube(root, object));
    expect(await ask("licence-by-page")).toEqual([["http://localhost:5173/parks", 18, null]]);
    const [day] = (await ask("licence-by-day")).filter(([, minutes]) => minutes !== null);
    expect(day?.[1]).toBe(18);
    const uses = await h.events("&type=licenceUse");
    expect(uses.map((u) => [u.licence, u.licenceAmount, u.pageUrl])).toEqual([
      ["analyzerCapacity", 6, "http://localhost:5173/parks"],
      ["analyzerCapacity", 6, "http://localhost:5173/parks"],
      ["analyzerCapacity", 6, "http://localhost:5173/parks"],
    ]);
  });

  it("is absent unless visits.analyticsApp is on", async () => {
    h = await harness(false);
    const root = await h.userSession("partner", "PORTAL", "root");
    expect(
      (await h.request(`/partner/api/v1/apps/${ANALYTICS_APP_ID}`, { headers: h.auth(root) })).status,
    ).toBe(404);
  });
});
