// One visitor must not stall the server or the others (issue: hostile visitors, item 2). A real server
// over HTTP with a 300,000-row app whose table object sorts 300,000 groups (a few hundred ms of engine
// work): what runs while such a query runs, what is refused and what is stopped. Assertions are about
// order and codes, never about durations.
import type { AddressInfo } from "node:net";
import { MAX_BATCH_QUERIES } from "@portico/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { createApp, createPorticoServer } from "../app.js";
import { BIG_APP, bigCsv } from "../testing/big-app.js";
import { dataRules } from "../testing/data-fixture.js";
import { PORTAL, SECRETS, secretHashes } from "../testing/harness.js";
import { openServerParts } from "../testing/server-parts.js";
import { AppDataService } from "./app-data-service.js";

const ROWS = 300_000;
const BIG_CSV = bigCsv(ROWS);

interface Server {
  url: string;
  close(): Promise<void>;
}
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** `server.queries` of the test's server: a generous time budget unless the test is about it. */
async function start(limits: Record<string, number>): Promise<Server> {
  const queries = { timeoutMs: 60_000, ...limits };
  const hashes = await secretHashes();
  const config = {
    // The backlog test keeps 130 requests in progress: no load shedding in the way.
    server: { port: 0, publicUrl: "http://portico.test", queries, maxRequestsInProgress: 0 },
    storage: "sqlite:./portico.db",
    admin: { apiKeys: [{ name: "ops", keyHash: hashes.admin }] },
    virtualProxies: [
      { prefix: "", anonymousAccess: "none" },
      { prefix: "anon", anonymousAccess: "always", hostAllowList: [PORTAL] },
    ],
    streams: [{ id: "public", name: "Public" }],
    apps: [BIG_APP],
    securityRules: dataRules(),
  };
  const parts = await openServerParts(JSON.stringify(config), {
    clock: Date.now,
    logLevel: "info",
    tempPrefix: "portico-isolation-",
    files: { "big.csv": BIG_CSV },
  });
  const { configStore, storage, keys, logger } = parts;
  const appData = new AppDataService({ logger });
  await appData.attach(configStore);
  const app = createApp({
    configStore,
    storage,
    keys,
    logger,
    appData,
    rateLimit: { capacity: 10_000, refillPerSecond: 10_000 },
  });
  const server = createPorticoServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const running = {
    url,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.queryPool.close();
      await parts.close();
    },
  };
  servers.push(running);
  return running;
}

async function session(server: Server): Promise<string> {
  const ticket = await fetch(`${server.url}/anon/api/v1/tickets/anonymous`, {
    method: "POST",
    headers: { origin: PORTAL },
  });
  const { ticket: value } = (await ticket.json()) as { ticket: string };
  const res = await fetch(`${server.url}/anon/api/v1/sessions`, {
    method: "POST",
    headers: { origin: PORTAL, "content-type": "application/json" },
    body: JSON.stringify({ ticket: value }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { sessionToken: string }).sessionToken;
}

function query(server: Server, token: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}/anon/api/v1/apps/big/query`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** A query of the 300,000-row cube; each `variant` sorts differently, so no cache answers it. */
const heavy = (variant: number) => ({
  object: "rows",
  sort: { column: variant % 2, descending: variant >= 2 },
  page: { offset: 0, limit: 10 },
});
const light = { object: "by-region" };

/** Settles in order: the labels of the promises in the order they settled. */
function settleOrder(entries: Record<string, Promise<unknown>>): Promise<string[]> {
  const order: string[] = [];
  return Promise.all(
    Object.entries(entries).map(([label, promise]) =>
      promise.then(
        () => order.push(label),
        () => order.push(label),
      ),
    ),
  ).then(() => order);
}

/** A gauge of `/metrics`. */
async function gauge(server: Server, name: string): Promise<number> {
  const res = await fetch(`${server.url}/metrics`, {
    headers: { authorization: `Bearer ops:${SECRETS.adminKey}` },
  });
  const line = (await res.text()).split("\n").find((l) => l.startsWith(`${name} `));
  return Number(line?.split(" ")[1]);
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("query isolation", () => {
  it("answers /healthz and a cached query while engine work runs", async () => {
    const server = await start({ workers: 1 });
    const [a, b] = [await session(server), await session(server)];
    expect((await query(server, b, light)).status).toBe(200); // now cached
    const slow = query(server, a, heavy(0)).then(async (res) => expect(res.status).toBe(200));
    await tick(50);
    const order = await settleOrder({
      slow,
      healthz: fetch(`${server.url}/healthz`).then((res) => expect(res.status).toBe(200)),
      cached: query(server, b, light).then((res) => expect(res.status).toBe(200)),
    });
    expect(order.indexOf("healthz")).toBeLessThan(order.indexOf("slow"));
    expect(order.indexOf("cached")).toBeLessThan(order.indexOf("slow"));
  });

  it("refuses with 503 BUSY and Retry-After beyond the queue limit", async () => {
    const server = await start({ workers: 1, queueLimit: 1 });
    const tokens = [await session(server), await session(server), await session(server)];
    const first = query(server, tokens[0]!, heavy(0));
    await tick(50);
    const second = query(server, tokens[1]!, heavy(1));
    await tick(50);
    const third = await query(server, tokens[2]!, heavy(2));
    expect(third.status).toBe(503);
    expect(third.headers.get("retry-after")).toBe("1");
    expect(((await third.json()) as { error: { code: string } }).error.code).toBe("BUSY");
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
  });

  it("lets one session run at most perSession queries at once: another session's query goes ahead", async () => {
    const server = await start({ workers: 2, perSession: 1 });
    const [a, b] = [await session(server), await session(server)];
    const first = query(server, a, heavy(0));
    const second = query(server, a, heavy(1));
    while ((await gauge(server, "portico_queries_running")) === 0) await tick(20);
    await tick(100);
    // The session's second query waits for its first, outside the server's queue, with a worker idle.
    expect(await gauge(server, "portico_queries_running")).toBe(1);
    expect(await gauge(server, "portico_queries_queued")).toBe(0);
    const order = await settleOrder({ first, second, other: query(server, b, light) });
    // The other session's query runs on the idle worker at once. It is not held behind the session's second
    // query, which waits for the first and then takes as long again; whether it also ends before the first
    // (already running for a while) depends on the machine's speed, so that is not asserted.
    expect(order.indexOf("other")).toBeLessThan(order.indexOf("second"));
    expect(order.indexOf("first")).toBeLessThan(order.indexOf("second"));
    for (const res of await Promise.all([first, second])) expect(res.status).toBe(200);
  });

  it("refuses a session's queries past its backlog of two batches with 503 BUSY", async () => {
    const server = await start({ workers: 1, perSession: 1 });
    const token = await session(server);
    const running = query(server, token, heavy(0));
    await tick(50);
    // Distinct searches: no cached answer; each waits behind the session's one running query.
    const waiting = Array.from({ length: 2 * MAX_BATCH_QUERIES + 1 }, (_, i) =>
      query(server, token, { field: "Region", search: `R${i}` }),
    );
    const statuses = await Promise.all(waiting.map(async (res) => (await res).status));
    expect(statuses.filter((status) => status === 503)).toHaveLength(1);
    expect(statuses.filter((status) => status === 200)).toHaveLength(2 * MAX_BATCH_QUERIES);
    expect((await running).status).toBe(200);
  });

  it("stops a query past its time budget with 503 QUERY_TIMEOUT; the next query gets a fresh worker", async () => {
    const server = await start({ workers: 1, timeoutMs: 20 });
    const token = await session(server);
    const res = await query(server, token, heavy(0));
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("QUERY_TIMEOUT");
    expect((await query(server, token, { field: "Region" })).status).toBe(200);
    const metrics = await (
      await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ops:${SECRETS.adminKey}` } })
    ).text();
    expect(metrics).toMatch(/portico_queries_refused_total\{code="QUERY_TIMEOUT"\} [1-9]/);
  });
});
