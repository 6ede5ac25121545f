// A redemption may name the app the frame opens next (`POST /sessions {ticket, app}`): the answer carries
// that app when the new session may read it, and nothing that tells a missing app from an unreadable one.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createHarness, EVIL, type Harness, PORTAL, SELF } from "../testing/harness.js";
import { createVisitHarness, type VisitHarness } from "../testing/visit-harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

async function redeemWithApp(app: unknown, prefix = "anon") {
  const ticket = await h.anonymousTicket(prefix);
  return h.request(`/${prefix}/api/v1/sessions`, h.json("POST", { ticket, app }, { origin: PORTAL }));
}

describe("a redemption that names its app", () => {
  it("carries a readable app exactly as GET /apps/{id} answers it, for the new session", async () => {
    const res = await redeemWithApp("spending");
    expect(res.status).toBe(201);
    const body = (await res.json()) as { sessionToken: string; app?: unknown };
    expect(body.app).toBeDefined();
    const direct = await h.request("/anon/api/v1/apps/spending", h.bearer(body.sessionToken));
    expect(direct.status).toBe(200);
    expect(body.app).toEqual(await direct.json());
  });

  it("carries nothing for an unreadable app, and the same nothing for a missing one (no existence leak)", async () => {
    const unreadable = await redeemWithApp("salaries");
    const missing = await redeemWithApp("no-such-app");
    expect(unreadable.status).toBe(201);
    expect(missing.status).toBe(201);
    const a = (await unreadable.json()) as Record<string, unknown>;
    const b = (await missing.json()) as Record<string, unknown>;
    expect("app" in a).toBe(false);
    expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
    // The session is made all the same, and the app's own endpoint gives the one 404.
    const res = await h.request("/anon/api/v1/apps/salaries", h.bearer(a.sessionToken as string));
    expect(res.status).toBe(404);
  });

  it("refuses a malformed app name before redeeming the ticket (the ticket stays usable)", async () => {
    const ticket = await h.anonymousTicket("anon");
    for (const app of ["", "x".repeat(257), 42, ["spending"], null]) {
      const res = await h.request(
        "/anon/api/v1/sessions",
        h.json("POST", { ticket, app }, { origin: PORTAL }),
      );
      expect(res.status, JSON.stringify(app)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_FAILED");
    }
    expect((await h.redeem("anon", ticket)).status).toBe(201);
  });

  it("judges the app for the ticket's user, not for whoever asks", async () => {
    // A ticket for a hub without anonymous access to `salaries` stays without it, whatever the body says.
    const res = await redeemWithApp("salaries");
    const { sessionToken } = (await res.json()) as { sessionToken: string };
    const hub = (await (await h.request("/anon/api/v1/hub", h.bearer(sessionToken))).json()) as {
      streams: Array<{ apps: Array<{ id: string }> }>;
    };
    expect(hub.streams.flatMap((s) => s.apps.map((a) => a.id))).not.toContain("salaries");
  });
});

describe("an anonymous session for Portico's own pages (POST /sessions/anonymous)", () => {
  const start = (prefix: string, headers: Record<string, string>, body?: unknown) =>
    h.request(`${prefix === "" ? "" : `/${prefix}`}/api/v1/sessions/anonymous`, {
      method: "POST",
      headers: { ...headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });

  it("starts one in one round trip for the server's own origin, with the app when it may be read", async () => {
    const res = await start("anon", { origin: SELF }, { app: "spending" });
    expect(res.status).toBe(201);
    const body = (await res.json()) as {
      sessionToken: string;
      user: { anonymous: boolean };
      app?: { id: string };
    };
    expect(body.user).toMatchObject({ userDirectory: "NONE", anonymous: true });
    expect(body.app?.id).toBe("spending");
    expect((await h.request("/anon/api/v1/hub", h.bearer(body.sessionToken))).status).toBe(200);
    // Without a body it is a plain session; an unreadable app is simply absent.
    expect((await start("anon", { origin: SELF })).status).toBe(201);
    const hidden = (await (await start("anon", { origin: SELF }, { app: "salaries" })).json()) as object;
    expect("app" in hidden).toBe(false);
  });

  it("refuses every other page, even one on the allow list (it must redeem a ticket bound to its origin)", async () => {
    for (const headers of [{ origin: PORTAL }, { origin: EVIL }, { origin: "null" }, {}] as Array<
      Record<string, string>
    >) {
      const res = await start("anon", headers);
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("ORIGIN_NOT_ALLOWED");
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(res.headers.get("set-cookie")).toBeNull();
    }
  });

  it("is ANONYMOUS_DISABLED on a proxy without anonymous access", async () => {
    const res = await start("", { origin: SELF });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("ANONYMOUS_DISABLED");
  });

  it("parses its body strictly", async () => {
    for (const body of [{ app: "" }, { app: 7 }, { app: "spending", ticket: "x" }, "spending"]) {
      const res = await start("anon", { origin: SELF }, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe("the visit log", () => {
  let v: VisitHarness;
  afterEach(async () => v?.close());

  it("records the app open of a redemption that carries its app, and no open for one it could not read", async () => {
    v = await createVisitHarness();
    for (const app of ["spending", "salaries"]) {
      const t = await v.anonymousTicket("anon");
      const { ticket } = (await t.json()) as { ticket: string };
      const res = await v.request(
        "/anon/api/v1/sessions",
        v.json("POST", { ticket, app }, { origin: PORTAL }),
        "198.51.100.40",
      );
      expect(res.status).toBe(201);
    }
    const events = await v.events();
    expect(events.map((e) => [e.type, e.app])).toEqual([
      ["sessionStart", null],
      ["appOpen", "spending"],
      ["sessionStart", null],
    ]);
    expect(events[1]).toMatchObject({ ip: "198.51.100.40", origin: PORTAL, anonymous: true });
    expect(events[1]?.sessionId).toBe(events[0]?.sessionId);
  });

  it("shares the anonymous-ticket rate limit: a first-party page cannot mint sessions without limit", async () => {
    v = await createVisitHarness(undefined, { rateLimit: { capacity: 3, refillPerSecond: 0.001 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await v.request(
        "/anon/api/v1/sessions/anonymous",
        { method: "POST", headers: { origin: SELF } },
        "198.51.100.41",
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
    // Another address is not affected.
    const other = await v.request(
      "/anon/api/v1/sessions/anonymous",
      { method: "POST", headers: { origin: SELF } },
      "198.51.100.42",
    );
    expect(other.status).toBe(201);
    expect((await v.events()).filter((e) => e.type === "sessionStart")).toHaveLength(4);
  });
});
