import type { Logger } from "pino";
import { PeriodicJob } from "../ops/periodic-job.js";
import type { Storage } from "../storage/storage.js";
import type { SessionService } from "./session-service.js";

/** How often sessions whose deadline passed without a request noticing are ended. */
export const SESSION_SWEEP_INTERVAL_MS = 60_000;
/** Sessions ended per sweep at most; the rest wait for the next one. */
const SWEEP_BATCH = 500;

export interface SessionSweeperOptions {
  storage: Pick<Storage, "sessions">;
  sessions: SessionService;
  clock?: () => number;
  logger?: Logger;
}

/**
 * Ends sessions that expired while their visitor was away, through the session service so that every
 * subscriber hears `ended` (the visit log's session end, the licences' coverage). A request that finds
 * its session expired ends it at once; this covers the visitors who never come back.
 */
export class SessionSweeper {
  private readonly o: SessionSweeperOptions;
  private readonly clock: () => number;
  private job: PeriodicJob | undefined;

  constructor(options: SessionSweeperOptions) {
    this.o = options;
    this.clock = options.clock ?? Date.now;
  }

  /** Ends sessions whose deadline passed; returns how many. */
  async sweep(now = this.clock()): Promise<number> {
    let ended = 0;
    for (const id of await this.o.storage.sessions.listExpired(now, SWEEP_BATCH)) {
      const session = await this.o.storage.sessions.find(id);
      if (!session || session.endedAt !== null) continue;
      const reason = now >= session.absoluteExpiresAt ? "expired" : "timeout";
      if (await this.o.sessions.end(session, reason)) ended++;
    }
    return ended;
  }

  /** Sweeps every `intervalMs` (see `PeriodicJob`). */
  start(intervalMs = SESSION_SWEEP_INTERVAL_MS): void {
    this.job ??= new PeriodicJob(
      () => this.sweep(),
      intervalMs,
      (error) => this.o.logger?.error({ err: error }, "session sweep failed"),
    );
  }

  /** Stops sweeping and waits for a sweep in progress. */
  async stop(): Promise<void> {
    await this.job?.stop();
    this.job = undefined;
  }
}
