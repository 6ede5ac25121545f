import { Worker } from "node:worker_threads";
import { workerEntry } from "../worker-entry.js";
import {
  CHECK_CONFIG,
  CHECK_STORAGE,
  PROBE_SLOT_COUNT,
  PROBE_SLOTS,
  type ProbeWorkerData,
} from "./probe-state.js";

/** How often the main loop marks that it ran. */
const HEARTBEAT_MS = 100;
/** How often the main thread checks readiness for the probe listener. */
const CHECK_EVERY_MS = 500;
/** Liveness fails once the main loop has been stuck this long (an orchestrator then restarts the node). */
const STALL_MS = 10_000;
/** Readiness fails when no check has finished for this many check periods. */
const STALE_CHECKS = 6;

export interface ProbeListenerOptions {
  port: number;
  host: string;
  /** Config loaded, storage answering in time: the same checks as the main port's `/readyz`. */
  check: () => Promise<{ config: boolean; storage: boolean }>;
  /** Liveness fails once the main loop has not turned for this long (default 10 s). */
  stallMs?: number;
  /** How often readiness is checked (default 500 ms); it fails when no check finished for 6 times that. */
  checkEveryMs?: number;
}

export interface ProbeListener {
  readonly port: number;
  /** Readiness fails from now on (a node shutting down takes no new traffic). */
  drain(): void;
  close(): Promise<void>;
}

/**
 * `/healthz` and `/readyz` on a port of their own, answered by a worker thread from what the main thread
 * last wrote into shared memory: a saturated main event loop (a flood of visitors) cannot make the probes
 * slow, so an orchestrator never restarts a node for being busy. Liveness fails only when the main loop
 * has not turned for 10 s; readiness reflects checks the main thread runs every half second.
 */
export async function startProbeListener(o: ProbeListenerOptions): Promise<ProbeListener> {
  const state = new BigInt64Array(new SharedArrayBuffer(PROBE_SLOT_COUNT * BigInt64Array.BYTES_PER_ELEMENT));
  const beat = () => Atomics.store(state, PROBE_SLOTS.heartbeat, BigInt(Date.now()));
  beat();
  const heartbeat = setInterval(beat, HEARTBEAT_MS);
  heartbeat.unref();
  let checking = false;
  const check = async () => {
    if (checking) return;
    checking = true;
    try {
      const result = await o.check().catch(() => ({ config: false, storage: false }));
      const bits = (result.config ? CHECK_CONFIG : 0n) | (result.storage ? CHECK_STORAGE : 0n);
      Atomics.store(state, PROBE_SLOTS.checks, bits);
      Atomics.store(state, PROBE_SLOTS.checkedAt, BigInt(Date.now()));
    } finally {
      checking = false;
    }
  };
  await check();
  const checkEveryMs = o.checkEveryMs ?? CHECK_EVERY_MS;
  const checks = setInterval(() => void check(), checkEveryMs);
  checks.unref();

  const { url, options } = workerEntry("probe-worker", import.meta.url);
  const workerData: ProbeWorkerData = {
    port: o.port,
    host: o.host,
    state,
    stallMs: o.stallMs ?? STALL_MS,
    staleMs: STALE_CHECKS * checkEveryMs,
  };
  const worker = new Worker(url, { ...options, workerData });
  // Watched from the start: a thread that died before `close` sends no second "exit" for it to wait on.
  const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  const stopTimers = () => {
    clearInterval(heartbeat);
    clearInterval(checks);
  };
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      worker.on("message", (message: { type: string; port?: number; message?: string }) => {
        if (message.type === "listening") resolve(message.port as number);
        else if (message.type === "error") reject(new Error(`probe listener: ${message.message}`));
      });
      worker.once("error", reject);
      worker.once("exit", (code) => reject(new Error(`probe listener exited with code ${code}`)));
    });
  } catch (error) {
    stopTimers();
    await worker.terminate();
    throw error;
  }
  // A probe thread that fails later must not take the node with it: its port then refuses connections,
  // which an orchestrator reads as a failed probe.
  worker.on("error", () => undefined);
  worker.unref();
  let closed: Promise<void> | undefined;
  return {
    port,
    drain: () => Atomics.store(state, PROBE_SLOTS.closing, 1n),
    close: () => {
      closed ??= (async () => {
        stopTimers();
        worker.postMessage({ type: "close" });
        // A worker that does not stop within a second is stopped.
        const timer = setTimeout(() => void worker.terminate(), 1000);
        await exited;
        clearTimeout(timer);
      })();
      return closed;
    },
  };
}
