// A beacon is answered alike whichever front takes it: the Node listener in front of hono (`fastPaths`) or
// the hono route (status, body, headers, the row written). Each case goes over real sockets to two servers
// of one app: `createPorticoServer` (the listener first when `fastPaths` is on) and hono alone; and runs
// with the app's `fastPaths` on and off.
import { createServer, request as httpRequest, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { VisitRecord } from "@portico/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { createPorticoServer } from "../app.js";
import { classicConfig, PORTAL } from "../testing/harness.js";
import { createVisitHarness, type VisitHarness, type VisitHarnessOptions } from "../testing/visit-harness.js";

const CHROME =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
const VIEW = { type: "sheetView", app: "spending", sheet: "overview" };

interface Sent {
  method?: string;
  path: string;
  /** As `rawHeaders`: name, value, name, value... (so a header can repeat). */
  headers?: string[];
  /** A body as bytes, sent with its Content-Length unless `chunked`. */
  body?: string | Buffer;
  chunked?: boolean;
}

interface Answer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/** Headers that differ between any two responses (time, connection handling, framing). */
const VOLATILE = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-length"]);

function send(server: Server, sent: Sent): Promise<Answer> {
  const { port } = server.address() as AddressInfo;
  const body = sent.body === undefined ? undefined : Buffer.from(sent.body);
  // With headers given as a list, Node adds no Host of its own (and a server answers 400 without one).
  const headers = ["host", `127.0.0.1:${port}`, ...(sent.headers ?? [])];
  if (body && !sent.chunked) headers.push("content-length", String(body.length));
  if (sent.chunked) headers.push("transfer-encoding", "chunked");
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, method: sent.method ?? "POST", path: sent.path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const kept: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers))
            if (!VOLATILE.has(name)) kept[name] = String(value);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), headers: kept });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

let h: VisitHarness;
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  await h?.close();
});

async function listen(server: Server): Promise<Server> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

/** The app behind two servers: `fast` (`createPorticoServer`: the beacon listener, then hono, when the
 * app's `fastPaths` is on) and `plain` (hono only). */
async function served(fastPaths: boolean, yaml?: string, options?: VisitHarnessOptions) {
  h = await createVisitHarness(yaml, { ...options, fastPaths });
  const fast = await listen(createPorticoServer(h.app));
  const plain = await listen(createServer(getRequestListener(h.app.fetch)));
  return { fast, plain };
}

/** What every API answer carries, beacons' included. */
const API_HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" };

const beacon = (token: string, body: unknown = VIEW, extra: string[] = []): Sent => ({
  path: "/anon/api/v1/visits/beacon",
  headers: ["content-type", "application/json", "authorization", `Bearer ${token}`, ...extra],
  body: JSON.stringify(body),
});

/** The newest sheet views and exports, without what differs between two writes of the same beacon. */
async function lastBeacons(n: number): Promise<Partial<VisitRecord>[]> {
  const events = await h.events();
  return events
    .filter((e) => e.type === "sheetView" || e.type === "export")
    .slice(-n)
    .map(({ id: _id, time: _time, sessionId: _session, ...rest }) => rest);
}

describe.each([true, false])("beacons with fastPaths %s: the same answers as the hono route", (fastPaths) => {
  const both = (yaml?: string, options?: VisitHarnessOptions) => served(fastPaths, yaml, options);

  it("puts the beacon listener in front of hono only with fastPaths", async () => {
    h = await createVisitHarness(undefined, { fastPaths });
    const hono = getRequestListener(h.app.fetch);
    let reachedHono = 0;
    const server = await listen(
      createServer(
        h.app.nodeListener((request, response) => {
          reachedHono++;
          return hono(request, response);
        }),
      ),
    );
    const token = await h.anonymousSession("anon");
    expect((await send(server, beacon(token))).status).toBe(204);
    expect(reachedHono).toBe(fastPaths ? 0 : 1);
  });

  it("records a beacon alike, answering 204 with the same headers", async () => {
    const { fast, plain } = await both();
    const token = await h.anonymousSession("anon");
    const sent = beacon(token, { ...VIEW, pageUrl: `${PORTAL}/budget?x=1` }, ["user-agent", CHROME]);
    const a = await send(fast, sent);
    const b = await send(plain, sent);
    expect(a).toEqual({ status: 204, body: "", headers: API_HEADERS });
    expect(a).toEqual(b);
    const [viaFast, viaPlain] = await lastBeacons(2);
    expect(viaFast).toMatchObject({
      type: "sheetView",
      proxy: "anon",
      anonymous: true,
      app: "spending",
      sheet: "overview",
      ip: "127.0.0.1",
      userAgent: CHROME,
      browser: "Chrome",
      pageUrl: `${PORTAL}/budget?x=1`,
    });
    expect(viaFast).toEqual(viaPlain);
    expect(
      h.logLines.some((l) => l.includes('"path":"/anon/api/v1/visits/beacon"') && l.includes('"status":204')),
    ).toBe(true);
    expect(h.logLines.join("")).not.toContain(token);
  });

  it("refuses what the route refuses, with the same status, code and message", async () => {
    const { fast, plain } = await both();
    const token = await h.anonymousSession("anon");
    const other = await h.anonymousSession("partner");
    const cases: [string, Sent, number][] = [
      ["no session", { path: "/anon/api/v1/visits/beacon", body: JSON.stringify(VIEW) }, 401],
      ["an unknown token", beacon("not-a-session-token"), 401],
      ["a token of another proxy", beacon(other), 401],
      ["a token sent to another proxy", { ...beacon(token), path: "/partner/api/v1/visits/beacon" }, 401],
      [
        "a token given twice",
        { ...beacon(token), headers: ["authorization", `Bearer ${token}`, ...(beacon(token).headers ?? [])] },
        401,
      ],
      ["an unreadable app", beacon(token, { type: "sheetView", app: "salaries" }), 404],
      ["a missing app", beacon(token, { type: "sheetView", app: "no-such-app" }), 404],
      ["a made-up sheet", beacon(token, { ...VIEW, sheet: "made-up" }), 404],
      ["a made-up object", beacon(token, { type: "export", app: "spending", object: "made-up" }), 404],
      ["bad JSON", { ...beacon(token), body: "{nope" }, 400],
      ["an empty body", { ...beacon(token), body: "" }, 400],
      ["an unknown type", beacon(token, { type: "login", app: "spending" }), 400],
      ["an unknown field", beacon(token, { ...VIEW, extra: 1 }), 400],
      ["a script URL", beacon(token, { ...VIEW, pageUrl: "javascript:alert(1)" }), 400],
      [
        "a body over the limit",
        { ...beacon(token), body: JSON.stringify({ ...VIEW, pad: "x".repeat(70_000) }) },
        413,
      ],
      ["an unknown proxy", { ...beacon(token), path: "/nope/api/v1/visits/beacon" }, 404],
      ["an upper-case proxy", { ...beacon(token), path: "/ANON/api/v1/visits/beacon" }, 404],
      ["a trailing slash", { ...beacon(token), path: "/anon/api/v1/visits/beacon/" }, 404],
      ["GET", { ...beacon(token), method: "GET", body: undefined }, 404],
    ];
    for (const [name, sent, status] of cases) {
      const a = await send(fast, sent);
      const b = await send(plain, sent);
      expect({ name, ...a }).toEqual({ name, ...b });
      expect({ name, status: a.status }).toEqual({ name, status });
    }
    // None of them wrote a row.
    expect(await lastBeacons(1)).toEqual([]);
  });

  it("takes the session from the proxy's cookie, a query string, a byte-order mark and a chunked body alike", async () => {
    const { fast, plain } = await both();
    const token = await h.anonymousSession("anon");
    const cases: Sent[] = [
      {
        path: "/anon/api/v1/visits/beacon",
        headers: [
          "cookie",
          `X-Portico-Session-anon=${token}`,
          "content-type",
          "application/json",
          "origin",
          PORTAL,
        ],
        body: JSON.stringify(VIEW),
      },
      { ...beacon(token), path: "/anon/api/v1/visits/beacon?from=test" },
      { ...beacon(token), body: `\uFEFF${JSON.stringify(VIEW)}` },
      { ...beacon(token), chunked: true },
    ];
    for (const sent of cases) {
      const a = await send(fast, sent);
      expect(a).toEqual(await send(plain, sent));
      expect(a.status).toBe(204);
    }
    const rows = await lastBeacons(8);
    expect(rows).toHaveLength(8);
    for (const row of rows) expect(row).toEqual(rows[0]);
  });

  it("refuses a cookie beacon from a page off the allow list or without Origin, and a body not sent as JSON", async () => {
    const { fast, plain } = await both();
    const token = await h.anonymousSession("anon");
    const cookie = ["cookie", `X-Portico-Session-anon=${token}`];
    const json = ["content-type", "application/json"];
    const cases: [string, Sent, number, string][] = [
      [
        "a cookie from another origin",
        { ...beacon(token), headers: [...cookie, ...json, "origin", "https://evil.example"] },
        403,
        "ORIGIN_NOT_ALLOWED",
      ],
      [
        "a cookie without Origin",
        { ...beacon(token), headers: [...cookie, ...json] },
        403,
        "ORIGIN_NOT_ALLOWED",
      ],
      [
        "a cookie form post (text/plain) from an allowed page",
        { ...beacon(token), headers: [...cookie, "content-type", "text/plain", "origin", PORTAL] },
        415,
        "UNSUPPORTED_MEDIA_TYPE",
      ],
      [
        "a bearer beacon sent as text/plain",
        { ...beacon(token), headers: ["content-type", "text/plain", "authorization", `Bearer ${token}`] },
        415,
        "UNSUPPORTED_MEDIA_TYPE",
      ],
      [
        "a bearer beacon without a Content-Type",
        { ...beacon(token), headers: ["authorization", `Bearer ${token}`] },
        415,
        "UNSUPPORTED_MEDIA_TYPE",
      ],
    ];
    for (const [name, sent, status, code] of cases) {
      const a = await send(fast, sent);
      expect({ name, ...a }).toEqual({ name, ...(await send(plain, sent)) });
      expect({ name, status: a.status, code: JSON.parse(a.body).error.code }).toEqual({ name, status, code });
      expect({ name, ...a.headers }).toMatchObject({ name, ...API_HEADERS });
    }
    expect(await lastBeacons(1)).toEqual([]);
  });

  it("rate-limits per session alike, with Retry-After", async () => {
    const { fast, plain } = await both(undefined, { rateLimit: { capacity: 2, refillPerSecond: 0.1 } });
    const answers: Answer[][] = [[], []];
    for (const [i, server] of [fast, plain].entries()) {
      const token = await h.anonymousSession("anon");
      for (let n = 0; n < 3; n++) answers[i]?.push(await send(server, beacon(token)));
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]?.map((a) => a.status)).toEqual([204, 204, 429]);
    expect(answers[0]?.[2]?.headers["retry-after"]).toBe("10");
  });

  it.each([
    ["an untrusted peer: the socket address", false, "127.0.0.1"],
    ["a trusted proxy: the forwarded address", true, "198.51.100.9"],
  ])("takes the address of a beacon through %s, alike", async (_name, trust, ip) => {
    const yaml = await classicConfig();
    const { fast, plain } = await both(
      trust ? yaml.replace("server:\n", 'server:\n  trustProxy: ["127.0.0.1"]\n') : yaml,
    );
    const token = await h.anonymousSession("anon");
    const spoofed = ["x-forwarded-for", "198.51.100.9"];
    expect((await send(fast, beacon(token, VIEW, spoofed))).status).toBe(204);
    expect((await send(plain, beacon(token, VIEW, spoofed))).status).toBe(204);
    expect((await lastBeacons(2)).map((r) => r.ip)).toEqual([ip, ip]);
  });

  it("reads a body sent with its headers, one sent after them in pieces, and a 60 KB one, alike", async () => {
    const { fast, plain } = await both();
    const token = await h.anonymousSession("anon");
    /** Headers first, then the body in two writes 30 ms apart (the message is not complete when read). */
    const slow = (server: Server) =>
      new Promise<number>((resolve, reject) => {
        const body = JSON.stringify(VIEW);
        const req = httpRequest(
          {
            host: "127.0.0.1",
            port: (server.address() as AddressInfo).port,
            method: "POST",
            path: "/anon/api/v1/visits/beacon",
            headers: {
              authorization: `Bearer ${token}`,
              "content-type": "application/json",
              "content-length": String(Buffer.byteLength(body)),
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        req.flushHeaders();
        setTimeout(() => req.write(body.slice(0, 10)), 30);
        setTimeout(() => req.end(body.slice(10)), 60);
      });
    /** Headers and body in one write, as most clients send a small body: the message is complete when read. */
    const whole = (server: Server) =>
      new Promise<string>((resolve, reject) => {
        const body = JSON.stringify(VIEW);
        const socket = connect((server.address() as AddressInfo).port, "127.0.0.1", () =>
          socket.write(
            `POST /anon/api/v1/visits/beacon HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
          ),
        );
        let answer = "";
        socket.on("data", (chunk: Buffer) => {
          answer += chunk.toString();
        });
        socket.on("end", () => resolve(answer.split("\r\n")[0] ?? ""));
        socket.on("error", reject);
      });
    expect([await whole(fast), await whole(plain)]).toEqual([
      "HTTP/1.1 204 No Content",
      "HTTP/1.1 204 No Content",
    ]);
    expect([await slow(fast), await slow(plain)]).toEqual([204, 204]);
    const big = `${JSON.stringify(VIEW).slice(0, -1)}${" ".repeat(60_000)}}`;
    const sent: Sent = { ...beacon(token), body: big };
    expect([(await send(fast, sent)).status, (await send(plain, sent)).status]).toEqual([204, 204]);
    const rows = await lastBeacons(6);
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(row).toEqual(rows[0]);
    expect(rows[0]).toMatchObject({ type: "sheetView" });
  });

  it("survives a client that leaves mid-body, and writes nothing for it", async () => {
    const { fast } = await both();
    const token = await h.anonymousSession("anon");
    const { port } = fast.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/anon/api/v1/visits/beacon",
        headers: { authorization: `Bearer ${token}`, "content-length": "200" },
      });
      req.on("error", () => resolve());
      req.write('{"type":"sheetView",');
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 50);
    });
    expect((await send(fast, beacon(token))).status).toBe(204);
    expect(await lastBeacons(5)).toHaveLength(1);
  });
});
