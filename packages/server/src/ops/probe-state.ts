/**
 * What the main thread tells the probe listener's thread, in shared memory: when its event loop last ran
 * and what the last readiness check found. Millisecond timestamps (`Date.now()`) in a BigInt64Array so
 * Atomics can read and write them whole.
 */
export const PROBE_SLOTS = {
  /** The main event loop's last turn. */
  heartbeat: 0,
  /** When the last readiness check finished. */
  checkedAt: 1,
  /** Its result: bit 0 config loaded, bit 1 storage answered in time. */
  checks: 2,
  /** 1 once the node is shutting down: not ready, whatever the checks said. */
  closing: 3,
} as const;

export const PROBE_SLOT_COUNT = 4;
export const CHECK_CONFIG = 1n;
export const CHECK_STORAGE = 2n;

/** The worker's options (`workerData`). */
export interface ProbeWorkerData {
  port: number;
  host: string;
  state: BigInt64Array;
  /** `/healthz` fails once the main loop has not run for this long: stuck, not busy. */
  stallMs: number;
  /** `/readyz` fails when the last check is older than this (the main loop is too busy to check). */
  staleMs: number;
}
