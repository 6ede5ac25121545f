// The frame's browser tests (packages/frame/src/embed.browser.test.ts) run against a fake server that can
// provoke every failure the frame must explain. This test keeps it honest: for every route the fake
// answers, the same requests go to the fake and to the real server set up alike (the spending fixture,
// the same proxies), and the answers must match: status, error code, and the whole body of a success
// once the values that differ by nature (tokens, tickets, times, anonymous ids) are masked.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { firstQueries, type QueryRequest } from "@portico/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ContractServer, startContractServer } from "../packages/frame/src/testing/contract-server.js";
import { OVERVIEW, SECOND } from "../packages/frame/src/testing/spending-fixture.js";
import { FIXTURE_ALICE_PASSWORD, fixtureConfig, fixtureFiles } from "./support/frame-fixture-config.js";
import { NO_PASSES_LICENSES, type PorticoTestServer, startPortico } from "./support/portico-server.js";

/** The embedding page's origin on both servers' allow lists (no page is served from it here). */
const HOST_ORIGIN = "http://localhost:9";

let pages: string;
let fake: ContractServer;
let real: PorticoTestServer;
let realNoPasses: PorticoTestServer;

beforeAll(async () => {
  // The pages are the frame's own build in the browser tests; here only their headers are compared.
  pages = await mkdtemp(path.join(tmpdir(), "portico-contract-pages-"));
  for (const page of ["embed.html", "hub.html", "login.html"])
    await writeFile(path.join(pages, page), "<!doctype html><title>page</title>");
  fake = await startContractServer(pages);
  fake.proxies.set("anon", { anonymousAccess: "always", hostAllowList: [HOST_ORIGIN] });
  fake.proxies.set("partner", { anonymousAccess: "allow", hostAllowList: [HOST_ORIGIN] });
  fake.proxies.set("", { anonymousAccess: "none", hostAllowList: [] });
  const files = fixtureFiles();
  real = await startPortico({ yaml: await fixtureConfig(HOST_ORIGIN), frame: pages, files });
  realNoPasses = await startPortico({
    yaml: await fixtureConfig(HOST_ORIGIN, { licenses: NO_PASSES_LICENSES }),
    frame: pages,
    files,
  });
});

afterAll(async () => {
  await fake?.close();
  await real?.close();
  await realNoPasses?.close();
  if (pages) await rm(pages, { recursive: true, force: true });
});

type Answer = { status: number; body: unknown };
type Call = { body?: unknown; token?: string; origin?: string; cookie?: string };

async function send(base: string, method: string, pathname: string, call: Call = {}): Promise<Answer> {
  const headers: Record<string, string> = { accept: "application/json, text/csv" };
  if (call.body !== undefined) headers["content-type"] = "application/json";
  if (call.token) headers.authorization = `Bearer ${call.token}`;
  if (call.origin) headers.origin = call.origin;
  if (call.cookie) headers.cookie = call.cookie;
  const response = await fetch(`${base}${pathname}`, {
    method,
    headers,
    ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // A CSV export: compared as text.
  }
  return { status: response.status, body: mask(body) };
}

const MASKED_KEYS = new Set(["sessionToken", "ticket", "expiresAt", "absoluteExpiresAt"]);

/** Values that differ by nature masked; an error's message left out (the frame shows its own words). */
function mask(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mask);
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value).map(([key, v]) => {
    if (MASKED_KEYS.has(key)) return [key, typeof v];
    if (key === "userId" && typeof v === "string" && v.startsWith("anonymous")) return [key, "anonymous…"];
    if (key === "error" && typeof v === "object" && v !== null)
      return [key, { code: (v as { code: unknown }).code }];
    return [key, mask(v)];
  });
  return Object.fromEntries(entries);
}

/** A new anonymous session of `/anon` on `base`, the way the frame in a host page gets one. */
async function session(base: string, first: Record<string, unknown> = {}) {
  const raw = await fetch(`${base}/anon/api/v1/tickets/anonymous`, {
    method: "POST",
    headers: { origin: HOST_ORIGIN },
  });
  const { ticket: value } = (await raw.json()) as { ticket: string };
  const answer = await fetch(`${base}/anon/api/v1/sessions`, {
    method: "POST",
    // As the frame sends it: from the server's own origin, naming the host page it pinned.
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ ticket: value, origin: HOST_ORIGIN, ...first }),
  });
  const body = (await answer.json()) as { sessionToken: string };
  return { status: answer.status, body, token: body.sessionToken };
}

/** The same calls on both servers: `run` gets each server's base URL and a fresh session token there. */
async function both(run: (base: string, token: string) => Promise<unknown>) {
  const [fromFake, fromReal] = [
    await run(fake.origin, (await session(fake.origin)).token),
    await run(real.url, (await session(real.url)).token),
  ];
  return { fake: fromFake, real: fromReal };
}

const FIRST_VIEW = { app: "spending", view: { sheet: "overview", selections: { Region: ["North"] } } };

describe("the frame's fake server answers as the real one", () => {
  it("GET embed-config", async () => {
    const { fake: f, real: r } = await both(async (base) => [
      await send(base, "GET", "/anon/api/v1/embed-config"),
      await send(base, "GET", "/api/v1/embed-config"),
    ]);
    expect(f).toEqual(r);
  });

  it("an anonymous ticket may be asked from the host page's origin (CORS)", async () => {
    const allowed = async (base: string) => {
      const response = await fetch(`${base}/anon/api/v1/tickets/anonymous`, {
        method: "POST",
        headers: { origin: HOST_ORIGIN },
      });
      return response.headers.get("access-control-allow-origin");
    };
    expect(await allowed(fake.origin)).toBe(await allowed(real.url));
    const preflight = async (base: string, origin: string) => {
      const response = await fetch(`${base}/anon/api/v1/tickets/anonymous`, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST" },
      });
      const header = (name: string) => response.headers.get(`access-control-allow-${name}`);
      return {
        status: response.status,
        origin: header("origin"),
        methods: header("methods"),
        headers: header("headers"),
      };
    };
    for (const origin of [HOST_ORIGIN, "http://stranger.example"])
      expect(await preflight(fake.origin, origin)).toEqual(await preflight(real.url, origin));
  });

  it("POST tickets/anonymous, and its refusal on a proxy without anonymous access", async () => {
    const { fake: f, real: r } = await both(async (base) => [
      await send(base, "POST", "/anon/api/v1/tickets/anonymous", { origin: HOST_ORIGIN }),
      await send(base, "POST", "/api/v1/tickets/anonymous"),
    ]);
    expect(f).toEqual(r);
  });

  it("POST sessions: the session with its app and first view's results; an unknown ticket", async () => {
    const [f, r] = [await session(fake.origin, FIRST_VIEW), await session(real.url, FIRST_VIEW)];
    expect(f.status).toBe(201);
    expect({ status: f.status, body: mask(f.body) }).toEqual({ status: r.status, body: mask(r.body) });
    const { fake: bad, real: badReal } = await both((base) =>
      send(base, "POST", "/anon/api/v1/sessions", { body: { ticket: "nope", origin: HOST_ORIGIN } }),
    );
    expect(bad).toEqual(badReal);
  });

  it("POST sessions with no access pass left: NO_ACCESS_PASS", async () => {
    fake.knobs.denyLicense = true;
    try {
      const [f, r] = [await session(fake.origin), await session(realNoPasses.url)];
      expect({ status: f.status, body: mask(f.body) }).toEqual({ status: r.status, body: mask(r.body) });
      expect(f.status).toBe(403);
    } finally {
      fake.knobs.denyLicense = false;
    }
  });

  it("POST sessions/anonymous: Portico's own pages only", async () => {
    const ask = (base: string, origin: string) =>
      send(base, "POST", "/anon/api/v1/sessions/anonymous", { body: {}, origin });
    const f = [await ask(fake.origin, fake.origin), await ask(fake.origin, HOST_ORIGIN)];
    const r = [await ask(real.url, real.url), await ask(real.url, HOST_ORIGIN)];
    expect(f).toEqual(r);
  });

  it("POST sessions/login and GET sessions/current with its cookie", async () => {
    const login = async (base: string) => {
      // As the login page sends it: from the server's own origin.
      const wrong = await send(base, "POST", "/partner/api/v1/sessions/login", {
        body: { userId: "alice", password: "wrong" },
        origin: base,
      });
      const disabled = await send(base, "POST", "/anon/api/v1/sessions/login", {
        body: { userId: "alice", password: FIXTURE_ALICE_PASSWORD },
        origin: base,
      });
      const response = await fetch(`${base}/partner/api/v1/sessions/login`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: base },
        body: JSON.stringify({ userId: "alice", password: FIXTURE_ALICE_PASSWORD }),
      });
      const ok = { status: response.status, body: mask(await response.json()) };
      const cookie = (response.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      const current = await send(base, "GET", "/partner/api/v1/sessions/current", { cookie });
      // The session's id differs by nature, like its token.
      const { id, ...rest } = current.body as { id: unknown };
      return { wrong, disabled, ok, current: { ...current, body: { id: typeof id, ...rest } } };
    };
    expect(await login(fake.origin)).toEqual(await login(real.url));
  });

  it("GET hub and GET apps/{id} (a missing app is 404)", async () => {
    const { fake: f, real: r } = await both(async (base, token) => [
      await send(base, "GET", "/anon/api/v1/hub", { token }),
      await send(base, "GET", "/anon/api/v1/apps/spending", { token }),
      await send(base, "GET", "/anon/api/v1/apps/secret", { token }),
    ]);
    expect(f).toEqual(r);
  });

  it("POST apps/{id}/query for every object and field of both sheets, and an unknown object", async () => {
    const selections = { Region: ["North"], Year: [2023] };
    const requests: QueryRequest[] = [
      ...firstQueries([...OVERVIEW.objects, ...SECOND.objects], selections),
      {
        object: "detail",
        selections,
        page: { offset: 25, limit: 25 },
        sort: { column: 2, descending: true },
      },
      { field: "Department", search: "P", page: { offset: 0, limit: 10 } },
      { object: "nope" },
    ];
    const { fake: f, real: r } = await both(async (base, token) =>
      Promise.all(
        requests.map((body) => send(base, "POST", "/anon/api/v1/apps/spending/query", { token, body })),
      ),
    );
    expect(f).toEqual(r);
  });

  it("POST apps/{id}/queries: one outcome per request, in order, a failing one with its error", async () => {
    const body = {
      selections: { Year: [2024] },
      requests: [
        ...firstQueries(OVERVIEW.objects, {}),
        { object: "nope" },
        { field: "Region", selections: {} },
      ],
    };
    const { fake: f, real: r } = await both((base, token) =>
      send(base, "POST", "/anon/api/v1/apps/spending/queries", { token, body }),
    );
    expect(f).toEqual(r);
  });

  it("POST apps/{id}/objects/{object}/export (CSV)", async () => {
    const { fake: f, real: r } = await both((base, token) =>
      send(base, "POST", "/anon/api/v1/apps/spending/objects/detail/export?format=csv", {
        token,
        body: { selections: { Region: ["East"] } },
      }),
    );
    expect(f).toEqual(r);
  });

  it("POST visits/beacon and sessions/join-ticket", async () => {
    const { fake: f, real: r } = await both(async (base, token) => [
      await send(base, "POST", "/anon/api/v1/visits/beacon", {
        token,
        body: { type: "sheetView", app: "spending", sheet: "overview" },
      }),
      await send(base, "POST", "/anon/api/v1/sessions/join-ticket", { token, body: { origin: HOST_ORIGIN } }),
    ]);
    expect(f).toEqual(r);
  });

  it("without a session: UNAUTHENTICATED; after it ended: SESSION_EXPIRED", async () => {
    const ask = (base: string, token?: string) =>
      send(base, "GET", "/anon/api/v1/hub", token ? { token } : {});
    const fakeToken = (await session(fake.origin)).token;
    const realToken = (await session(real.url)).token;
    fake.expireSessions();
    real.advance(31 * 60_000);
    expect([await ask(fake.origin), await ask(fake.origin, fakeToken)]).toEqual([
      await ask(real.url),
      await ask(real.url, realToken),
    ]);
  });

  it("the pages: the embed page and the hub framed by the proxy's allow list and by Portico's own pages", async () => {
    const ancestors = async (base: string, page: string) => {
      const response = await fetch(`${base}${page}`);
      const csp = response.headers.get("content-security-policy") ?? "";
      return { status: response.status, frameAncestors: /frame-ancestors [^;]*/.exec(csp)?.[0] };
    };
    const pages = ["/anon/embed?app=spending", "/embed?app=spending", "/anon/hub", "/partner/hub?login=1"];
    const fromFake = await Promise.all(pages.map((page) => ancestors(fake.origin, page)));
    expect(fromFake).toEqual(await Promise.all(pages.map((page) => ancestors(real.url, page))));
  });
});
