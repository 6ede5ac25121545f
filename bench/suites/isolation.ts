// One hostile visitor against everyone else (issue 19, item 2): a real listening server with a
// 500,000-row app and its default query limits. One anonymous session keeps four pages of the app's
// largest cube in flight (a table of 500,000 ids), each under a fresh random selection and sort so no
// cache answers it, while a second visitor repeats a query it has already asked (a cached answer) and a
// probe calls /healthz. Measured: the second visitor's and the probe's latencies, first without the
// hostile load, then with it, in the same run; the target is each p99 at most 3x its quiet p99.
// Client and server share this process, as in the server suite.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import {
  AppDataService,
  ConfigStore,
  createApp,
  createLogger,
  createPorticoServer,
  generateSigningKey,
  MemoryKeyRing,
  openSqliteStorage,
} from "@portico/server";
import { BIG_APP, BIG_REGIONS, bigCsv } from "../../packages/server/src/testing/big-app.js";
import type { BenchCase, BenchSuite } from "../lib/types.js";

const ORIGIN = "http://localhost:5173";
const ROWS = 500_000;
/** Hostile requests in flight at once, as in the reproduction. */
const HOSTILE_IN_FLIGHT = 4;
const PHASE_MS = 6000;
/** Pause between two requests of the visitor, and of the probe. */
const PACE_MS = 10;
const P99_SLOWDOWN_MAX = 3;

function configYaml(): string {
  const config = {
    server: { publicUrl: "http://127.0.0.1" },
    virtualProxies: [
      { prefix: "", anonymousAccess: "none" },
      { prefix: "anon", anonymousAccess: "always", hostAllowList: [ORIGIN] },
    ],
    streams: [{ id: "public", name: "Public" }],
    apps: [BIG_APP],
    securityRules: [
      { name: "Apps", resourceFilter: "App*", actions: ["read"], condition: "user.IsAnonymous()" },
      { name: "Streams", resourceFilter: "Stream_*", actions: ["read"], condition: "user.IsAnonymous()" },
    ],
  };
  return JSON.stringify(config, null, 2);
}

async function session(url: string): Promise<string> {
  const ticket = await fetch(`${url}/anon/api/v1/tickets/anonymous`, {
    method: "POST",
    headers: { origin: ORIGIN },
  });
  if (ticket.status !== 201) throw new Error(`ticket: ${ticket.status} ${await ticket.text()}`);
  const { ticket: value } = (await ticket.json()) as { ticket: string };
  const res = await fetch(`${url}/anon/api/v1/sessions`, {
    method: "POST",
    headers: { origin: ORIGIN, "content-type": "application/json" },
    body: JSON.stringify({ ticket: value }),
  });
  if (res.status !== 201) throw new Error(`session: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { sessionToken: string }).sessionToken;
}

function query(url: string, token: string, body: unknown): Promise<Response> {
  return fetch(`${url}/anon/api/v1/apps/big/query`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** A page of the 500,000-id cube under a random selection and sort: nothing cached answers it. */
function hostileQuery(random: () => number) {
  const regions = BIG_REGIONS.filter(() => random() < 0.6);
  return {
    object: "rows",
    selections: regions.length > 0 ? { Region: regions } : {},
    sort: { column: Math.floor(random() * 2), descending: random() < 0.5 },
    page: { offset: Math.floor(random() * 400) * 1000, limit: 1000 },
  };
}

/** Times `call` every PACE_MS until `until`. */
async function sample(call: () => Promise<Response>, until: number): Promise<number[]> {
  const samples: number[] = [];
  while (performance.now() < until) {
    const start = performance.now();
    const res = await call();
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`expected 200, got ${res.status}`);
    samples.push(performance.now() - start);
    await new Promise((resolve) => setTimeout(resolve, PACE_MS));
  }
  return samples;
}

/** A small deterministic generator, so every run asks the same sequence. */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

export const isolationSuite: BenchSuite = {
  name: "isolation",
  description: `one hostile session (${HOSTILE_IN_FLIGHT} uncached pages of a ${ROWS.toLocaleString("en")}-row cube in flight) vs a visitor's cached query and /healthz`,
  async run(): Promise<BenchCase[]> {
    const dir = mkdtempSync(join(tmpdir(), "portico-bench-isolation-"));
    const silent = createLogger({
      level: "warn",
      destination: new Writable({ write: (_c, _e, done) => done() }),
    });
    writeFileSync(join(dir, "big.csv"), bigCsv(ROWS));
    const configStore = ConfigStore.fromText(configYaml(), join(dir, "portico.yaml"));
    const storage = await openSqliteStorage(join(dir, "portico.db"), { backgroundCheckpoints: true });
    const keys = new MemoryKeyRing([await generateSigningKey(Date.now())], Date.now);
    const appData = new AppDataService({ logger: silent });
    await appData.attach(configStore);
    const app = createApp({
      configStore,
      storage,
      keys,
      logger: silent,
      appData,
      rateLimit: { capacity: 1e9, refillPerSecond: 1e9 },
    });
    const server = createPorticoServer(app);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const [hostile, visitor] = [await session(url), await session(url)];
      const cached = { object: "by-region", selections: { Region: [BIG_REGIONS[0]!, BIG_REGIONS[2]!] } };
      const visit = () => query(url, visitor, cached);
      const probe = () => fetch(`${url}/healthz`);
      // Warm: the visitor's answer is cached, the workers are up with the model loaded.
      for (let i = 0; i < 20; i++) await (await visit()).arrayBuffer();
      await (await query(url, hostile, hostileQuery(seeded(1)))).arrayBuffer();

      const quietUntil = performance.now() + PHASE_MS;
      const [quietVisit, quietProbe] = await Promise.all([
        sample(visit, quietUntil),
        sample(probe, quietUntil),
      ]);

      const random = seeded(42);
      const outcomes = new Map<number, number>();
      const loadUntil = performance.now() + PHASE_MS;
      const attacker = async () => {
        while (performance.now() < loadUntil) {
          const res = await query(url, hostile, hostileQuery(random));
          await res.arrayBuffer();
          outcomes.set(res.status, (outcomes.get(res.status) ?? 0) + 1);
        }
      };
      const attackers = Array.from({ length: HOSTILE_IN_FLIGHT }, attacker);
      const [loadVisit, loadProbe] = await Promise.all([sample(visit, loadUntil), sample(probe, loadUntil)]);
      await Promise.all(attackers);
      const hostileAnswers = [...outcomes].map(([status, n]) => `${status}: ${n}`).join(", ");

      return [
        {
          case: "visitor cached query, quiet",
          samplesMs: quietVisit,
          opsPerIteration: 1,
          opsUnit: "requests",
        },
        {
          case: "visitor cached query, hostile load",
          samplesMs: loadVisit,
          opsPerIteration: 1,
          opsUnit: "requests",
          baseline: "visitor cached query, quiet",
          target: { metric: "p99Slowdown", max: P99_SLOWDOWN_MAX },
          extra: { hostileAnswers },
        },
        { case: "/healthz, quiet", samplesMs: quietProbe, opsPerIteration: 1, opsUnit: "requests" },
        {
          case: "/healthz, hostile load",
          samplesMs: loadProbe,
          opsPerIteration: 1,
          opsUnit: "requests",
          baseline: "/healthz, quiet",
          target: { metric: "p99Slowdown", max: P99_SLOWDOWN_MAX },
        },
      ];
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.queryPool.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
