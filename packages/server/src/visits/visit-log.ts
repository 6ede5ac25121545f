import { ErrorCode } from "@portico/protocol";
import { PorticoError } from "../errors/portico-error.js";
import type { Storage } from "../storage/storage.js";
import type { VisitRow } from "../storage/visits-repository.js";

/**
 * How long the first event of a batch waits for company before the batch commits; 0: until the end of the
 * current turn of the event loop (`setImmediate`), so every event read from the sockets in that turn, and
 * every one that arrives while a batch commits, shares a transaction. A timer window would only delay
 * acknowledgements (the measurements are in this folder's README).
 */
export const GROUP_COMMIT_WINDOW_MS = 0;
/** A batch this large commits at once instead of waiting for the window. */
export const MAX_BATCH_ROWS = 2000;

interface Waiter {
  row: VisitRow;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface VisitLogOptions {
  storage: Storage;
  windowMs?: number;
  maxBatchRows?: number;
  /** Called once per committed batch (metrics, logs). */
  onBatch?: (rows: number, error?: unknown) => void;
}

/**
 * The visit log's writer, with group commit: events that arrive together share one transaction. The first
 * event of a batch opens a window (by default until the end of the event loop's turn, see
 * `GROUP_COMMIT_WINDOW_MS`); whatever arrives during the window or while the previous batch is committing
 * joins the next batch. `append()` resolves only after the batch holding its row has committed,
 * so a 2xx answered after it means the event is on disk; a failed batch rejects every waiter in it.
 * One batch commits at a time: SQLite has one writer anyway, and order stays the order of arrival.
 */
export class VisitLog {
  private readonly o: Required<Omit<VisitLogOptions, "onBatch">> & Pick<VisitLogOptions, "onBatch">;
  private pending: Waiter[] = [];
  /** Cancels the commit the open batch is waiting for (its window's timer or immediate). */
  private cancelScheduled: (() => void) | undefined;
  private committing: Promise<void> | undefined;
  private closed = false;

  constructor(options: VisitLogOptions) {
    this.o = {
      storage: options.storage,
      windowMs: options.windowMs ?? GROUP_COMMIT_WINDOW_MS,
      maxBatchRows: options.maxBatchRows ?? MAX_BATCH_ROWS,
      onBatch: options.onBatch,
    };
  }

  /** Resolves once the row is committed; rejects when its batch fails or the log is closed. */
  append(row: VisitRow): Promise<void> {
    if (this.closed)
      return Promise.reject(new PorticoError(ErrorCode.UNAVAILABLE, "The server is shutting down"));
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ row, resolve, reject });
      this.schedule();
    });
  }

  /** Rows waiting for their batch. */
  get backlog(): number {
    return this.pending.length;
  }

  /** Commits everything queued so far (waits for the batch in flight too). */
  async flush(): Promise<void> {
    while (this.pending.length > 0 || this.committing) {
      if (this.committing) await this.committing.catch(() => undefined);
      else this.commitNow();
    }
  }

  /** Refuses new events, then commits what was accepted. Idempotent. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private schedule(): void {
    if (this.committing) return; // the batch in flight schedules the next one when it ends
    if (this.pending.length >= this.o.maxBatchRows) {
      this.commitNow();
      return;
    }
    if (this.cancelScheduled) return;
    if (this.o.windowMs > 0) {
      const timer = setTimeout(() => this.commitNow(), this.o.windowMs);
      this.cancelScheduled = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(() => this.commitNow());
      this.cancelScheduled = () => clearImmediate(immediate);
    }
  }

  private commitNow(): void {
    this.cancelScheduled?.();
    this.cancelScheduled = undefined;
    if (this.committing || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.o.maxBatchRows);
    this.committing = this.write(batch).finally(() => {
      this.committing = undefined;
      // Rows that queued during the commit already waited one window: commit them straight away.
      if (this.pending.length > 0) setImmediate(() => this.commitNow());
    });
  }

  private async write(batch: Waiter[]): Promise<void> {
    try {
      await this.o.storage.visits.append(batch.map((w) => w.row));
    } catch (error) {
      for (const w of batch) w.reject(error);
      this.report(batch.length, error);
      return;
    }
    for (const w of batch) w.resolve();
    this.report(batch.length);
  }

  /** A failing observer must never leave waiters hanging or break the next batch. */
  private report(rows: number, error?: unknown): void {
    try {
      this.o.onBatch?.(rows, error);
    } catch {
      // ignored on purpose
    }
  }
}
