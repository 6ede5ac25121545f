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

    const ask = async (object: string) => {
      const res = await h!.request(
        `/partner/api/v1/apps/${ANALYTICS_APP_ID}/query`,
        h!.json("POST", { object }, h!.auth(root)),
      );
      expect(res.status).toBe(200);
      return (await res.json()) as HypercubeResult;
    };
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

  it("is absent unless visits.analyticsApp is on", async () => {
    h = await harness(false);
    const root = await h.userSession("partner", "PORTAL", "root");
    expect(
      (await h.request(`/partner/api/v1/apps/${ANALYTICS_APP_ID}`, { headers: h.auth(root) })).status,
    ).toBe(404);
  });
});
