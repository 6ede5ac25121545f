import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** How often the worker copies what was committed to the WAL into the database file. */
export const CHECKPOINT_INTERVAL_MS = 200;
/**
 * The serving connection's own checkpoint threshold (pages in the WAL) while a worker checkpoints: a
 * safety net. Under a steady stream of commits the WAL only starts over after a checkpoint that caught
 * up with every frame, which the worker, running beside the writer, rarely does; at this size the
 * serving connection checkpoints itself, copying only what the worker has not, and the WAL starts over.
 * SQLite's default of 1,000 pages would have it do so every ~1,000 pages, fsyncs and all. 10,000 pages of
 * 4 KiB: the WAL file grows to about 40 MB.
 */
export const SAFETY_NET_PAGES = 10_000;

/**
 * The worker: its own connection to the file, a PASSIVE checkpoint on a timer (never waits for a lock and
 * never blocks the writer), closed on any message. Plain CommonJS, evaluated without the parent's
 * loaders; the driver is required by the path the parent resolved.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma("synchronous = NORMAL");
const checkpoint = db.prepare("PRAGMA wal_checkpoint(PASSIVE)");
let failing = false;
const timer = setInterval(() => {
  try {
    checkpoint.get();
    failing = false;
  } catch (error) {
    if (!failing) parentPort.postMessage({ error: String((error && error.message) || error) });
    failing = true;
  }
}, workerData.intervalMs);
parentPort.once("message", () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointerOptions {
  intervalMs?: number;
  /** A checkpoint failed (reported once until one succeeds again), or the worker could not start. */
  onError?: (error: Error) => void;
}

/**
 * Checkpoints a SQLite database in WAL mode from a worker thread, so that copying committed pages back
 * into the database file, and the two fsyncs that go with it, never stall the event loop. With SQLite's
 * automatic checkpoints the connection that commits does this inline, so a steady stream of commits
 * stalls the event loop several times a second and acknowledges fewer events (visits/README.md has the
 * measurements). The serving connection keeps its automatic checkpoint as a safety net
 * (`SAFETY_NET_PAGES`); if the worker dies, that alone keeps the WAL bounded.
 */
export class WalCheckpointer {
  private readonly exited: Promise<void>;

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise((resolve) => worker.once("exit", () => resolve()));
    // Never what keeps a process alive: `close()` ends it, and so does the process.
    worker.unref();
  }

  /** Starts checkpointing `file` (which must exist) every `intervalMs`. */
  static start(file: string, options: WalCheckpointerOptions = {}): WalCheckpointer {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [],
      workerData: {
        file,
        driver: createRequire(import.meta.url).resolve("better-sqlite3"),
        intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS,
      },
    });
    const report = (error: Error) => options.onError?.(error);
    worker.on("message", (message: { error?: string }) => {
      if (message.error !== undefined) report(new Error(`WAL checkpoint failed: ${message.error}`));
    });
    worker.on("error", (error) => report(new Error(`WAL checkpoint worker stopped: ${error.message}`)));
    return new WalCheckpointer(worker);
  }

  /** Closes the worker's connection and waits for the worker to end. */
  async close(): Promise<void> {
    // Referenced again while it winds down: a process waiting for nothing else would otherwise end here.
    this.worker.ref();
    this.worker.postMessage("close");
    await this.exited;
  }
}
