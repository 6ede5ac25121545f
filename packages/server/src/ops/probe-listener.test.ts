// The probe listener (`server.probePort`): a thread of its own answers /healthz and /readyz while the main
// event loop is blocked; liveness fails only for a stuck loop, readiness follows the main thread's checks.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it, vi } from "vitest";
import { parseConfigText } from "../config/load-config.js";
import { type RunningServer, startServer } from "../node.js";
import { classicConfig } from "../testing/harness.js";
import { createLogger } from "./create-logger.js";
import { type ProbeListener, startProbeListener } from "./probe-listener.js";

const quiet = () => createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });
const listeners: ProbeListener[] = [];
afterAll(async () => {
  for (const l of listeners) await l.close();
});

async function listener(options: Partial<Parameters<typeof startProbeListener>[0]> = {}) {
  const l = await startProbeListener({
    port: 0,
    host: "127.0.0.1",
    check: async () => ({ config: true, storage: true }),
    ...options,
  });
  listeners.push(l);
  return l;
}

/**
 * GETs `urls` from a worker thread, one after the other and `delayMs` after the start, while this thread
 * blocks for `blockMs` (no event loop here: only another thread can answer). Each answer's status, body
 * and time from the start.
 */
async function fetchWhileBlocked(urls: string[], blockMs: number, delayMs = 0) {
  const go = new Int32Array(new SharedArrayBuffer(4));
  const code = `
    const { workerData, parentPort } = require("node:worker_threads");
    Atomics.wait(workerData.go, 0, 0);
    (async () => {
      const start = Date.now();
      await new Promise((resolve) => setTimeout(resolve, workerData.delayMs));
      const out = [];
      for (const url of workerData.urls) {
        try {
          const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
          out.push({ status: res.status, body: await res.json(), ms: Date.now() - start });
        } catch {
          out.push({ status: 0, ms: Date.now() - start });
        }
      }
      parentPort.postMessage(out);
    })();`;
  const worker = new Worker(code, { eval: true, workerData: { go, urls, delayMs } });
  const answered = new Promise<Array<{ status: number; body?: unknown; ms: number }>>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  await new Promise((resolve) => worker.once("online", resolve));
  Atomics.store(go, 0, 1);
  Atomics.notify(go, 0);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, blockMs);
  const out = await answered;
  await worker.terminate();
  return out;
}

const get = async (l: ProbeListener, p: string, init?: RequestInit) => {
  const res = await fetch(`http://127.0.0.1:${l.port}${p}`, init);
  return { status: res.status, headers: res.headers, body: await res.json() };
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("probe listener", () => {
  it("answers /healthz and /readyz while the main event loop is blocked", async () => {
    const l = await listener();
    const [health, ready] = await fetchWhileBlocked(
      [`http://127.0.0.1:${l.port}/healthz`, `http://127.0.0.1:${l.port}/readyz`],
      1500,
    );
    expect(health).toMatchObject({ status: 200, body: { status: "ok" } });
    expect(ready).toMatchObject({ status: 200, body: { status: "ready" } });
    // Both answered long before the block ended.
    expect(ready!.ms).toBeLessThan(1000);
  });

  it("fails liveness once the main loop has been stuck for stallMs, and recovers when it turns again", async () => {
    const l = await listener({ stallMs: 400 });
    const [stuck] = await fetchWhileBlocked([`http://127.0.0.1:${l.port}/healthz`], 1500, 800);
    expect(stuck).toMatchObject({ status: 503, body: { status: "stalled" } });
    expect((stuck!.body as { eventLoopIdleMs: number }).eventLoopIdleMs).toBeGreaterThanOrEqual(400);
    await sleep(250);
    expect((await get(l, "/healthz")).status).toBe(200);
  });

  it("follows the main thread's readiness checks, and is not ready once draining", async () => {
    let storage = true;
    const l = await listener({ checkEveryMs: 50, check: async () => ({ config: true, storage }) });
    expect((await get(l, "/readyz")).status).toBe(200);
    storage = false;
    await sleep(200);
    const down = await get(l, "/readyz");
    expect(down).toMatchObject({
      status: 503,
      body: { status: "not ready", checks: { config: true, storage: false } },
    });
    expect(down.headers.get("retry-after")).toBe("1");
    storage = true;
    await sleep(200);
    expect((await get(l, "/readyz")).status).toBe(200);
    l.drain();
    expect((await get(l, "/readyz")).status).toBe(503);
    // Draining is about traffic, not life.
    expect((await get(l, "/healthz")).status).toBe(200);
  });

  it("is not ready when the checks stop finishing (a storage call that never returns)", async () => {
    let hang = false;
    const l = await listener({
      checkEveryMs: 50,
      check: () => (hang ? new Promise(() => undefined) : Promise.resolve({ config: true, storage: true })),
    });
    expect((await get(l, "/readyz")).status).toBe(200);
    hang = true;
    await sleep(500);
    expect((await get(l, "/readyz")).body).toEqual({
      status: "not ready",
      checks: { config: false, storage: false },
    });
  });

  it("answers nothing else: 404 for other paths, 405 for other methods, never cached", async () => {
    const l = await listener();
    const other = await get(l, "/anon/api/v1/tickets/anonymous");
    expect(other.status).toBe(404);
    expect((await get(l, "/healthz", { method: "POST" })).status).toBe(405);
    const ok = await get(l, "/healthz");
    expect(ok.headers.get("cache-control")).toBe("no-store");
    expect(ok.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("closes when its thread has already exited", async () => {
    // The listener's thread, caught as it subscribes to its events.
    const threads = new Set<Worker>();
    const on = Worker.prototype.on;
    const spy = vi.spyOn(Worker.prototype, "on").mockImplementation(function (this: Worker, ...args) {
      threads.add(this);
      return on.apply(this, args as Parameters<typeof on>);
    });
    const l = await listener().finally(() => spy.mockRestore());
    expect(threads.size).toBe(1);
    await [...threads][0]!.terminate();
    const outcome = await Promise.race([l.close().then(() => "closed"), sleep(3000).then(() => "hung")]);
    expect(outcome).toBe("closed");
  });
});

describe("server.probePort", () => {
  let dir: string | undefined;
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("starts the probe listener beside the server, reports its port, and stops it on close", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "portico-probe-"));
    await writeFile(
      path.join(dir, "portico.yaml"),
      (await classicConfig()).replace("  port: 0\n", "  port: 0\n  probePort: 0\n"),
    );
    server = await startServer({
      configPath: path.join(dir, "portico.yaml"),
      port: 0,
      logger: quiet(),
      watch: false,
      frameDir: path.join(dir, "no-frame"),
    });
    expect(server.probePort).toBeGreaterThan(0);
    expect(server.probePort).not.toBe(server.port);
    const ready = await fetch(`http://127.0.0.1:${server.probePort}/readyz`);
    expect(await ready.json()).toEqual({ status: "ready", checks: { config: true, storage: true } });
    // The main port's /healthz waits for the main loop; the probe port's does not.
    const [probe, main] = await fetchWhileBlocked(
      [`http://127.0.0.1:${server.probePort}/healthz`, `http://127.0.0.1:${server.port}/healthz`],
      1200,
    );
    expect(probe).toMatchObject({ status: 200 });
    expect(probe!.ms).toBeLessThan(1000);
    expect(main).toMatchObject({ status: 200 });
    expect(main!.ms).toBeGreaterThanOrEqual(1100);
    const probePort = server.probePort;
    await server.close();
    server = undefined;
    await expect(fetch(`http://127.0.0.1:${probePort}/healthz`)).rejects.toThrow();
  });

  it("must differ from server.port", async () => {
    const text = (await classicConfig()).replace("  port: 0\n", "  port: 4000\n  probePort: 4000\n");
    expect(() => parseConfigText(text, "/etc/portico/portico.yaml")).toThrow(
      /server\.probePort: must differ from server\.port/,
    );
  });
});
