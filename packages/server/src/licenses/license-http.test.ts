import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { NO_ACCESS_PASS_MESSAGE } from "@portico/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { tableRows } from "../storage/testing/table-rows.js";
import { NO_ANONYMOUS_LIMITS, withAnonymousLimits } from "../testing/anonymous-limits.js";
import { classicConfig, createHarness, type Harness, PORTAL } from "../testing/harness.js";

const MINUTE = 60_000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harness(licenses: string, limits?: string) {
  const yaml = await classicConfig(licenses);
  h = await createHarness(limits === undefined ? yaml : withAnonymousLimits(yaml, limits), {
    rateLimit: { capacity: 10_000, refillPerSecond: 10_000 },
  });
  return h;
}

const NO_ACCESS_PASS_BODY = { error: { code: "NO_ACCESS_PASS", message: NO_ACCESS_PASS_MESSAGE } };

describe("licences over HTTP", () => {
  it("allocates at session creation and answers 403 NO_ACCESS_PASS, exact message, once the pool is empty", async () => {
    const h = await harness(`
licenses:
  loginAccessPasses: 2
  rules:
    - name: Anonymous passes
      type: loginAccessPass
      condition: user.IsAnonymous()
`);
    for (let i = 0; i < 2; i++) {
      const res = await h.redeem("anon", await h.anonymousTicket("anon"));
      expect(res.status).toBe(201);
      expect(((await res.json()) as { license: unknown }).license).toEqual({
        type: "loginAccessPass",
        rule: "Anonymous passes",
      });
    }
    const refused = await h.redeem("anon", await h.anonymousTicket("anon"));
    expect(refused.status).toBe(403);
    // The visitor learns nothing about the rules; the log and the admin do.
    expect(await refused.json()).toEqual(NO_ACCESS_PASS_BODY);
    const log = h.logLines.join("");
    expect(log).toContain("licence denied (NO_ACCESS_PASS)");
    expect(log).toContain('rule \\"Anonymous passes\\" (loginAccessPass): pool exhausted');
    // A refused visitor holds no session.
    const sessions = await h.storage.sessions.list({ activeAt: h.clock(), proxy: "anon" });
    expect(sessions).toHaveLength(2);
  });

  it("re-checks on each authenticated request: an expired capacity unit with an empty pool refuses the request", async () => {
    const h = await harness(`
licenses:
  analyzerCapacity:
    minutesPerMonth: 12
  rules:
    - name: Anonymous capacity
      type: analyzerCapacity
      condition: user.IsAnonymous()
`);
    const token = await h.anonymousSession("anon");
    h.advance(5 * MINUTE);
    expect((await h.request("/anon/api/v1/hub", h.bearer(token))).status).toBe(200);
    h.advance(1 * MINUTE); // minute 6: a second unit opens
    expect((await h.request("/anon/api/v1/hub", h.bearer(token))).status).toBe(200);
    h.advance(6 * MINUTE); // minute 12: the pool (12 minutes) is spent
    const refused = await h.request("/anon/api/v1/hub", h.bearer(token));
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual(NO_ACCESS_PASS_BODY);

    const usage = (await (
      await h.request("/admin/api/v1/licenses/usage", { headers: h.admin() })
    ).json()) as Record<string, { unitsConsumed?: number; remainingMinutes?: number } | unknown[]>;
    expect(usage.analyzerCapacity).toMatchObject({ unitsConsumed: 2, remainingMinutes: 0, month: "2026-03" });
    expect(usage.recentDenials).toMatchObject([{ phase: "activity", proxy: "anon", anonymous: true }]);
  });

  it("admin: usage and the licence audit need an admin key; the audit says which rule would cover whom", async () => {
    const h = await harness(`
licenses:
  loginAccessPasses: 1
  allocations:
    - { userDirectory: PORTAL, userId: alice, type: analyzer }
  rules:
    - { name: Partners only, type: loginAccessPass, condition: user.groups = "partners" }
`);
    expect((await h.request("/admin/api/v1/licenses/usage")).status).toBe(401);
    expect(
      (await h.request("/admin/api/v1/licenses/audit", h.json("POST", { user: "NONE\\anonymous1" }))).status,
    ).toBe(401);

    const audit = async (user: string) =>
      (await (
        await h!.request("/admin/api/v1/licenses/audit", h!.json("POST", { user }, h!.admin()))
      ).json()) as { granted?: unknown; summary: string };
    const anonymous = await audit("NONE\\anonymous1");
    expect(anonymous.granted).toBeUndefined();
    expect(anonymous.summary).toBe(
      'DENIED (NO_ACCESS_PASS): rule "Partners only" (loginAccessPass): condition false',
    );
    expect((await audit("PORTAL\\alice")).granted).toEqual({ type: "analyzer" });

    const usage = (await (
      await h.request("/admin/api/v1/licenses/usage", { headers: h.admin() })
    ).json()) as {
      loginAccessPasses: unknown;
      rules: unknown;
    };
    expect(usage.loginAccessPasses).toMatchObject({ pool: 1, used: 0, remaining: 1, passes: [] });
    expect(usage.rules).toEqual([{ name: "Partners only", type: "loginAccessPass", coveredSessions: 0 }]);
  });

  it("refuses a user-based allocation for the NONE directory when the licences are edited live", async () => {
    const h = await harness("");
    const res = await h.request(
      "/admin/api/v1/config/licenses",
      h.json(
        "PUT",
        { licenses: { allocations: [{ userDirectory: "NONE", userId: "anonymous", type: "professional" }] } },
        h.admin(),
      ),
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { issues: { path: string }[] } } };
    expect(body.error.code).toBe("CONFIG_INVALID");
    expect(body.error.details.issues.map((i) => i.path)).toContain("licenses.allocations[0].userDirectory");
  });

  it("grants exactly 50 of 200 concurrent anonymous session creations against a pool of 50 passes", async () => {
    // All 200 from one address: the anonymous session budgets would refuse most of them first.
    const h = await harness(
      `
licenses:
  loginAccessPasses: 50
  rules:
    - name: Anonymous passes
      type: loginAccessPass
      condition: user.IsAnonymous()
`,
      NO_ANONYMOUS_LIMITS,
    );
    const server = serve({ fetch: h.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const tickets = await Promise.all(
        Array.from({ length: 200 }, async () => {
          const res = await fetch(`${base}/anon/api/v1/tickets/anonymous`, {
            method: "POST",
            headers: { origin: PORTAL },
          });
          expect(res.status).toBe(201);
          return ((await res.json()) as { ticket: string }).ticket;
        }),
      );
      const responses = await Promise.all(
        tickets.map(async (ticket) => {
          const res = await fetch(`${base}/anon/api/v1/sessions`, {
            method: "POST",
            headers: { origin: PORTAL, "content-type": "application/json" },
            body: JSON.stringify({ ticket }),
          });
          return { status: res.status, body: (await res.json()) as unknown };
        }),
      );
      expect(responses.filter((r) => r.status === 201)).toHaveLength(50);
      const refused = responses.filter((r) => r.status !== 201);
      expect(refused).toHaveLength(150);
      for (const r of refused) expect(r).toEqual({ status: 403, body: NO_ACCESS_PASS_BODY });
      expect(await tableRows(h.storage, "license_passes")).toHaveLength(50);
      expect(await h.storage.sessions.countActive(h.clock())).toBe(50);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
