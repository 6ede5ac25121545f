import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tableRows } from "../storage/testing/table-rows.js";
import { createHarness, type Harness } from "../testing/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

const MINUTE = 60_000;
const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe("session expiry (injected clock)", () => {
  it("ends a session after sessionInactivityMinutes without activity", async () => {
    const token = await h.anonymousSession("anon");
    h.advance(29 * MINUTE);
    expect((await h.request("/anon/api/v1/hub", h.bearer(token))).status).toBe(200);
    h.advance(30 * MINUTE);
    const res = await h.request("/anon/api/v1/hub", h.bearer(token));
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("SESSION_EXPIRED");
    const [row] = (await tableRows(h.storage, "sessions"))
      .filter((r) => r.ended_at !== null)
      .sort((a, b) => Number(b.ended_at) - Number(a.ended_at));
    expect(row?.end_reason).toBe("timeout");
  });

  it("slides with activity: each request moves the deadline", async () => {
    const token = await h.anonymousSession("anon");
    for (let i = 0; i < 4; i++) {
      h.advance(20 * MINUTE);
      expect((await h.request("/anon/api/v1/hub", h.bearer(token))).status).toBe(200);
    }
    const current = (await (await h.request("/anon/api/v1/sessions/current", h.bearer(token))).json()) as {
      expiresAt: string;
    };
    expect(Date.parse(current.expiresAt)).toBe(h.clock() + 30 * MINUTE);
  });

  it("ends a session at its absolute lifetime however active it is", async () => {
    // /anon: sessionMaxLifetimeMinutes 120
    const token = await h.anonymousSession("anon");
    for (let i = 0; i < 5; i++) {
      h.advance(20 * MINUTE);
      expect((await h.request("/anon/api/v1/hub", h.bearer(token))).status).toBe(200);
    }
    h.advance(19 * MINUTE);
    const last = (await (await h.request("/anon/api/v1/sessions/current", h.bearer(token))).json()) as {
      expiresAt: string;
      absoluteExpiresAt: string;
    };
    expect(last.expiresAt).toBe(last.absoluteExpiresAt);
    h.advance(1 * MINUTE);
    const res = await h.request("/anon/api/v1/hub", h.bearer(token));
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe("SESSION_EXPIRED");
  });

  it("the default proxy uses the default 30 minutes", async () => {
    const res = await h.login("", { userId: "alice", password: "alice-correct-horse" });
    expect(((await res.json()) as { inactivityTimeoutMs: number }).inactivityTimeoutMs).toBe(30 * MINUTE);
  });

  it("logout ends the session and clears the cookie", async () => {
    const token = await h.anonymousSession("anon");
    const out = await h.request("/anon/api/v1/sessions/current", {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/^X-Portico-Session-anon=;.*Max-Age=0/);
    expect((await h.request("/anon/api/v1/hub", h.bearer(token))).status).toBe(401);
  });

  it("the first-party cookie authenticates like the bearer token, on its own proxy only", async () => {
    const res = await h.redeem("anon", await h.anonymousTicket("anon"));
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^X-Portico-Session-anon=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/anon");
    const pair = cookie.split(";")[0] as string;
    expect((await h.request("/anon/api/v1/hub", { headers: { cookie: pair } })).status).toBe(200);
    expect(
      (await h.request("/partner/api/v1/hub", { headers: { cookie: pair.replace("-anon=", "-partner=") } }))
        .status,
    ).toBe(401);
  });
});
