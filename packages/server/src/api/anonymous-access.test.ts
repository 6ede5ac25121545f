import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tableRows } from "../storage/testing/table-rows.js";
import { createHarness, EVIL, type Harness, PORTAL, SELF } from "../testing/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

describe("anonymous access modes", () => {
  it("none: the default proxy refuses anonymous tickets with 403 ANONYMOUS_DISABLED", async () => {
    const res = await h.request("/api/v1/tickets/anonymous", { method: "POST", headers: { origin: PORTAL } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: { code: "ANONYMOUS_DISABLED", message: expect.any(String) } });
  });

  it("always: a ticket redeems into a NONE\\anonymous<uuid-v4> session", async () => {
    const ticket = await h.anonymousTicket("anon");
    const res = await h.redeem("anon", ticket);
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      sessionToken: string;
      user: { userDirectory: string; userId: string; anonymous: boolean };
      inactivityTimeoutMs: number;
      expiresAt: string;
    };
    expect(body.user.userDirectory).toBe("NONE");
    expect(body.user.userId).toMatch(
      /^anonymous[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(body.user.anonymous).toBe(true);
    expect(body.inactivityTimeoutMs).toBe(30 * 60_000);
    expect(Buffer.from(body.sessionToken, "base64url")).toHaveLength(32);
    // Only the hash is stored.
    const rows = await tableRows(h.storage, "sessions");
    expect(rows.some((r) => r.token_hash === body.sessionToken)).toBe(false);
    const hub = await h.request("/anon/api/v1/hub", h.bearer(body.sessionToken));
    expect(hub.status).toBe(200);
  });

  it("always: each session is a new anonymous identity", async () => {
    const a = await (await h.redeem("anon", await h.anonymousTicket("anon"))).json();
    const b = await (await h.redeem("anon", await h.anonymousTicket("anon"))).json();
    expect((a as { user: { userId: string } }).user.userId).not.toBe(
      (b as { user: { userId: string } }).user.userId,
    );
  });

  it("always: the API never creates a session by itself and login is disabled", async () => {
    const hub = await h.request("/anon/api/v1/hub");
    expect(hub.status).toBe(401);
    expect(((await hub.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");
    const login = await h.login("anon", { userDirectory: "PORTAL", userId: "alice", password: "x" });
    expect(login.status).toBe(403);
    expect(((await login.json()) as { error: { code: string } }).error.code).toBe("LOGIN_DISABLED");
  });

  it("allow: anonymous tickets work and a visitor can switch to an account, ending the anonymous session", async () => {
    const anonymous = await h.anonymousSession("partner");
    const login = await h.login(
      "partner",
      { userDirectory: "PORTAL", userId: "alice", password: "alice-correct-horse" },
      { authorization: `Bearer ${anonymous}` },
    );
    expect(login.status).toBe(201);
    const body = (await login.json()) as {
      sessionToken: string;
      user: { userId: string; anonymous: boolean; name: string };
    };
    expect(body.user).toMatchObject({ userId: "alice", anonymous: false, name: "Alice Example" });
    const old = await h.request("/partner/api/v1/hub", h.bearer(anonymous));
    expect(old.status).toBe(401);
    const ended = (await tableRows(h.storage, "sessions")).filter(
      (r) => Number(r.anonymous) === 1 && r.proxy === "partner",
    );
    expect(ended.map((r) => r.end_reason)).toContain("switched");
    expect((await h.request("/partner/api/v1/hub", h.bearer(body.sessionToken))).status).toBe(200);
  });

  it("allow: a login made by our frame for its allowed host page belongs to that page, so siblings can join", async () => {
    const login = async (origin: string) => {
      const res = await h.login(
        "partner",
        { userDirectory: "PORTAL", userId: "alice", password: "alice-correct-horse", origin },
        { origin: SELF },
      );
      expect(res.status).toBe(201);
      return ((await res.json()) as { sessionToken: string }).sessionToken;
    };
    const joinTicket = (token: string, origin: string) =>
      h.request(
        "/partner/api/v1/sessions/join-ticket",
        h.json("POST", { origin }, { origin: SELF, authorization: `Bearer ${token}` }),
      );
    const onPortal = await login(PORTAL);
    const join = await joinTicket(onPortal, PORTAL);
    expect(join.status).toBe(201);
    const { ticket } = (await join.json()) as { ticket: string };
    // The sibling frame on the same page redeems it on behalf of that page.
    const redeemed = await h.request(
      "/partner/api/v1/sessions",
      h.json("POST", { ticket, origin: PORTAL }, { origin: SELF }),
    );
    expect(redeemed.status).toBe(201);
    expect(((await redeemed.json()) as { user: { userId: string } }).user.userId).toBe("alice");
    // A page that is not on the allow list cannot claim a login session: it stays the frame's own.
    const claimed = await login(EVIL);
    expect((await joinTicket(claimed, EVIL)).status).toBe(403);
  });

  it("none: local login works on the default proxy; a wrong password and an unknown user fail alike", async () => {
    const ok = await h.login("", { userId: "alice", password: "alice-correct-horse" });
    expect(ok.status).toBe(201);
    const wrong = await h.login("", { userId: "alice", password: "nope" });
    const unknown = await h.login("", { userId: "mallory", password: "nope" });
    const noPassword = await h.login("", { userId: "root", password: "nope" });
    for (const res of [wrong, unknown, noPassword]) {
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({
        error: { code: "LOGIN_FAILED", message: "Unknown user or wrong password" },
      });
    }
  });
});

describe("virtual proxies are independent", () => {
  it("a session of one proxy is unknown on the others", async () => {
    const token = await h.anonymousSession("anon");
    expect((await h.request("/anon/api/v1/hub", h.bearer(token))).status).toBe(200);
    expect((await h.request("/api/v1/hub", h.bearer(token))).status).toBe(401);
    expect((await h.request("/partner/api/v1/hub", h.bearer(token))).status).toBe(401);
  });

  it("an unknown prefix is 404", async () => {
    const res = await h.request("/nope/api/v1/hub");
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("PROXY_NOT_FOUND");
  });

  it("making /anon non-anonymous (live, admin API) never changes the default proxy or /partner", async () => {
    const before = await h.request("/admin/api/v1/config/virtualProxies", { headers: h.admin() });
    const proxies = ((await before.json()) as { virtualProxies: Array<Record<string, unknown>> })
      .virtualProxies;
    const login = () => h.login("", { userId: "alice", password: "alice-correct-horse" });
    expect((await login()).status).toBe(201);
    const changed = proxies.map((p) => (p.prefix === "anon" ? { ...p, anonymousAccess: "none" } : p));
    const put = await h.request("/admin/api/v1/config/virtualProxies", {
      method: "PUT",
      headers: h.admin({ "content-type": "application/json" }),
      body: JSON.stringify({ virtualProxies: changed }),
    });
    expect(put.status).toBe(200);
    const anon = await h.request("/anon/api/v1/tickets/anonymous", {
      method: "POST",
      headers: { origin: PORTAL },
    });
    expect(anon.status).toBe(403);
    expect((await login()).status).toBe(201);
    expect(
      (await h.request("/api/v1/tickets/anonymous", { method: "POST", headers: { origin: PORTAL } })).status,
    ).toBe(403);
    expect(
      (await h.request("/partner/api/v1/tickets/anonymous", { method: "POST", headers: { origin: PORTAL } }))
        .status,
    ).toBe(201);
    // and back
    const restore = await h.request("/admin/api/v1/config/virtualProxies", {
      method: "PUT",
      headers: h.admin({ "content-type": "application/json" }),
      body: JSON.stringify({ virtualProxies: proxies }),
    });
    expect(restore.status).toBe(200);
    expect(
      (await h.request("/anon/api/v1/tickets/anonymous", { method: "POST", headers: { origin: PORTAL } }))
        .status,
    ).toBe(201);
  });
});

describe("local login without a directory", () => {
  it("finds the user across local directories when the id is unique, and refuses an ambiguous id", async () => {
    const dirs = (await (
      await h.request("/admin/api/v1/config/userDirectories", { headers: h.admin() })
    ).json()) as {
      userDirectories: Array<{ name: string; users: Array<Record<string, unknown>> }>;
    };
    const portal = dirs.userDirectories[0];
    if (!portal) throw new Error("no directory");
    const alice = portal.users.find((u) => u.userId === "alice");
    const put = (v: unknown) =>
      h.request("/admin/api/v1/config/userDirectories", {
        method: "PUT",
        headers: h.admin({ "content-type": "application/json" }),
        body: JSON.stringify({ userDirectories: v }),
      });
    const login = (userId: string) => h.login("", { userId, password: "alice-correct-horse" });
    expect(
      (await put([...dirs.userDirectories, { name: "CORP", users: [{ ...alice, userId: "carol" }] }])).status,
    ).toBe(200);
    try {
      const carol = await login("carol");
      expect(carol.status).toBe(201);
      expect(((await carol.json()) as { user: { userDirectory: string } }).user.userDirectory).toBe("CORP");
      expect((await put([...dirs.userDirectories, { name: "CORP", users: [{ ...alice }] }])).status).toBe(
        200,
      );
      expect((await login("alice")).status).toBe(401);
    } finally {
      expect((await put(dirs.userDirectories)).status).toBe(200);
    }
    expect((await login("alice")).status).toBe(201);
  });
});
