import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createPorticoServer } from "../app.js";
import { withAnonymousLimits } from "../testing/anonymous-limits.js";
import { classicConfig, PORTAL } from "../testing/harness.js";
import { createVisitHarness, type VisitHarness } from "../testing/visit-harness.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * A real server on a socket, behind a trusted proxy at 127.0.0.1 (the test itself) so each request can
 * come from the visitor address it names in `X-Forwarded-For`.
 */
async function serve(limits: string, licenses = "") {
  const proxied = (await classicConfig(licenses)).replace(
    "  port: 0\n",
    '  port: 0\n  trustProxy: ["127.0.0.1"]\n',
  );
  const yaml = limits === "" ? proxied : withAnonymousLimits(proxied, limits);
  const h = await createVisitHarness(yaml);
  const server = createPorticoServer(h.app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  running = {
    h,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await h.close();
    },
  };

  /** An embedding page's visitor at `ip`: an anonymous ticket, then its redemption. */
  async function start(ip: string) {
    const headers = { origin: PORTAL, "x-forwarded-for": ip };
    const t = await fetch(`${base}/anon/api/v1/tickets/anonymous`, { method: "POST", headers });
    expect(t.status).toBe(201);
    const { ticket } = (await t.json()) as { ticket: string };
    const res = await fetch(`${base}/anon/api/v1/sessions`, {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ ticket }),
    });
    const body = (await res.json()) as { sessionToken?: string; error?: { code: string; message: string } };
    return { status: res.status, retryAfter: res.headers.get("retry-after"), ...body };
  }

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers });
  const del = (path: string, headers: Record<string, string>) =>
    fetch(`${base}${path}`, { method: "DELETE", headers });
  return { h, base, start, get, del };
}

let running: { h: VisitHarness; close(): Promise<void> } | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

const CAPACITY_POOL = (minutes: number) => `
licenses:
  analyzerCapacity:
    minutesPerMonth: ${minutes}
  rules:
    - name: Anonymous capacity
      type: analyzerCapacity
      condition: user.IsAnonymous()
`;

describe("anonymous session budgets over HTTP", () => {
  it("a script on one address cannot empty the licence pool: it gets 429 ANONYMOUS_LIMIT, another visitor still gets a session", async () => {
    // 100 capacity units: under the default budgets one address may hold 30 sessions at once.
    const s = await serve("", CAPACITY_POOL(600));
    const script = [];
    for (let i = 0; i < 120; i++) script.push(await s.start("198.51.100.7"));
    // Without the budgets the script took all 100 units and this visitor got NO_ACCESS_PASS.
    const visitor = await s.start("192.0.2.44");
    expect(visitor.error).toBeUndefined();
    expect(visitor.status).toBe(201);
    expect(visitor.sessionToken).toEqual(expect.any(String));

    const admitted = script.filter((r) => r.status === 201);
    const refused = script.filter((r) => r.status !== 201);
    expect(admitted).toHaveLength(30);
    expect(refused).toHaveLength(90);
    for (const r of refused) {
      expect(r.status).toBe(429);
      expect(r.error?.code).toBe("ANONYMOUS_LIMIT");
      expect(r.error?.message).toMatch(
        /^Too many anonymous sessions open at once from this address \(at most 30\)/,
      );
      // Until the earliest of the 30 sessions times out (30 minutes of inactivity on /anon).
      expect(r.retryAfter).toBe("1800");
    }

    // The refused starts consumed nothing: 31 units of the pool's 100.
    const usage = (await (await s.get("/admin/api/v1/licenses/usage", s.h.admin())).json()) as {
      analyzerCapacity: Record<string, unknown>;
    };
    // 186 minutes in the last hour, 414 left: the pool would run dry in under 2.3 hours, and says so.
    expect(usage.analyzerCapacity).toMatchObject({
      unitsConsumed: 31,
      remainingMinutes: 414,
      burnRatePerHour: 186,
      projectedExhaustion: new Date(Math.round(s.h.clock() + (414 / 186) * HOUR)).toISOString(),
    });
    expect(s.h.logLines.join("").match(/licence pool analyzerCapacity runs dry/g)).toHaveLength(1);
  });

  it("a start the licences refuse does not count against the budget (the visitor is told NO_ACCESS_PASS, not 429)", async () => {
    const s = await serve("newSessionsPerIpPerHour: 3", CAPACITY_POOL(12));
    expect((await s.start("198.51.100.7")).status).toBe(201);
    expect((await s.start("198.51.100.7")).status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await s.start("198.51.100.7")).error?.code).toBe("NO_ACCESS_PASS");
  });

  it("counts new sessions per address per hour, Retry-After until the oldest leaves the hour", async () => {
    const s = await serve("newSessionsPerIpPerHour: 3\nconcurrentSessionsPerIp: off");
    for (let i = 0; i < 3; i++) {
      expect((await s.start("198.51.100.7")).status).toBe(201);
      s.h.advance(10 * MINUTE);
    }
    const refused = await s.start("198.51.100.7");
    expect(refused).toMatchObject({ status: 429, retryAfter: "1800", error: { code: "ANONYMOUS_LIMIT" } });
    expect(refused.error?.message).toBe(
      "Too many new anonymous sessions from this address in the last hour (at most 3); retry in 1800 s",
    );
    // A neighbour on the same network has its own address budget.
    expect((await s.start("198.51.100.8")).status).toBe(201);
    s.h.advance(30 * MINUTE);
    expect((await s.start("198.51.100.7")).status).toBe(201);
  });

  it("counts new sessions per IPv4 /24: two addresses of one network share its budget, another network does not", async () => {
    const s = await serve("newSessionsPerNetworkPerHour: 3");
    expect((await s.start("198.51.100.7")).status).toBe(201);
    expect((await s.start("198.51.100.7")).status).toBe(201);
    expect((await s.start("198.51.100.200")).status).toBe(201);
    const refused = await s.start("198.51.100.201");
    expect(refused).toMatchObject({ status: 429, retryAfter: "3600", error: { code: "ANONYMOUS_LIMIT" } });
    expect(refused.error?.message).toMatch(
      /^Too many new anonymous sessions from this network in the last hour \(at most 3\)/,
    );
    expect((await s.start("198.51.101.7")).status).toBe(201);
    s.h.advance(60 * MINUTE);
    expect((await s.start("198.51.100.201")).status).toBe(201);
  });

  it("counts an IPv6 /64 as one network (an address per request does not escape it); the prefix is configurable", async () => {
    const s = await serve("newSessionsPerNetworkPerHour: 2\nipv6NetworkPrefix: 64");
    expect((await s.start("2001:db8:1:2::1")).status).toBe(201);
    expect((await s.start("2001:db8:1:2:ffff:ffff:ffff:fffe")).status).toBe(201);
    expect((await s.start("2001:db8:1:2::3")).error?.code).toBe("ANONYMOUS_LIMIT");
    expect((await s.start("2001:db8:1:3::1")).status).toBe(201);

    // A /48 network (counted afresh): neighbouring /64s now share one budget.
    const state = s.h.configStore.current.config;
    const proxies = state.virtualProxies.map((p) =>
      p.prefix === "anon" ? { ...p, anonymousLimits: { ...p.anonymousLimits, ipv6NetworkPrefix: 48 } } : p,
    );
    const res = await fetch(`${s.base}/admin/api/v1/config/virtualProxies`, {
      method: "PUT",
      headers: { ...s.h.admin(), "content-type": "application/json" },
      body: JSON.stringify({ virtualProxies: proxies }),
    });
    expect(res.status).toBe(200);
    expect((await s.start("2001:db8:1:4::1")).status).toBe(201);
    expect((await s.start("2001:db8:1:5::1")).status).toBe(201);
    expect((await s.start("2001:db8:1:6::1")).error?.code).toBe("ANONYMOUS_LIMIT");
    expect((await s.start("2001:db8:2:6::1")).status).toBe(201);
  });

  it("limits live sessions per address: ending one frees a slot, and so does its inactivity timeout", async () => {
    const s = await serve("concurrentSessionsPerIp: 2");
    const first = await s.start("198.51.100.7");
    expect((await s.start("198.51.100.7")).status).toBe(201);
    s.h.advance(10 * MINUTE);
    const refused = await s.start("198.51.100.7");
    expect(refused).toMatchObject({ status: 429, retryAfter: "1200", error: { code: "ANONYMOUS_LIMIT" } });
    expect(refused.error?.message).toMatch(
      /^Too many anonymous sessions open at once from this address \(at most 2\)/,
    );

    const bearer = { authorization: `Bearer ${first.sessionToken}`, "x-forwarded-for": "198.51.100.7" };
    expect((await s.del("/anon/api/v1/sessions/current", bearer)).status).toBe(204);
    const third = await s.start("198.51.100.7");
    expect(third.status).toBe(201);
    expect((await s.start("198.51.100.7")).status).toBe(429);

    // Activity keeps a slot: the third session stays live while the second times out.
    s.h.advance(25 * MINUTE);
    const active = { authorization: `Bearer ${third.sessionToken}`, "x-forwarded-for": "198.51.100.7" };
    expect((await s.get("/anon/api/v1/hub", active)).status).toBe(200);
    expect((await s.start("198.51.100.7")).status).toBe(201);
    expect((await s.start("198.51.100.7")).status).toBe(429);
  });

  it("records each refused start as a denial in the visit log with its address and the budget, and counts it in /metrics", async () => {
    const s = await serve("newSessionsPerNetworkPerHour: 1\nconcurrentSessionsPerIp: 1");
    expect((await s.start("198.51.100.7")).status).toBe(201);
    expect((await s.start("198.51.100.7")).status).toBe(429);
    expect((await s.start("198.51.100.9")).status).toBe(429);
    const denials = (await s.h.events("&type=denied")).map((e) => ({
      ip: e.ip,
      proxy: e.proxy,
      anonymous: e.anonymous,
      denialCode: e.denialCode,
      denialKind: e.denialKind,
      reason: e.reason,
    }));
    const denial = { proxy: "anon", anonymous: true, denialCode: "ANONYMOUS_LIMIT", denialKind: "limit" };
    expect(denials).toEqual([
      // Both budgets are spent for the first address; the longer wait (the hour) names the refusal.
      { ...denial, ip: "198.51.100.7", reason: "newSessionsPerNetworkPerHour" },
      { ...denial, ip: "198.51.100.9", reason: "newSessionsPerNetworkPerHour" },
    ]);
    const log = s.h.logLines.join("");
    expect(log).toContain('"network":"198.51.100.0/24"');

    const metrics = await (await s.get("/metrics", s.h.admin())).text();
    expect(metrics).toContain(
      'portico_anonymous_limit_refusals_total{proxy="anon",limit="newSessionsPerNetworkPerHour"} 2',
    );
    expect(metrics).toContain('portico_denials_total{code="ANONYMOUS_LIMIT"} 2');
  });

  it("does not count sibling embeds joining the page's session, nor budgets set to off", async () => {
    const s = await serve(
      "newSessionsPerIpPerHour: off\nnewSessionsPerNetworkPerHour: off\nconcurrentSessionsPerIp: 1",
    );
    const first = await s.start("198.51.100.7");
    expect(first.status).toBe(201);
    // A sibling embed on the same page joins the session instead of starting one.
    const headers = {
      authorization: `Bearer ${first.sessionToken}`,
      "x-forwarded-for": "198.51.100.7",
      origin: PORTAL,
      "content-type": "application/json",
    };
    const join = await fetch(`${s.base}/anon/api/v1/sessions/join-ticket`, {
      method: "POST",
      headers,
      body: "{}",
    });
    expect(join.status).toBe(201);
    const { ticket } = (await join.json()) as { ticket: string };
    const joined = await fetch(`${s.base}/anon/api/v1/sessions`, {
      method: "POST",
      headers: { origin: PORTAL, "content-type": "application/json", "x-forwarded-for": "198.51.100.7" },
      body: JSON.stringify({ ticket }),
    });
    expect(joined.status).toBe(201);
    expect((await s.start("198.51.100.7")).status).toBe(429);
  });
});
