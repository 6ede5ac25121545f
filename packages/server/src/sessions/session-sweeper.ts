import type { Logger } from "pino";
import { drainInBatches } from "../ops/drain-in-batches.js";
import { PeriodicJob } from "../ops/periodic-job.js";
import type { Storage } from "../storage/storage.js";
import type { SessionService } from "./session-service.js";

/**
 * How often sessions whose deadline passed without a request noticing are ended. A run that finds none
 * is one indexed query, so it runs often: ends (and their visit events) follow deadlines closely.
 */
export const SESSION_SWEEP_INTERVAL_MS = 15_000;
/**
 * Sessions ended per statement. Their `ended` events are published together (the visit log commits
 * them in one group commit); requests run between batches.
 */
const SWEEP_BATCH = 200;
/** A one-off sweep runs this long after its deadline, so the deadline has surely passed on the clock. */
const SWEEP_SLACK_MS = 50;

export interface SessionSweeperOptions {
  storage: Pick<Storage, "sessions">;
  /** Publishes each swept session's end to every subscriber (the session service). */
  sessions: Pick<SessionService, "publishEnded">;
  clock?: () => number;
  logger?: Logger;
}

/**
 * Ends sessions that expired while their visitor was away and publishes `ended` for each, so that every
 * subscriber hears it (the visit log's session end, the licences' coverage). A request that finds its
 * session expired ends it at once; this covers the visitors who never come back. Several nodes may sweep
 * the same storage at once: storage ends each session once, and only the node that ended it publishes.
 */
export class SessionSweeper {
  private readonly o: SessionSweeperOptions;
  private readonly clock: () => number;
  private job: PeriodicJob | undefined;
  private stopping = false;
  /** The one-off sweep `sweepAt` scheduled, and the deadline it is for. */
  private soon: { at: number; timer: ReturnType<typeof setTimeout> } | undefined;
  /** The latest deadline asked for beyond `soon`'s. */
  private later: number | undefined;

  constructor(options: SessionSweeperOptions) {
    this.o = options;
    this.clock = options.clock ?? Date.now;
  }

  /**
   * Ends every session whose deadline passed by `now`, in batches until none is left (or the sweeper
   * stops: the next run goes on); returns how many.
   */
  sweep(now = this.clock()): Promise<number> {
    return drainInBatches(
      () => this.endBatch(now),
      SWEEP_BATCH,
      () => this.stopping,
    );
  }

  private async endBatch(now: number): Promise<number> {
    const ended = await this.o.storage.sessions.endExpired(now, SWEEP_BATCH);
    await Promise.all(
      ended.map((session) =>
        this.o.sessions.publishEnded(session, session.endReason ?? "timeout").catch((error: unknown) =>
          // Ended in storage either way; one subscriber's failure must not hold up the other sessions.
          this.o.logger?.error({ err: error, session: session.id }, "session end not published"),
        ),
      ),
    );
    return ended.length;
  }

  /**
   * Sweeps once more soon after `deadline` (a page said its visitor left: the session ends when its grace
   * is over, not at the next periodic run). One timer, for the earliest deadline; the latest one asked for
   * meanwhile is swept after it (the deadlines between them wait at most until then).
   */
  sweepAt(deadline: number): void {
    if (this.soon !== undefined && this.soon.at <= deadline) {
      this.later = Math.max(this.later ?? deadline, deadline);
      return;
    }
    if (this.soon !== undefined) {
      clearTimeout(this.soon.timer);
      this.later = Math.max(this.later ?? this.soon.at, this.soon.at);
    }
    const timer = setTimeout(
      () => {
        this.soon = undefined;
        const later = this.later;
        this.later = undefined;
        this.sweep()
          .catch((error: unknown) => this.o.logger?.error({ err: error }, "session sweep failed"))
          .finally(() => {
            if (later !== undefined && !this.stopping) this.sweepAt(later);
          });
      },
      Math.max(0, deadline - this.clock()) + SWEEP_SLACK_MS,
    );
    timer.unref?.();
    this.soon = { at: deadline, timer };
  }

  /** Sweeps every `intervalMs` (see `PeriodicJob`). */
  start(intervalMs = SESSION_SWEEP_INTERVAL_MS): void {
    this.job ??= new PeriodicJob(
      () => this.sweep(),
      intervalMs,
      (error) => this.o.logger?.error({ err: error }, "session sweep failed"),
    );
  }

  /** Stops sweeping and waits for the batch in progress. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.soon !== undefined) clearTimeout(this.soon.timer);
    this.soon = undefined;
    this.later = undefined;
    try {
      await this.job?.stop();
    } finally {
      this.job = undefined;
      this.stopping = false;
    }
  }
}
