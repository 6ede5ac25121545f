import { ErrorCode } from "@portico/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { PorticoError } from "../errors/portico-error.js";
import type { SessionGate } from "../sessions/session-gate.js";
import { PORTAL, SECRETS } from "../testing/harness.js";
import { createVisitHarness, type VisitHarness } from "../testing/visit-harness.js";

const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";

let h: VisitHarness;
afterEach(async () => {
  await h?.close();
});

describe("visit events", () => {
  it("records a whole anonymous visit: start, app open, sheet view, export, denial, logout", async () => {
    h = await createVisitHarness();
    const token = await h.anonymousSession("anon", { ip: "198.51.100.23", userAgent: CHROME });
    const ua = { "user-agent": CHROME };
    expect(
      (await h.request("/anon/api/v1/apps/spending", { headers: h.auth(token, ua) }, "198.51.100.23")).status,
    ).toBe(200);
    h.advance(5_000);
    expect(
      (
        await h.beacon(
          "anon",
          token,
          { type: "sheetView", app: "spending", sheet: "overview" },
          "198.51.100.23",
          ua,
        )
      ).status,
    ).toBe(204);
    expect(
      (
        await h.beacon(
          "anon",
          token,
          {
            type: "export",
            app: "spending",
            sheet: "overview",
            object: "total",
            pageUrl: `${PORTAL}/budget?x=1`,
          },
          "198.51.100.23",
          ua,
        )
      ).status,
    ).toBe(204);
    // `salaries` exists but anonymous visitors may not read it: 404 to them, a rule denial in the log.
    expect(
      (await h.request("/anon/api/v1/apps/salaries", { headers: h.auth(token, ua) }, "198.51.100.23")).status,
    ).toBe(404);
    // An app that does not exist is no denial, just a wrong id.
    expect(
      (await h.request("/anon/api/v1/apps/nope", { headers: h.auth(token, ua) }, "198.51.100.23")).status,
    ).toBe(404);
    h.advance(60_000);
    expect(
      (
        await h.request(
          "/anon/api/v1/sessions/current",
          { method: "DELETE", headers: h.auth(token, ua) },
          "198.51.100.23",
        )
      ).status,
    ).toBe(204);

    const events = await h.events();
    expect(events.map((e) => e.type)).toEqual([
      "sessionStart",
      "appOpen",
      "sheetView",
      "export",
      "denied",
      "sessionEnd",
    ]);
    const sessionId = events[0]?.sessionId;
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    for (const e of events) {
      expect(e).toMatchObject({
        proxy: "anon",
        sessionId,
        userDirectory: "NONE",
        anonymous: true,
        ip: "198.51.100.23",
        userAgent: CHROME,
        browser: "Chrome",
        os: "Windows",
        device: "desktop",
        origin: PORTAL,
      });
      expect(e.userId).toMatch(/^anonymous[0-9a-f-]{36}$/);
    }
    expect(events[0]?.time).toBe("2026-03-02T09:00:00.000Z");
    expect(events[1]).toMatchObject({ app: "spending", sheet: null });
    expect(events[2]).toMatchObject({ app: "spending", sheet: "overview", object: null, pageUrl: null });
    expect(events[3]).toMatchObject({
      app: "spending",
      sheet: "overview",
      object: "total",
      pageUrl: `${PORTAL}/budget?x=1`,
    });
    expect(events[4]).toMatchObject({ app: "salaries", denialCode: "APP_NOT_FOUND", denialKind: "rule" });
    expect(events[5]).toMatchObject({
      reason: "logout",
      durationMs: 65_000,
      time: "2026-03-02T09:01:05.000Z",
    });
  });

  it("records an export a rule refuses (EXPORT_FORBIDDEN) as a rule denial naming app and object", async () => {
    h = await createVisitHarness();
    const token = await h.anonymousSession("anon", { ip: "198.51.100.5" });
    const res = await h.request(
      "/anon/api/v1/apps/spending/objects/total/export?format=csv",
      { headers: h.auth(token) },
      "198.51.100.5",
    );
    expect(res.status).toBe(403);
    const denied = (await h.events()).at(-1);
    expect(denied).toMatchObject({
      type: "denied",
      denialCode: "EXPORT_FORBIDDEN",
      denialKind: "rule",
      app: "spending",
      object: "total",
      ip: "198.51.100.5",
    });
  });

  it("limits beacons per session, so one session cannot flood the log; other sessions are unaffected", async () => {
    h = await createVisitHarness(undefined, { rateLimit: { capacity: 5, refillPerSecond: 1 } });
    const flooder = await h.anonymousSession("anon", { ip: "198.51.100.1" });
    const neighbour = await h.anonymousSession("anon", { ip: "198.51.100.1" }); // same NAT address
    const view = { type: "sheetView", app: "spending", sheet: "overview" };
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await h.beacon("anon", flooder, view)).status);
    expect(statuses).toEqual([204, 204, 204, 204, 204, 429, 429, 429]);
    expect((await h.beacon("anon", neighbour, view)).status).toBe(204);
    h.advance(1000);
    expect((await h.beacon("anon", flooder, view)).status).toBe(204);
    expect((await h.events()).filter((e) => e.type === "sheetView")).toHaveLength(7);
  });

  it("parses a phone's user agent", async () => {
    h = await createVisitHarness();
    await h.anonymousSession("anon", { userAgent: IPHONE });
    const [start] = await h.events();
    expect(start).toMatchObject({ browser: "Mobile Safari", os: "iOS", device: "mobile" });
  });

  it("refuses beacons without a session, for unreadable apps and for sheets or objects that do not exist", async () => {
    h = await createVisitHarness();
    const token = await h.anonymousSession();
    expect(
      (await h.request("/anon/api/v1/visits/beacon", h.json("POST", { type: "sheetView", app: "spending" })))
        .status,
    ).toBe(401);
    expect((await h.beacon("anon", token, { type: "sheetView", app: "salaries" })).status).toBe(404);
    expect(
      (await h.beacon("anon", token, { type: "sheetView", app: "spending", sheet: "made-up" })).status,
    ).toBe(404);
    expect(
      (await h.beacon("anon", token, { type: "export", app: "spending", object: "made-up" })).status,
    ).toBe(404);
    expect((await h.beacon("anon", token, { type: "login", app: "spending" })).status).toBe(400);
    expect(
      (await h.beacon("anon", token, { type: "sheetView", app: "spending", pageUrl: "javascript:alert(1)" }))
        .status,
    ).toBe(400);
    expect((await h.events()).map((e) => e.type)).toEqual(["sessionStart"]);
  });

  it("ends a session on timeout: noticed by a request, or by the sweep when the visitor never returns", async () => {
    h = await createVisitHarness();
    const noticed = await h.anonymousSession("anon", { ip: "198.51.100.1" });
    await h.anonymousSession("anon", { ip: "198.51.100.2" });
    // The first visitor is active for 7 s, the second only starts.
    h.advance(7_000);
    expect((await h.request("/anon/api/v1/hub", { headers: h.auth(noticed) }, "198.51.100.1")).status).toBe(
      200,
    );
    h.advance(31 * 60_000); // /anon times out after 30 minutes of inactivity
    expect((await h.request("/anon/api/v1/hub", { headers: h.auth(noticed) }, "198.51.100.1")).status).toBe(
      401,
    );
    expect(await h.app.sessionSweeper.sweep()).toBe(1);
    const ends = (await h.events()).filter((e) => e.type === "sessionEnd");
    expect(ends).toHaveLength(2);
    // Durations run from start to last activity, not to the timeout's deadline.
    const byIp = Object.fromEntries(ends.map((e) => [e.ip, e]));
    expect(byIp["198.51.100.1"]).toMatchObject({ reason: "timeout", durationMs: 7_000 });
    expect(byIp["198.51.100.2"]).toMatchObject({ reason: "timeout", durationMs: 0 });
    // The swept one had no request behind it: its address is the one it started from.
    expect(ends.map((e) => e.ip).sort()).toEqual(["198.51.100.1", "198.51.100.2"]);
  });

  it("records an admin revocation with the visitor's address, not the admin's", async () => {
    h = await createVisitHarness();
    await h.anonymousSession("anon", { ip: "198.51.100.9", userAgent: CHROME });
    const [start] = await h.events();
    h.advance(10_000);
    const res = await h.request(
      `/admin/api/v1/sessions/${start?.sessionId}`,
      { method: "DELETE", headers: h.admin() },
      "10.9.9.9",
    );
    expect(res.status).toBe(204);
    const end = (await h.events()).at(-1);
    expect(end).toMatchObject({
      type: "sessionEnd",
      reason: "revoked",
      // Revoked 10 s after a start with no activity since: the visit itself lasted no time.
      durationMs: 0,
      ip: "198.51.100.9",
      browser: "Chrome",
    });
  });

  it("records a switch from anonymous to an account as the end of one session and the start of another", async () => {
    h = await createVisitHarness();
    const token = await h.anonymousSession("partner");
    const res = await h.request(
      "/partner/api/v1/sessions/login",
      h.json("POST", { userId: "alice", password: SECRETS.alicePassword }, h.auth(token, { origin: PORTAL })),
    );
    expect(res.status).toBe(201);
    const events = await h.events();
    expect(events.map((e) => [e.type, e.userDirectory, e.anonymous, e.reason])).toEqual([
      ["sessionStart", "NONE", true, null],
      ["sessionEnd", "NONE", true, "switched"],
      ["sessionStart", "PORTAL", false, null],
    ]);
    expect(events[2]).toMatchObject({ userId: "alice", proxy: "partner" });
  });

  it("records a licence refusal as a denial with its code, and the session does not start", async () => {
    const noPass: SessionGate = {
      async admit() {
        throw new PorticoError(
          ErrorCode.NO_ACCESS_PASS,
          "You cannot access the hub because you have no access pass",
        );
      },
      admitRequest: () => undefined,
    };
    h = await createVisitHarness(undefined, { sessionGates: [noPass] });
    await expect(h.anonymousSession("anon", { ip: "198.51.100.77" })).rejects.toThrow(/403.*NO_ACCESS_PASS/);
    const events = await h.events();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: "denied",
      denialCode: "NO_ACCESS_PASS",
      denialKind: "licence",
      userDirectory: "NONE",
      anonymous: true,
      ip: "198.51.100.77",
      origin: PORTAL,
      proxy: "anon",
    });
  });

  it("records a licence refusal of a live session's request, whether the gate throws or its promise rejects", async () => {
    const refusal = () => new PorticoError(ErrorCode.NO_ACCESS_PASS, "Your access pass was returned");
    // Per request: nothing to wait for (undefined), a promise that resolves, one that rejects, a throw.
    const answers: (() => Promise<void> | undefined)[] = [
      () => undefined,
      () => Promise.resolve(),
      () => Promise.reject(refusal()),
      () => {
        throw refusal();
      },
    ];
    let calls = 0;
    const gate: SessionGate = {
      admit: async () => undefined,
      admitRequest: () => answers[calls++ % answers.length]?.(),
    };
    h = await createVisitHarness(undefined, { sessionGates: [gate] });
    const token = await h.anonymousSession("anon", { ip: "198.51.100.77" });
    const statuses: number[] = [];
    for (let i = 0; i < answers.length; i++)
      statuses.push(
        (
          await h.beacon(
            "anon",
            token,
            { type: "sheetView", app: "spending", sheet: "overview" },
            "198.51.100.77",
          )
        ).status,
      );
    expect(statuses).toEqual([204, 204, 403, 403]);
    const events = await h.events();
    expect(events.map((e) => [e.type, e.denialCode, e.denialKind, e.ip])).toEqual([
      ["sessionStart", null, null, "198.51.100.77"],
      ["sheetView", null, null, "198.51.100.77"],
      ["sheetView", null, null, "198.51.100.77"],
      ["denied", "NO_ACCESS_PASS", "licence", "198.51.100.77"],
      ["denied", "NO_ACCESS_PASS", "licence", "198.51.100.77"],
    ]);
  });

  it("records identified users' sessions with their identity", async () => {
    h = await createVisitHarness();
    await h.userSession("partner", "PORTAL", "alice");
    const [start] = await h.events();
    expect(start).toMatchObject({
      type: "sessionStart",
      userDirectory: "PORTAL",
      userId: "alice",
      anonymous: false,
    });
  });
});
