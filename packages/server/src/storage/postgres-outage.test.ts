// Two real nodes (startServer) on one real PostgreSQL, which restarts and freezes under them (issue 20,
// items 1 and 2): no node exits, storage trouble answers 503 STORAGE_UNAVAILABLE with Retry-After (never a
// 500, never a hang), /healthz stays up, /readyz says "not ready" within its second, and the nodes recover
// on their own when the database is back, with every acknowledged session present.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../node.js";
import { createLogger } from "../ops/create-logger.js";
import { NO_ANONYMOUS_LIMITS, withAnonymousLimits } from "../testing/anonymous-limits.js";
import { classicConfig, PORTAL } from "../testing/harness.js";
import { startPostgres, type TestPostgres } from "../testing/postgres.js";

const CONNECT_TIMEOUT_MS = 500;
const QUERY_TIMEOUT_MS = 1000;

let pg: TestPostgres;
let dir: string;
const nodes: RunningServer[] = [];
const logs: string[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  dir = await mkdtemp(path.join(tmpdir(), "portico-outage-"));
  const storage = `storage: { url: "${pg.url}", connectTimeoutMs: ${CONNECT_TIMEOUT_MS}, queryTimeoutMs: ${QUERY_TIMEOUT_MS} }`;
  // Many sessions from one address on purpose: the anonymous budgets are not what this is about.
  const yaml = withAnonymousLimits(await classicConfig(), NO_ANONYMOUS_LIMITS).replace(
    /^storage: .*$/m,
    storage,
  );
  for (const name of ["a", "b"]) {
    const nodeDir = path.join(dir, name);
    await mkdir(nodeDir);
    await writeFile(path.join(nodeDir, "portico.yaml"), yaml);
    const logger = createLogger({
      level: "warn",
      destination: new Writable({
        write(chunk, _e, done) {
          logs.push(String(chunk));
          done();
        },
      }),
    });
    nodes.push(
      await startServer({
        configPath: path.join(nodeDir, "portico.yaml"),
        port: 0,
        logger,
        watch: false,
        frameDir: path.join(dir, "no-frame"),
        // Four loops from one address as fast as the nodes answer: the per-address ticket rate limit (60
        // at once, 10 a second) would answer them with 429 within half a second on a quiet machine.
        rateLimit: { capacity: 1e9, refillPerSecond: 1e9 },
      }),
    );
  }
}, 60_000);

afterAll(async () => {
  for (const node of nodes.splice(0)) await node.close();
  await pg?.stop();
  await rm(dir, { recursive: true, force: true });
});

interface Outcome {
  status: number;
  retryAfter: string | null;
  code?: string;
  token?: string;
}

/** An anonymous ticket and its redemption on `node`: the redemption writes the session. */
async function startSession(node: RunningServer): Promise<Outcome> {
  const ticket = await fetch(`${node.url}/anon/api/v1/tickets/anonymous`, {
    method: "POST",
    headers: { origin: PORTAL },
  });
  if (ticket.status !== 201) return outcome(ticket);
  const { ticket: value } = (await ticket.json()) as { ticket: string };
  const res = await fetch(`${node.url}/anon/api/v1/sessions`, {
    method: "POST",
    headers: { origin: PORTAL, "content-type": "application/json" },
    body: JSON.stringify({ ticket: value }),
  });
  if (res.status !== 201) return outcome(res);
  return {
    status: 201,
    retryAfter: null,
    token: ((await res.json()) as { sessionToken: string }).sessionToken,
  };
}

async function outcome(res: Response): Promise<Outcome> {
  const body = (await res.json().catch(() => ({}))) as { error?: { code: string } };
  return { status: res.status, retryAfter: res.headers.get("retry-after"), code: body.error?.code };
}

/** Starts sessions on both nodes in turn until `done()` says stop. */
async function load(done: () => boolean): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const worker = async (node: RunningServer) => {
    while (!done()) outcomes.push(await startSession(node));
  };
  await Promise.all([worker(nodes[0]!), worker(nodes[1]!), worker(nodes[0]!), worker(nodes[1]!)]);
  return outcomes;
}

/** Refusals are 503 STORAGE_UNAVAILABLE with Retry-After; nothing else but success. */
function expectOnlyOutages(outcomes: Outcome[]): void {
  for (const o of outcomes.filter((o) => o.status !== 201)) {
    expect(o).toMatchObject({ status: 503, code: "STORAGE_UNAVAILABLE", retryAfter: "2" });
  }
}

async function sessionExists(node: RunningServer, token: string): Promise<boolean> {
  const res = await fetch(`${node.url}/anon/api/v1/hub`, { headers: { authorization: `Bearer ${token}` } });
  return res.status === 200;
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("PostgreSQL outages", () => {
  it("a restart under load: no node exits, the outage answers 503 with Retry-After, then both recover", async () => {
    let stop = false;
    let restarted = false;
    const running = load(() => stop);
    await tick(500);
    pg.restart();
    restarted = true;
    const after: Outcome[] = [];
    // Both nodes recover on their own: a session starts on each within a few seconds.
    for (const node of nodes) {
      for (let i = 0; i < 50; i++) {
        const o = await startSession(node);
        after.push(o);
        if (o.status === 201) break;
        await tick(200);
      }
      expect(after.at(-1)?.status).toBe(201);
    }
    stop = true;
    const outcomes = [...(await running), ...after];
    expect(restarted).toBe(true);
    expectOnlyOutages(outcomes);
    const acknowledged = outcomes.filter((o) => o.token !== undefined);
    expect(acknowledged.length).toBeGreaterThan(2);
    for (const o of acknowledged) expect(await sessionExists(nodes[0]!, o.token!)).toBe(true);
    expect(logs.join("")).not.toContain('"level":50');
  }, 60_000);

  it("a frozen database: requests answer 503 instead of hanging, /readyz too, /healthz stays up", async () => {
    const node = nodes[0]!;
    expect((await startSession(node)).status).toBe(201);
    pg.freeze();
    try {
      const started = Date.now();
      const frozen = await startSession(node);
      expect(frozen).toMatchObject({ status: 503, code: "STORAGE_UNAVAILABLE", retryAfter: "2" });
      // Bounded by the configured timeouts (a generous bound: the point is "not hanging").
      expect(Date.now() - started).toBeLessThan(10 * (CONNECT_TIMEOUT_MS + QUERY_TIMEOUT_MS));
      const ready = await fetch(`${node.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: { storage: boolean } }).checks.storage).toBe(false);
      expect((await fetch(`${node.url}/healthz`)).status).toBe(200);
    } finally {
      pg.thaw();
    }
    for (let i = 0; i < 50; i++) {
      if ((await startSession(node)).status === 201) break;
      await tick(200);
    }
    expect((await startSession(node)).status).toBe(201);
    expect((await fetch(`${node.url}/readyz`)).status).toBe(200);
  }, 60_000);
});
