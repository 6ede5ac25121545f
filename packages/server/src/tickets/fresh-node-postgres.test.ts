// A node that starts while the cluster is under load: every ticket it signs verifies on the other node at
// once, however many arrive together. Two real servers (startServer) on one real PostgreSQL cluster.
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

const TICKETS = 40;
let dir: string;
let pg: TestPostgres;
const servers: RunningServer[] = [];
const quiet = () => createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portico-fresh-node-"));
  pg = await startPostgres();
}, 60_000);
afterAll(async () => {
  for (const server of servers.splice(0)) await server.close();
  await pg?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A node with its own folder (so its own signing key) on the shared cluster. */
async function startNode(name: string): Promise<RunningServer> {
  const nodeDir = path.join(dir, name);
  await mkdir(nodeDir);
  // Many sessions from one address, on purpose: the anonymous budgets are not what this test is about.
  const yaml = withAnonymousLimits(await classicConfig(), NO_ANONYMOUS_LIMITS).replace(
    "storage: sqlite:./data/portico.db",
    `storage: ${pg.url}`,
  );
  await writeFile(path.join(nodeDir, "portico.yaml"), yaml);
  const server = await startServer({
    configPath: path.join(nodeDir, "portico.yaml"),
    port: 0,
    logger: quiet(),
    watch: false,
    frameDir: path.join(dir, "no-frame"),
    // Three loops from one address as fast as the node answers: not what the per-address rate limit is for.
    rateLimit: { capacity: 1e9, refillPerSecond: 1e9 },
  });
  servers.push(server);
  return server;
}

async function ticket(server: RunningServer): Promise<string> {
  const res = await fetch(`${server.url}/anon/api/v1/tickets/anonymous`, {
    method: "POST",
    headers: { origin: PORTAL },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { ticket: string }).ticket;
}

async function redeem(server: RunningServer, t: string): Promise<number> {
  const res = await fetch(`${server.url}/anon/api/v1/sessions`, {
    method: "POST",
    headers: { origin: PORTAL, "content-type": "application/json" },
    body: JSON.stringify({ ticket: t }),
  });
  await res.arrayBuffer();
  return res.status;
}

describe("a fresh node in a PostgreSQL cluster", () => {
  it("signs tickets that the other node redeems at once, all of them, while it is under load", async () => {
    const a = await startNode("a");
    let stop = false;
    const loadStatuses: number[] = [];
    const load = async () => {
      while (!stop) loadStatuses.push(await redeem(a, await ticket(a)));
    };
    const clients = [load(), load(), load()];

    const b = await startNode("b");
    const tickets = await Promise.all(Array.from({ length: TICKETS }, () => ticket(b)));
    const statuses = await Promise.all(tickets.map((t) => redeem(a, t)));
    stop = true;
    await Promise.all(clients);

    expect(statuses).toEqual(tickets.map(() => 201));
    expect(loadStatuses.length).toBeGreaterThan(0);
    expect(loadStatuses.filter((s) => s !== 201)).toEqual([]);
  }, 60_000);
});
