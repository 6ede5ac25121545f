// Load shedding (issue 20, item 10): a Portico server in a child process (one core for it, one for the
// load) flooded by 500 autocannon connections asking for anonymous tickets (an ES256 signature each, the
// per-IP rate limit lifted), while probes call /healthz every 20 ms, each from a worker thread of its own
// (autocannon's busy event loop would otherwise count in their times). Cases: /healthz on the main port
// with no flood (baseline); under the flood with the default `server.maxRequestsInProgress` (64), on the
// main port and, at the same time, on the probe port (`server.probePort`, answered by a thread of its
// own); and on the main port under the same flood with no limit (0). The target is the probe port's p99
// under the flood: at most 50 ms, what an orchestrator's probe timeout leaves with room.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import {
  ConfigStore,
  createApp,
  createLogger,
  createPorticoServer,
  generateSigningKey,
  MemoryKeyRing,
  openSqliteStorage,
  readiness,
  startProbeListener,
} from "@portico/server";
import { startChildServer, stopChildServer } from "../lib/child-server.js";
import type { BenchCase, BenchSuite } from "../lib/types.js";

const ORIGIN = "http://localhost:5173";
const CONNECTIONS = 500;
const FLOOD_MS = 8000;
const PROBE_EVERY_MS = 20;
const HEALTHZ_P99_MAX_MS = 50;
/** `server.maxRequestsInProgress`'s default. */
const DEFAULT_LIMIT = 64;

type Autocannon = (
  options: Record<string, unknown>,
  done: (error: Error | null, result: { statusCodeStats?: Record<string, { count: number }> }) => void,
) => { stop(): void };
// autocannon ships no types; this is the part used here.
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

/** Child-process mode: a Portico app on a fresh SQLite file with the given in-progress limit; prints its port. */
async function serveForBench(dir: string, limit: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const yaml = `server:\n  publicUrl: http://127.0.0.1\n  maxRequestsInProgress: ${limit}\nvirtualProxies:\n  - prefix: ""\n  - prefix: anon\n    anonymousAccess: always\n    hostAllowList: ["${ORIGIN}"]\n`;
  const configStore = ConfigStore.fromText(yaml, join(dir, "portico.yaml"));
  const storage = await openSqliteStorage(join(dir, "portico.db"), { backgroundCheckpoints: true });
  const keys = new MemoryKeyRing([await generateSigningKey(Date.now())], Date.now);
  const app = createApp({
    configStore,
    storage,
    keys,
    logger: createLogger({ level: "warn", destination: new Writable({ write: (_c, _e, done) => done() }) }),
    rateLimit: { capacity: 1e9, refillPerSecond: 1e9 },
  });
  const server = createPorticoServer(app, "127.0.0.1");
  const probes = await startProbeListener({
    port: 0,
    host: "127.0.0.1",
    check: () => readiness({ configStore, storage }),
  });
  server.listen(0, "127.0.0.1", () => {
    const address = server.address() as { port: number };
    process.stdout.write(`${JSON.stringify({ port: address.port, probePort: probes.port })}\n`);
  });
  process.on("SIGTERM", () => server.close(() => void probes.close().then(() => process.exit(0))));
}

function startChild(dir: string, limit: number) {
  return startChildServer(fileURLToPath(import.meta.url), ["--overload-bench-server", dir, String(limit)]);
}

const stopChild = stopChildServer;

/** /healthz latencies at `url`, one call every PROBE_EVERY_MS for `ms`, from a worker thread of its own. */
async function probe(url: string, ms: number): Promise<number[]> {
  const code = `
    const { workerData, parentPort } = require("node:worker_threads");
    (async () => {
      const samples = [];
      const until = performance.now() + workerData.ms;
      while (performance.now() < until) {
        const start = performance.now();
        const res = await fetch(workerData.url);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error("/healthz answered " + res.status);
        samples.push(performance.now() - start);
        await new Promise((resolve) => setTimeout(resolve, workerData.every));
      }
      parentPort.postMessage(samples);
    })().catch((error) => { throw error; });`;
  const worker = new Worker(code, { eval: true, workerData: { url, ms, every: PROBE_EVERY_MS } });
  try {
    return await new Promise<number[]>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
  } finally {
    await worker.terminate();
  }
}

/** The flood for FLOOD_MS, with a probe of each of `urls` at the same time. */
async function underFlood(base: string, urls: string[]): Promise<{ samples: number[][]; statuses: string }> {
  let instance: { stop(): void } | undefined;
  const flood = new Promise<string>((resolve, reject) => {
    instance = autocannon(
      {
        url: `${base}/anon/api/v1/tickets/anonymous`,
        method: "POST",
        headers: { origin: ORIGIN },
        connections: CONNECTIONS,
        duration: Math.ceil(FLOOD_MS / 1000) + 2,
      },
      (error, result) => {
        if (error) reject(error);
        else
          resolve(
            Object.entries(result.statusCodeStats ?? {})
              .map(([status, { count }]) => `${status}: ${count}`)
              .join(", "),
          );
      },
    );
  });
  // Let the flood build up before measuring.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const samples = await Promise.all(urls.map((url) => probe(url, FLOOD_MS - 1000)));
  instance?.stop();
  return { samples, statuses: await flood };
}

export const overloadSuite: BenchSuite = {
  name: "overload",
  description: `/healthz while ${CONNECTIONS} connections flood the ticket endpoint, with and without load shedding`,
  async run(): Promise<BenchCase[]> {
    const dir = mkdtempSync(join(tmpdir(), "portico-bench-overload-"));
    const cases: BenchCase[] = [];
    try {
      const shedding = await startChild(join(dir, "a"), DEFAULT_LIMIT);
      let quiet: number[];
      let shed: { samples: number[][]; statuses: string };
      try {
        quiet = await probe(`${shedding.base}/healthz`, 4000);
        shed = await underFlood(shedding.base, [`${shedding.base}/healthz`, `${shedding.probeBase}/healthz`]);
      } finally {
        await stopChild(shedding.child);
      }
      const unlimited = await startChild(join(dir, "b"), 0);
      let open: { samples: number[][]; statuses: string };
      try {
        open = await underFlood(unlimited.base, [`${unlimited.base}/healthz`]);
      } finally {
        await stopChild(unlimited.child);
      }
      const requests = { opsPerIteration: 1, opsUnit: "requests", baseline: "/healthz, no flood" } as const;
      cases.push(
        { case: "/healthz, no flood", samplesMs: quiet, opsPerIteration: 1, opsUnit: "requests" },
        {
          case: `/healthz, flood, maxRequestsInProgress ${DEFAULT_LIMIT} (default)`,
          samplesMs: shed.samples[0] ?? [],
          ...requests,
          extra: { floodAnswers: shed.statuses },
        },
        {
          case: `probe port /healthz, same flood, maxRequestsInProgress ${DEFAULT_LIMIT} (default)`,
          samplesMs: shed.samples[1] ?? [],
          ...requests,
          target: { metric: "p99Ms", max: HEALTHZ_P99_MAX_MS },
        },
        {
          case: "/healthz, flood, no limit",
          samplesMs: open.samples[0] ?? [],
          ...requests,
          extra: { floodAnswers: open.statuses },
        },
      );
      return cases;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

if (process.argv[2] === "--overload-bench-server")
  await serveForBench(process.argv[3] as string, Number(process.argv[4]));
