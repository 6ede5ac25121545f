import { ErrorCode } from "@portico/protocol";
import { PorticoError } from "../errors/portico-error.js";
import type { Storage } from "../storage/storage.js";
import type { VisitRow } from "./visit-event.js";

/**
 * How long the first event of a batch waits for company before the batch commits; 0: until the end of the
 * current turn of the event loop (`setImmediate`), so every event read from the sockets in that turn, and
 * every one that arrives while a batch commits, shares a transaction. A 1 ms timer window (sessions 2-6)
 * only delayed acknowledgements: 50 clients each waiting for their ack are the bench's load, and turn-end
 * batches carried 20.1k beacons/s against the timer's 18.2k (interleaved A/B, session 7), at the same CPU.
 */
export const GROUP_COMMIT_WINDOW_MS = 0;
/** A batch this large commits at once instead of waiting for the window. */
export const MAX_BATCH_ROWS = 2000;

/** Every column of `visits` but the id, in insert order. */
export const VISIT_COLUMNS = [
  "time",
  "type",
  "proxy",
  "session_id",
  "user_directory",
  "user_id",
  "anonymous",
  "ip",
  "user_agent",
  "browser",
  "os",
  "device",
  "origin",
  "page_url",
  "app",
  "sheet",
  "object",
  "duration_ms",
  "reason",
  "denial_code",
  "denial_kind",
  "visitor",
  "visitor_client",
  "visitor_hint",
  "visitor_key",
] as const satisfies readonly (keyof VisitRow)[];
// Fails to compile when a column is added to the table but not to the list above.
type MissingColumn = Exclude<keyof VisitRow, "id" | (typeof VISIT_COLUMNS)[number]>;
const complete: [MissingColumn] extends [never] ? true : MissingColumn = true;
void complete;

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
      await this.o.storage.insertRows("visits", VISIT_COLUMNS, batch.map(values));
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

/**
 * A row's values in `VISIT_COLUMNS` order (the test checks the two agree); an absent optional column is
 * NULL. Spelled out: looking each column up by name in a loop cost a megamorphic property load per value.
 */
export function visitValues(r: VisitRow): unknown[] {
  return [
    r.time,
    r.type,
    r.proxy,
    r.session_id ?? null,
    r.user_directory,
    r.user_id,
    r.anonymous,
    r.ip ?? null,
    r.user_agent ?? null,
    r.browser ?? null,
    r.os ?? null,
    r.device ?? null,
    r.origin ?? null,
    r.page_url ?? null,
    r.app ?? null,
    r.sheet ?? null,
    r.object ?? null,
    r.duration_ms ?? null,
    r.reason ?? null,
    r.denial_code ?? null,
    r.denial_kind ?? null,
    r.visitor ?? null,
    r.visitor_client ?? null,
    r.visitor_hint ?? null,
    r.visitor_key,
  ];
}

function values(w: Waiter): unknown[] {
  return visitValues(w.row);
}
