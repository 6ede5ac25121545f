// Visit ingest. Over HTTP: `POST /anon/api/v1/visits/beacon` (session auth, rule check that the app is
// readable, group-committed insert, 204 only after COMMIT) against a Portico app running in a child
// process (one core for the server, one for the load generator), 50 concurrent autocannon connections
// over 50 sessions. Storage alone: VisitTracker.record() from 50 concurrent writers in-process, same
// SQLite settings (WAL, synchronous=NORMAL). Both count acknowledged events only. The HTTP cases also
// report the server's CPU per request (from /proc): on a shared machine it is the steadier number. The
// same beacon load against a bare Node server (body read, 204) shows the ceiling of the load generator and
// the kernel here, and `GET /healthz` on the Portico server its HTTP stack without a session or a write. The
// three HTTP loads run in turn, round by round, so they share the machine's moments (`interleavedRuns`).
// Each beacon case also runs against a second Portico server with its fast paths off
// (`PORTICO_FAST_PATHS=0` in the child), in the same rounds: what the fast paths save is measured here.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { createServer } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import {
  ConfigStore,
  createApp,
  createLogger,
  createPorticoServer,
  generateSigningKey,
  MemoryKeyRing,
  openSqliteStorage,
  TurnBufferedDestination,
  VisitTracker,
} from "@portico/server";
import { startChildServer, stopChildServer } from "../lib/child-server.js";
import { measure, percentile } from "../lib/timing.js";
import type { BenchCase, BenchSuite } from "../lib/types.js";

const ORIGIN = "http://localhost:5173";
const CLIENTS = 50;
const HTTP_EVENTS = 20_000;
/**
 * Measured runs per HTTP case (after a warm-up run), each ~1 s, in rounds with the other HTTP cases. This
 * machine's speed moves for tens of seconds at a time (the bare server's rate with it); five rounds keep
 * one such spell from setting the median.
 */
const HTTP_RUNS = 5;
/**
 * Sessions of the cold beacon case: at ~15k beacons/s each comes back every ~1.7 s, past the 1 s session
 * cache (and more than its 10,000 entries), so every beacon reads its session from storage and touches it,
 * as a real visitor's beacons, seconds apart, do.
 */
const COLD_SESSIONS = 25_000;
const STORAGE_EVENTS = 20_000;
const TARGET_EVENTS_PER_S = 20_000;
const CONFIG = `server:
  publicUrl: http://127.0.0.1
virtualProxies:
  - prefix: ""
  - prefix: anon
    anonymousAccess: always
    hostAllowList: ["${ORIGIN}"]
streams:
  - id: everyone
    name: Everyone
apps:
  - id: spending
    name: City spending
    stream: everyone
    sheets:
      - id: overview
        title: Overview
        objects:
          - id: total
            type: text
            text: hello
            position: { col: 0, row: 0, width: 6, height: 3 }
`;
const BEACON = JSON.stringify({ type: "sheetView", app: "spending", sheet: "overview" });

interface AutocannonResult {
  duration: number;
  non2xx: number;
  errors: number;
  "2xx": number;
  latency: { p50: number; p99: number };
  requests: { average: number };
}
type AutocannonInstance = { on(event: "response", listener: () => void): void };
type Autocannon = (
  options: Record<string, unknown>,
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;
// autocannon ships no types; this is the part used here.
const autocannonRaw = createRequire(import.meta.url)("autocannon") as Autocannon;

/**
 * Runs autocannon and times it from the call to the last response: autocannon itself only reports whole
 * seconds, which would swamp a 1-second run.
 */
function autocannon(options: Record<string, unknown>): Promise<AutocannonResult & { wallMs: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let last = start;
    const instance = autocannonRaw(options, (error, result) => {
      if (error) reject(error);
      else resolve({ ...result, wallMs: last - start });
    });
    instance.on("response", () => {
      last = performance.now();
    });
  });
}

/**
 * Child-process mode: a Portico app with the visit log on a fresh SQLite file; prints its port. Its fast
 * paths (`createApp`'s and `openSqliteStorage`'s, the one switch) are on unless `PORTICO_FAST_PATHS=0`.
 */
async function serveForBench(dir: string): Promise<void> {
  const devNull = openSync("/dev/null", "w");
  const fastPaths = process.env.PORTICO_FAST_PATHS !== "0";
  const configStore = ConfigStore.fromText(CONFIG, join(dir, "portico.yaml"));
  // As the server opens it (node.ts): the WAL checkpointed from a worker thread.
  const storage = await openSqliteStorage(join(dir, "portico.db"), {
    backgroundCheckpoints: true,
    fastPaths,
  });
  const keys = new MemoryKeyRing([await generateSigningKey(Date.now())], Date.now);
  const visits = new VisitTracker({ storage, config: () => configStore.current });
  const app = createApp({
    configStore,
    storage,
    keys,
    // As in production: a line per request at info, a turn's lines written synchronously in one write to a
    // file descriptor at the turn's end, as `createLogger()`'s default destination does (here /dev/null:
    // stdout carries the port to the parent). Logging is part of what a beacon costs (bench/README.md).
    logger: createLogger({
      destination: new TurnBufferedDestination({ write: (text: string) => writeSync(devNull, text) }),
    }),
    visits,
    rateLimit: { capacity: 1e9, refillPerSecond: 1e9 },
    fastPaths,
  });
  const server = createPorticoServer(app).listen(0, "127.0.0.1", () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  });
  process.on("SIGTERM", () => {
    server.close();
    void visits
      .close()
      .then(() => storage.close())
      .then(() => process.exit(0));
  });
}

/**
 * Child-process mode: a bare Node HTTP server that reads each request's body and answers 204, nothing else.
 * The same load against it shows what the load generator and the kernel can carry on this machine, so a
 * beacon rate far below it is the server's cost, not the client's ceiling.
 */
function serveBare(): void {
  const server = createServer((request, response) => {
    request.resume();
    request.once("end", () => {
      response.writeHead(204);
      response.end();
    });
  }).listen(0, "127.0.0.1", () => {
    process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  });
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}

/** A bench server in a child process; `fastPaths: false` starts it with `PORTICO_FAST_PATHS=0`. */
function startChild(
  mode: "--visits-bench-server" | "--visits-bench-bare",
  dir = "",
  fastPaths = true,
): Promise<{ child: ChildProcess; base: string }> {
  const env = { ...process.env, PORTICO_FAST_PATHS: fastPaths ? "1" : "0" };
  return startChildServer(fileURLToPath(import.meta.url), [mode, dir], env);
}

const stopChild = stopChildServer;

/** Ticks of the kernel's clock (USER_HZ): /proc reports CPU time in these. */
const USER_HZ = 100;

/**
 * CPU time the child has used so far, in microseconds, from /proc (Linux); undefined elsewhere. On a
 * machine shared with other work, wall-clock throughput swings several-fold between runs while the CPU
 * the server spends per event barely moves, so both are reported.
 */
function cpuMicros(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
    return Number.isFinite(ticks) ? (ticks * 1e6) / USER_HZ : undefined;
  } catch {
    return undefined;
  }
}

/** Server CPU per request over a run, in microseconds, to one decimal. */
function cpuPerOp(before: number | undefined, after: number | undefined, ops: number): number | string {
  return before === undefined || after === undefined ? "n/a" : Number(((after - before) / ops).toFixed(1));
}

async function anonymousSession(base: string): Promise<string> {
  const t = await fetch(`${base}/anon/api/v1/tickets/anonymous`, {
    method: "POST",
    headers: { origin: ORIGIN },
  });
  const { ticket } = (await t.json()) as { ticket: string };
  const s = await fetch(`${base}/anon/api/v1/sessions`, {
    method: "POST",
    headers: { origin: ORIGIN, "content-type": "application/json" },
    body: JSON.stringify({ ticket }),
  });
  if (s.status !== 201) throw new Error(`session: ${s.status} ${await s.text()}`);
  return ((await s.json()) as { sessionToken: string }).sessionToken;
}

/** `count` anonymous sessions, `CLIENTS` at a time. */
async function anonymousSessions(base: string, count: number): Promise<string[]> {
  const tokens: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next++ < count) tokens.push(await anonymousSession(base));
  };
  await Promise.all(Array.from({ length: CLIENTS }, worker));
  return tokens;
}

/**
 * The beacon load: 50 connections, the same body, each request with a session's bearer token. Every
 * connection cycles through all the sessions' requests, built once: a `setupRequest` hook (one token per
 * request from a counter) made autocannon rebuild every request and capped the client near 21k requests/s
 * on this machine, about the target itself.
 */
function beaconLoad(url: string, tokens: readonly string[]): Record<string, unknown> {
  return {
    url,
    connections: CLIENTS,
    amount: HTTP_EVENTS,
    method: "POST",
    body: BEACON,
    requests: tokens.map((token) => ({
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    })),
  };
}

/**
 * Several autocannon instances at once, as one load: their acknowledgements summed, the wall time to the
 * last response of any, the worst p99. Every connection of one instance walks the same `requests` list
 * from its start, in step; an instance per connection gives each its own sessions.
 */
async function autocannonAll(
  list: readonly Record<string, unknown>[],
): Promise<Pick<AutocannonResult, "non2xx" | "errors" | "latency"> & { wallMs: number }> {
  const results = await Promise.all(list.map((options) => autocannon(options)));
  return {
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    latency: {
      p50: percentile(
        results.map((r) => r.latency.p50),
        50,
      ),
      p99: Math.max(...results.map((r) => r.latency.p99)),
    },
    wallMs: Math.max(...results.map((r) => r.wallMs)),
  };
}

/**
 * The beacon load over many sessions, none twice in a row on a connection nor at once on two: one
 * single-connection autocannon per client, client `i` taking tokens `i`, `i + CLIENTS`, ...
 */
function coldBeaconLoad(url: string, tokens: readonly string[]): Record<string, unknown>[] {
  return Array.from({ length: CLIENTS }, (_, i) => ({
    ...beaconLoad(
      url,
      tokens.filter((_, t) => t % CLIENTS === i),
    ),
    connections: 1,
    amount: HTTP_EVENTS / CLIENTS,
  }));
}

/** One load against one server, measured in turn with the others (see `interleavedRuns`). */
interface LoadTarget {
  child: ChildProcess;
  /** One autocannon's options, or several run at once (`autocannonAll`). */
  load: () => Record<string, unknown> | Record<string, unknown>[];
  what: string;
}

/** What the runs of one `LoadTarget` gave. */
interface LoadRuns {
  samplesMs: number[];
  p99Ms: number;
  cpuUs: number | string;
  cpuUsRuns: string;
}

/**
 * A warm-up run of each target, then `HTTP_RUNS` rounds in which every target runs once, in turn: the
 * bare server, the beacons and `/healthz` see the same moments of the machine, so a slow spell (this
 * machine's speed moves by up to 40% for tens of seconds) lowers all of them in the same round instead
 * of one case alone. Per target: each run's wall time, the worst p99, the server's CPU per request
 * (median and each run's, warm-up first).
 */
async function interleavedRuns(targets: readonly LoadTarget[]): Promise<LoadRuns[]> {
  const runs = targets.map(() => ({ samplesMs: [] as number[], p99s: [] as number[], cpu: [] as number[] }));
  const runOnce = async (i: number, measured: boolean) => {
    const { child, load, what } = targets[i] as LoadTarget;
    const cpuBefore = cpuMicros(child.pid);
    const options = load();
    const result = await (Array.isArray(options) ? autocannonAll(options) : autocannon(options));
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`visits bench: ${what}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    const run = runs[i] as (typeof runs)[number];
    const perRequest = cpuPerOp(cpuBefore, cpuMicros(child.pid), HTTP_EVENTS);
    if (typeof perRequest === "number") run.cpu.push(perRequest);
    if (!measured) return;
    run.p99s.push(result.latency.p99);
    run.samplesMs.push(result.wallMs);
  };
  for (let i = 0; i < targets.length; i++) await runOnce(i, false);
  for (let round = 0; round < HTTP_RUNS; round++)
    for (let i = 0; i < targets.length; i++) await runOnce(i, true);
  return runs.map((run) => ({
    samplesMs: run.samplesMs,
    p99Ms: Math.max(...run.p99s),
    cpuUs: median(run.cpu),
    cpuUsRuns: run.cpu.join(" "),
  }));
}

const BARE_NODE_CASE = `HTTP POST to a bare Node server, ${CLIENTS} connections (load generator's ceiling)`;
const HEALTHZ_CASE = `HTTP GET /healthz, ${CLIENTS} connections`;
const BEACON_CASE = `HTTP beacon acks, ${CLIENTS} connections`;
const COLD_CASE = `${BEACON_CASE}, ${COLD_SESSIONS} sessions past the session cache`;
const FAST_PATHS_OFF = ", fast paths off";

type Started = Awaited<ReturnType<typeof startChild>>;

/** Starts the children in turn; when one fails, stops those already started. */
async function startChildren(starts: readonly (() => Promise<Started>)[]): Promise<Started[]> {
  const started: Started[] = [];
  try {
    for (const start of starts) started.push(await start());
    return started;
  } catch (error) {
    for (const s of started) await stopChild(s.child);
    throw error;
  }
}

/**
 * The beacon case `on` ran as against a server with its fast paths off, in the same rounds: its ratio
 * (baseline `on`) is what the fast paths give in beacons/s, `cpuVsFastPathsOn` in server CPU an event.
 */
function fastPathsOffCase(on: { name: string; runs: LoadRuns }, off: LoadRuns): BenchCase {
  const cpuRatio =
    typeof on.runs.cpuUs === "number" && typeof off.cpuUs === "number"
      ? Number((off.cpuUs / on.runs.cpuUs).toFixed(3))
      : "n/a";
  return {
    case: `${on.name}${FAST_PATHS_OFF}`,
    samplesMs: off.samplesMs,
    opsPerIteration: HTTP_EVENTS,
    opsUnit: "events",
    baseline: on.name,
    extra: {
      p99AckMs: off.p99Ms,
      serverCpuUsPerEvent: off.cpuUs,
      serverCpuUsPerEventRuns: off.cpuUsRuns,
      serverCpuUsPerEventFastPathsOn: on.runs.cpuUs,
      cpuVsFastPathsOn: cpuRatio,
    },
  };
}

/**
 * The HTTP cases, interleaved round by round: the beacon load against a bare Node server (`serveBare`,
 * what this machine carries before Portico does any work), beacons against Portico, the same beacons
 * against a Portico server with its fast paths off, and `GET /healthz` on the first Portico server (its
 * HTTP stack without a session or a write).
 */
async function httpCases(): Promise<BenchCase[]> {
  const dir = mkdtempSync(join(tmpdir(), "portico-bench-visits-http-"));
  const offDir = mkdtempSync(join(tmpdir(), "portico-bench-visits-http-off-"));
  const [bare, portico, plain] = (await startChildren([
    () => startChild("--visits-bench-bare"),
    () => startChild("--visits-bench-server", dir),
    () => startChild("--visits-bench-server", offDir, false),
  ]).catch((error: unknown) => {
    for (const d of [dir, offDir]) rmSync(d, { recursive: true, force: true });
    throw error;
  })) as [Started, Started, Started];
  try {
    const tokens = await anonymousSessions(portico.base, CLIENTS);
    const plainTokens = await anonymousSessions(plain.base, CLIENTS);
    // Tokens of a real one's length for the bare server, so the client builds the same requests.
    const fakeTokens = Array.from({ length: CLIENTS }, (_, i) => `bench-token-${i}`.padEnd(43, "x"));
    const [bareRuns, beacons, beaconsOff, healthz] = (await interleavedRuns([
      {
        child: bare.child,
        load: () => beaconLoad(`${bare.base}/anon/api/v1/visits/beacon`, fakeTokens),
        what: "the bare server",
      },
      {
        child: portico.child,
        load: () => beaconLoad(`${portico.base}/anon/api/v1/visits/beacon`, tokens),
        what: "beacons",
      },
      {
        child: plain.child,
        load: () => beaconLoad(`${plain.base}/anon/api/v1/visits/beacon`, plainTokens),
        what: "beacons, fast paths off",
      },
      {
        child: portico.child,
        load: () => ({ url: `${portico.base}/healthz`, connections: CLIENTS, amount: HTTP_EVENTS }),
        what: "/healthz",
      },
    ])) as [LoadRuns, LoadRuns, LoadRuns, LoadRuns];
    const bareP50 = percentile(bareRuns.samplesMs, 50);
    return [
      {
        case: BARE_NODE_CASE,
        samplesMs: bareRuns.samplesMs,
        opsPerIteration: HTTP_EVENTS,
        opsUnit: "requests",
        extra: { serverCpuUsPerRequest: bareRuns.cpuUs, serverCpuUsPerRequestRuns: bareRuns.cpuUsRuns },
      },
      {
        case: HEALTHZ_CASE,
        samplesMs: healthz.samplesMs,
        opsPerIteration: HTTP_EVENTS,
        opsUnit: "requests",
        extra: {
          p99Ms: healthz.p99Ms,
          serverCpuUsPerRequest: healthz.cpuUs,
          serverCpuUsPerRequestRuns: healthz.cpuUsRuns,
        },
      },
      {
        case: BEACON_CASE,
        samplesMs: beacons.samplesMs,
        opsPerIteration: HTTP_EVENTS,
        opsUnit: "events",
        baseline: HEALTHZ_CASE,
        target: { metric: "opsPerSec", min: TARGET_EVENTS_PER_S },
        extra: {
          p99AckMs: beacons.p99Ms,
          events: HTTP_EVENTS,
          // Beacons/s over the bare server's requests/s, medians of the same rounds.
          vsBareServer: Number((bareP50 / percentile(beacons.samplesMs, 50)).toFixed(3)),
          serverCpuUsPerEvent: beacons.cpuUs,
          // Each run's value, warm-up first: the first pays for compiling the path, the rest are steady.
          serverCpuUsPerEventRuns: beacons.cpuUsRuns,
        },
      },
      fastPathsOffCase({ name: BEACON_CASE, runs: beacons }, beaconsOff),
    ];
  } finally {
    for (const s of [portico, plain, bare]) await stopChild(s.child);
    for (const d of [dir, offDir]) rmSync(d, { recursive: true, force: true });
  }
}

/**
 * Beacons of sessions past the session cache, on two Portico servers of their own (fast paths on and
 * off, in turn round by round), after the other HTTP cases: each beacon reads its session and touches
 * it, scattering writes over a 25,000-row table that the WAL checkpoint worker then copies back; run
 * among the other cases, that copying was still going on in the next round's target case. No target:
 * what real visitors' beacons cost, next to the warm case.
 */
async function coldCases(): Promise<BenchCase[]> {
  const dirs = [true, false].map((on) =>
    mkdtempSync(join(tmpdir(), `portico-bench-visits-cold-${on ? "on" : "off"}-`)),
  );
  const servers = await startChildren(
    dirs.map((dir, i) => () => startChild("--visits-bench-server", dir, i === 0)),
  ).catch((error: unknown) => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    throw error;
  });
  try {
    const targets: LoadTarget[] = [];
    for (const [i, server] of servers.entries()) {
      const tokens = await anonymousSessions(server.base, COLD_SESSIONS);
      targets.push({
        child: server.child,
        load: () => coldBeaconLoad(`${server.base}/anon/api/v1/visits/beacon`, tokens),
        what: `beacons of sessions past the cache${i === 0 ? "" : FAST_PATHS_OFF}`,
      });
    }
    const [cold, coldOff] = (await interleavedRuns(targets)) as [LoadRuns, LoadRuns];
    return [
      {
        case: COLD_CASE,
        samplesMs: cold.samplesMs,
        opsPerIteration: HTTP_EVENTS,
        opsUnit: "events",
        baseline: BEACON_CASE,
        extra: {
          p99AckMs: cold.p99Ms,
          serverCpuUsPerEvent: cold.cpuUs,
          serverCpuUsPerEventRuns: cold.cpuUsRuns,
        },
      },
      fastPathsOffCase({ name: COLD_CASE, runs: cold }, coldOff),
    ];
  } finally {
    for (const s of servers) await stopChild(s.child);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

/** The middle sample (the warm-up run included: CPU per event varies far less than wall time). */
function median(values: number[]): number | string {
  if (values.length === 0) return "n/a";
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function storageCase(): Promise<BenchCase> {
  const dir = mkdtempSync(join(tmpdir(), "portico-bench-visits-storage-"));
  const configStore = ConfigStore.fromText(CONFIG, join(dir, "portico.yaml"));
  const storage = await openSqliteStorage(join(dir, "portico.db"), { backgroundCheckpoints: true });
  const tracker = new VisitTracker({ storage, config: () => configStore.current });
  const latencies: number[] = [];
  try {
    const run = async () => {
      let left = STORAGE_EVENTS;
      const writer = async (w: number) => {
        while (left-- > 0) {
          const start = performance.now();
          await tracker.record({
            time: Date.now(),
            type: "sheetView",
            proxy: "anon",
            sessionId: `session-${w}`,
            userDirectory: "NONE",
            userId: `anonymous-${w}`,
            anonymous: true,
            ip: `203.0.113.${w}`,
            userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36",
            origin: ORIGIN,
            app: "spending",
            sheet: "overview",
          });
          latencies.push(performance.now() - start);
        }
      };
      await Promise.all(Array.from({ length: CLIENTS }, (_, w) => writer(w)));
    };
    const samplesMs = await measure(run, { warmup: 1, iterations: 5, maxTimeMs: 20_000 });
    return {
      case: `storage record(), ${CLIENTS} writers`,
      samplesMs,
      opsPerIteration: STORAGE_EVENTS,
      opsUnit: "events",
      extra: { p99AckMs: Number(percentile(latencies, 99).toFixed(2)) },
    };
  } finally {
    await tracker.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const visitsSuite: BenchSuite = {
  name: "visits",
  description: `acknowledged (committed) visit events/s: HTTP beacons (${CLIENTS} connections, server in a child process) of ${CLIENTS} sessions kept in the session cache and of ${COLD_SESSIONS} past it, each with the fast paths on and off, and the storage alone; the same load against a bare Node server for the machine's ceiling`,
  async run(): Promise<BenchCase[]> {
    return [await storageCase(), ...(await httpCases()), ...(await coldCases())];
  },
};

if (process.argv[2] === "--visits-bench-server") await serveForBench(process.argv[3] as string);
if (process.argv[2] === "--visits-bench-bare") serveBare();
