import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tableRows } from "../storage/testing/table-rows.js";
import {
  createHarness,
  EVIL,
  type Harness,
  OTHER_PORTAL,
  PORTAL,
  SECRETS,
  SELF,
} from "../testing/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe("anonymous ticket endpoint", () => {
  it("refuses an origin not on the host allow list: no ticket, no CORS header", async () => {
    const res = await h.request("/anon/api/v1/tickets/anonymous", {
      method: "POST",
      headers: { origin: EVIL },
    });
    expect(res.status).toBe(403);
    expect(await code(res)).toBe("ORIGIN_NOT_ALLOWED");
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("refuses a request without Origin, and an origin that only resembles an allowed one", async () => {
    expect((await h.request("/anon/api/v1/tickets/anonymous", { method: "POST" })).status).toBe(403);
    for (const origin of [
      `${PORTAL}/`,
      "http://localhost:51730",
      "http://LOCALHOST:5173",
      "null",
      "https://localhost:5173",
    ]) {
      const res = await h.request("/anon/api/v1/tickets/anonymous", { method: "POST", headers: { origin } });
      expect(res.status, origin).toBe(403);
    }
  });

  it("echoes exactly the allowed origin, never *", async () => {
    const res = await h.request("/anon/api/v1/tickets/anonymous", {
      method: "POST",
      headers: { origin: PORTAL },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("access-control-allow-origin")).toBe(PORTAL);
    expect(res.headers.get("vary")).toContain("Origin");
  });

  it("lets the server's own pages ask (first party) even with an empty allow list elsewhere", async () => {
    const res = await h.request("/partner/api/v1/tickets/anonymous", {
      method: "POST",
      headers: { origin: SELF },
    });
    expect(res.status).toBe(201);
  });
});

describe("ticket redemption", () => {
  it("a ticket is one-time: a replay is 401 TICKET_USED", async () => {
    const ticket = await h.anonymousTicket("anon");
    expect((await h.redeem("anon", ticket)).status).toBe(201);
    const replay = await h.redeem("anon", ticket);
    expect(replay.status).toBe(401);
    expect(await code(replay)).toBe("TICKET_USED");
  });

  it("an expired ticket is 401 TICKET_EXPIRED", async () => {
    const ticket = await h.anonymousTicket("anon");
    h.advance(61_000);
    const res = await h.redeem("anon", ticket);
    expect(res.status).toBe(401);
    expect(await code(res)).toBe("TICKET_EXPIRED");
  });

  it("a ticket for another proxy is refused (audience) and not consumed", async () => {
    const ticket = await h.anonymousTicket("partner");
    const res = await h.redeem("anon", ticket);
    expect(res.status).toBe(401);
    expect(await code(res)).toBe("TICKET_INVALID");
    expect((await h.redeem("partner", ticket)).status).toBe(201);
  });

  it("an anonymous ticket redeemed from another origin is refused, even an allowed one", async () => {
    const ticket = await h.anonymousTicket("anon", PORTAL);
    for (const origin of [OTHER_PORTAL, EVIL]) {
      const res = await h.redeem("anon", ticket, origin);
      expect(res.status, origin).toBe(401);
      expect(await code(res)).toBe("TICKET_INVALID");
    }
    const none = await h.request("/anon/api/v1/sessions", h.json("POST", { ticket }));
    expect(none.status).toBe(401);
    // Refusals did not burn the ticket: the page it is bound to can still use it.
    expect((await h.redeem("anon", ticket, PORTAL)).status).toBe(201);
  });

  it("the frame (our origin) redeems for exactly the page the ticket is bound to", async () => {
    const wrongPage = await h.request(
      "/anon/api/v1/sessions",
      h.json(
        "POST",
        { ticket: await h.anonymousTicket("anon", PORTAL), origin: OTHER_PORTAL },
        { origin: SELF },
      ),
    );
    expect(wrongPage.status).toBe(401);
    const ok = await h.request(
      "/anon/api/v1/sessions",
      h.json("POST", { ticket: await h.anonymousTicket("anon", PORTAL), origin: PORTAL }, { origin: SELF }),
    );
    expect(ok.status).toBe(201);
  });

  it("a ticket whose page was removed from the allow list no longer redeems", async () => {
    const ticket = await h.anonymousTicket("anon", OTHER_PORTAL);
    const proxies = (await (
      await h.request("/admin/api/v1/config/virtualProxies", { headers: h.admin() })
    ).json()) as { virtualProxies: Array<{ prefix: string; hostAllowList?: string[] }> };
    const narrowed = proxies.virtualProxies.map((p) =>
      p.prefix === "anon" ? { ...p, hostAllowList: [PORTAL] } : p,
    );
    const put = (v: unknown) =>
      h.request("/admin/api/v1/config/virtualProxies", {
        method: "PUT",
        headers: h.admin({ "content-type": "application/json" }),
        body: JSON.stringify({ virtualProxies: v }),
      });
    expect((await put(narrowed)).status).toBe(200);
    try {
      const res = await h.redeem("anon", ticket, OTHER_PORTAL);
      expect(res.status).toBe(403);
      expect(await code(res)).toBe("ORIGIN_NOT_ALLOWED");
    } finally {
      expect((await put(proxies.virtualProxies)).status).toBe(200);
    }
  });

  it("an anonymous ticket issued before its proxy turned anonymous access off no longer redeems", async () => {
    const ticket = await h.anonymousTicket("partner");
    const get = await h.request("/admin/api/v1/config/virtualProxies", { headers: h.admin() });
    const proxies = ((await get.json()) as { virtualProxies: Array<{ prefix: string }> }).virtualProxies;
    const put = (v: unknown) =>
      h.request("/admin/api/v1/config/virtualProxies", {
        method: "PUT",
        headers: h.admin({ "content-type": "application/json" }),
        body: JSON.stringify({ virtualProxies: v }),
      });
    expect(
      (await put(proxies.map((p) => (p.prefix === "partner" ? { ...p, anonymousAccess: "none" } : p))))
        .status,
    ).toBe(200);
    try {
      const res = await h.redeem("partner", ticket);
      expect(res.status).toBe(403);
      expect(await code(res)).toBe("ANONYMOUS_DISABLED");
    } finally {
      expect((await put(proxies)).status).toBe(200);
    }
  });

  it("malformed bodies are 400 with a clear code", async () => {
    const bad = await h.request("/anon/api/v1/sessions", {
      method: "POST",
      headers: { "content-type": "application/json", origin: PORTAL },
      body: "{",
    });
    expect(bad.status).toBe(400);
    expect(await code(bad)).toBe("BAD_REQUEST");
    const missing = await h.request(
      "/anon/api/v1/sessions",
      h.json("POST", { tikket: "x" }, { origin: PORTAL }),
    );
    expect(missing.status).toBe(400);
    expect(await code(missing)).toBe("VALIDATION_FAILED");
  });
});

describe("join tickets", () => {
  it("a sibling embed joins the SAME session with its own token; the join ticket is one-time and origin-bound", async () => {
    const token = await h.anonymousSession("anon", PORTAL);
    const res = await h.request("/anon/api/v1/sessions/join-ticket", {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, origin: SELF },
    });
    expect(res.status).toBe(201);
    const { ticket } = (await res.json()) as { ticket: string };
    expect((await h.redeem("anon", ticket, EVIL)).status).toBe(401);
    const joined = await h.request(
      "/anon/api/v1/sessions",
      h.json("POST", { ticket, origin: PORTAL }, { origin: SELF }),
    );
    expect(joined.status).toBe(201);
    const sibling = ((await joined.json()) as { sessionToken: string }).sessionToken;
    expect(sibling).not.toBe(token);
    const a = (await (await h.request("/anon/api/v1/sessions/current", h.bearer(token))).json()) as {
      id: string;
      user: unknown;
    };
    const b = (await (await h.request("/anon/api/v1/sessions/current", h.bearer(sibling))).json()) as {
      id: string;
      user: unknown;
    };
    expect(b.id).toBe(a.id);
    expect(b.user).toEqual(a.user);
    expect((await h.redeem("anon", ticket, PORTAL)).status).toBe(401);
    // Logging out ends the shared session for both.
    expect(
      (
        await h.request("/anon/api/v1/sessions/current", {
          method: "DELETE",
          headers: { authorization: `Bearer ${sibling}` },
        })
      ).status,
    ).toBe(204);
    expect((await h.request("/anon/api/v1/hub", h.bearer(token))).status).toBe(401);
  });
});

describe("Ticket API for trusted backends", () => {
  const post = (body: unknown, authorization?: string) =>
    h.request("/partner/api/v1/tickets", h.json("POST", body, authorization ? { authorization } : {}));

  it("refuses unknown clients and wrong secrets with 401 TICKET_CLIENT_UNAUTHORIZED", async () => {
    for (const auth of [
      undefined,
      "Bearer portal-backend:wrong",
      "Bearer nobody:x",
      `Bearer ${SECRETS.clientSecret}`,
    ]) {
      const res = await post({ userDirectory: "PORTAL", userId: "alice" }, auth);
      expect(res.status, String(auth)).toBe(401);
      expect(await code(res)).toBe("TICKET_CLIENT_UNAUTHORIZED");
    }
  });

  it("accepts Basic credentials and limits a client to its user directories", async () => {
    const basic = `Basic ${Buffer.from(`portal-backend:${SECRETS.clientSecret}`).toString("base64")}`;
    expect((await post({ userDirectory: "PORTAL", userId: "bob" }, basic)).status).toBe(201);
    const other = await post({ userDirectory: "CORP", userId: "ceo" }, basic);
    expect(other.status).toBe(403);
  });

  it("a user ticket becomes a session for that user, keeping the ticket's attributes", async () => {
    const ticket = await h.userTicket("partner", "PORTAL", "bob", { tier: "gold" });
    const res = await h.redeem("partner", ticket, PORTAL);
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      user: { userDirectory: string; userId: string; anonymous: boolean };
    };
    expect(body.user).toEqual({ userDirectory: "PORTAL", userId: "bob", anonymous: false });
    const session = (await tableRows(h.storage, "sessions")).find((r) => r.user_id === "bob");
    expect(JSON.parse(session?.attributes ?? "null")).toEqual({ tier: "gold" });
  });
});
