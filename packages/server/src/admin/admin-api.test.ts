import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, PORTAL, SECRETS } from "../testing/harness.js";
import { createVisitHarness, type VisitHarness } from "../testing/visit-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

describe("admin API", () => {
  it("requires a valid admin API key", async () => {
    for (const authorization of [
      undefined,
      "Bearer ops:wrong",
      `Bearer nobody:${SECRETS.adminKey}`,
      `Bearer ${SECRETS.adminKey}`,
    ]) {
      const res = await h.request(
        "/admin/api/v1/sessions",
        authorization ? { headers: { authorization } } : {},
      );
      expect(res.status, String(authorization)).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("ADMIN_UNAUTHORIZED");
    }
    // A ticket client's credential is not an admin key.
    expect(
      (
        await h.request("/admin/api/v1/sessions", {
          headers: { authorization: `Bearer portal-backend:${SECRETS.clientSecret}` },
        })
      ).status,
    ).toBe(401);
  });

  it("lists active sessions without token hashes, and revokes one", async () => {
    const token = await h.anonymousSession("anon");
    const list = (await (
      await h.request("/admin/api/v1/sessions?proxy=anon", { headers: h.admin() })
    ).json()) as { sessions: Array<Record<string, unknown>> };
    expect(list.sessions.length).toBeGreaterThan(0);
    expect(JSON.stringify(list)).not.toContain("token");
    const current = (await (await h.request("/anon/api/v1/sessions/current", h.bearer(token))).json()) as {
      id: string;
    };
    const del = await h.request(`/admin/api/v1/sessions/${current.id}`, {
      method: "DELETE",
      headers: h.admin(),
    });
    expect(del.status).toBe(204);
    const after = await h.request("/anon/api/v1/hub", h.bearer(token));
    expect(after.status).toBe(401);
    expect(((await after.json()) as { error: { code: string } }).error.code).toBe("SESSION_REVOKED");
    expect(
      (await h.request(`/admin/api/v1/sessions/${current.id}`, { method: "DELETE", headers: h.admin() }))
        .status,
    ).toBe(404);
  });

  it("audit explains a decision rule by rule", async () => {
    const res = await h.request("/admin/api/v1/audit", {
      method: "POST",
      headers: h.admin({ "content-type": "application/json" }),
      body: JSON.stringify({
        user: "NONE\\anonymous1",
        resource: "App_salaries",
        action: "read",
        context: "hub",
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { allowed: boolean; rules: Array<{ name: string; applies: boolean }> };
    expect(body.allowed).toBe(false);
    expect(body.rules.map((r) => r.name)).toContain("Stream");
    const allowed = await h.request("/admin/api/v1/audit", {
      method: "POST",
      headers: h.admin({ "content-type": "application/json" }),
      body: JSON.stringify({ user: "NONE\\anonymous1", resource: "App_spending" }),
    });
    expect(((await allowed.json()) as { allowed: boolean }).allowed).toBe(true);
  });

  it("rotates the signing key: new tickets use the new kid, both are published", async () => {
    const before = (await (await h.request("/.well-known/jwks.json")).json()) as {
      keys: Array<{ kid: string }>;
    };
    const res = await h.request("/admin/api/v1/keys/rotate", { method: "POST", headers: h.admin() });
    expect(res.status).toBe(200);
    const { current, retired } = (await res.json()) as { current: string; retired: string };
    expect(before.keys.map((k) => k.kid)).toContain(retired);
    const after = (await (await h.request("/.well-known/jwks.json")).json()) as {
      keys: Array<{ kid: string }>;
    };
    expect(after.keys.map((k) => k.kid).sort()).toEqual([current, retired].sort());
    expect((await h.redeem("anon", await h.anonymousTicket("anon"))).status).toBe(201);
  });

  it("lists the rules in force with the warnings of rules pasted from the hub, which load", async () => {
    type Listing = {
      defaults: boolean;
      rules: Array<{ index: number; name: string; warnings: Array<{ field: string; message: string }> }>;
    };
    const get = async () =>
      (await (await h.request("/admin/api/v1/rules", { headers: h.admin() })).json()) as Listing;
    const before = await get();
    expect(before.defaults).toBe(false);
    expect(before.rules.every((r) => r.warnings.length === 0)).toBe(true);
    const section = (await (
      await h.request("/admin/api/v1/config/securityRules", { headers: h.admin() })
    ).json()) as { securityRules: unknown[] };
    const hubRule = {
      name: "AuditAdmin",
      resourceFilter: "*",
      actions: ["read"],
      condition:
        'user.roles = "AuditAdmin" and !(resource.resourcetype = "TransientObject" and resource.name like "QmcSection_*")',
      context: "qmc",
    };
    const put = (rules: unknown[]) =>
      h.request("/admin/api/v1/config/securityRules", {
        method: "PUT",
        headers: h.admin({ "content-type": "application/json" }),
        body: JSON.stringify({ securityRules: rules }),
      });
    expect((await put([...section.securityRules, hubRule])).status).toBe(200);
    try {
      const after = await get();
      const listed = after.rules.at(-1)!;
      expect(listed).toMatchObject({
        index: section.securityRules.length,
        name: "AuditAdmin",
        context: "qmc",
      });
      expect(listed.warnings).toEqual([
        {
          field: "condition",
          line: 1,
          column: 33,
          message: expect.stringMatching(
            /^resource\.resourcetype = "TransientObject" is always false: Portico has no TransientObject resources .*the ! around it makes that true/,
          ),
        },
      ]);
    } finally {
      expect((await put(section.securityRules)).status).toBe(200);
    }
  });

  it("refuses an unknown config section", async () => {
    const res = await h.request("/admin/api/v1/config/server", { headers: h.admin() });
    expect(res.status).toBe(404);
  });
});

describe("health, readiness, metrics", () => {
  it("/healthz and /readyz", async () => {
    expect(await (await h.request("/healthz")).json()).toEqual({ status: "ok" });
    const ready = await h.request("/readyz");
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { config: true, storage: true } });
  });

  it("/metrics is Prometheus text with sessions, tickets and denials", async () => {
    await h.anonymousSession("anon");
    await h.request("/api/v1/tickets/anonymous", {
      method: "POST",
      headers: { origin: "http://localhost:5173" },
    });
    const text = await (await h.request("/metrics", { headers: h.admin() })).text();
    expect(text).toMatch(/^# HELP portico_sessions_active /m);
    expect(text).toMatch(/^portico_sessions_active \d+$/m);
    expect(text).toMatch(/^portico_tickets_issued_total\{proxy="anon",kind="anonymous"\} \d+$/m);
    expect(text).toMatch(/^portico_tickets_redeemed_total\{proxy="anon",kind="anonymous"\} \d+$/m);
    expect(text).toMatch(/^portico_tickets_refused_total\{reason="anonymous_disabled"\} \d+$/m);
    expect(text).toMatch(/^portico_denials_total\{code="ANONYMOUS_DISABLED"\} \d+$/m);
  });
});

describe("the sessions list", () => {
  let v: VisitHarness;
  afterEach(async () => v?.close());

  it("gives each session its address as the visit log keeps it, and the page and app it is on", async () => {
    v = await createVisitHarness();
    const t = await v.anonymousTicket("anon", { pageUrl: `${PORTAL}/budget/pay?from=mail` });
    const { ticket } = (await t.json()) as { ticket: string };
    const redeemed = await v.request(
      "/anon/api/v1/sessions",
      v.json("POST", { ticket, app: "spending" }, { origin: PORTAL }),
      "198.51.100.40",
    );
    expect(redeemed.status).toBe(201);
    await v.anonymousSession("anon", { ip: "198.51.100.41" });
    const list = (await (await v.request("/admin/api/v1/sessions", { headers: v.admin() })).json()) as {
      sessions: Array<{ ip: string | null; pageUrl: string | null; app: string | null }>;
    };
    expect(list.sessions.map(({ ip, pageUrl, app }) => ({ ip, pageUrl, app }))).toEqual(
      expect.arrayContaining([
        { ip: "198.51.100.40", pageUrl: `${PORTAL}/budget/pay?from=mail`, app: "spending" },
        { ip: "198.51.100.41", pageUrl: null, app: null },
      ]),
    );
  });
});
