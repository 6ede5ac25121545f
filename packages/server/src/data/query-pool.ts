import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { DataModel, DataModelOptions } from "@portico/engine";
import { ErrorCode, isErrorCode, MAX_BATCH_QUERIES } from "@portico/protocol";
import type { Logger } from "pino";
import { PorticoError } from "../errors/portico-error.js";
import type { Metrics } from "../ops/metrics.js";
import { workerEntry } from "../worker-entry.js";
import type { FromWorker, JobResult, QueryJob, ToWorker } from "./query-job.js";

/** How much engine work anyone may ask of the server at once. */
export interface QueryLimits {
  /** Queries of one session running or queued at once; its further queries wait for one to end. */
  perSession: number;
  /** Queries waiting for a worker, every session together; beyond it, 503 BUSY. */
  queueLimit: number;
  /** Time one query may run; then its worker is stopped and the query answers 503 QUERY_TIMEOUT. */
  timeoutMs: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { perSession: 4, queueLimit: 64, timeoutMs: 2000 };

/** Queries of one session waiting for one of its slots: two whole batches, not an unbounded backlog. */
export const SESSION_BACKLOG = 2 * MAX_BATCH_QUERIES;
/** A worker with nothing to do for this long is stopped (its models and caches go with it). */
const IDLE_MS = 60_000;
const BUSY_RETRY_AFTER_S = 1;
/** An export's time budget, in query budgets. */
const EXPORT_BUDGET_FACTOR = 5;
const TIMEOUT_RETRY_AFTER_S = 5;

/** One worker per core but one, left to the event loop; two at least so one query never holds them all. */
export function defaultWorkerCount(): number {
  return Math.min(8, Math.max(2, availableParallelism() - 1));
}

export interface QueryPoolOptions {
  /** Worker threads (default `defaultWorkerCount()`). They start on first use. */
  workers?: number;
  /** Read on every query, so a configuration change applies to the next one. */
  limits?: () => QueryLimits;
  /** Result and selection cache sizes of each model in each worker (engine defaults when absent). */
  modelOptions?: DataModelOptions;
  metrics?: Metrics;
  logger?: Logger;
  clock?: () => number;
}

interface Task {
  id: number;
  model: DataModel;
  modelId: number;
  job: QueryJob;
  session: string;
  queuedAt: number;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface SessionQueries {
  /** Tasks of the session in the queue or running. */
  active: number;
  /** Tasks over `perSession`, in arrival order. */
  waiting: Task[];
}

interface Slot {
  worker: Worker | undefined;
  /** Models loaded in this worker. */
  models: Set<number>;
  task: Task | undefined;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Runs engine work in worker threads, so no query holds the event loop: health checks, sessions, beacons
 * and cached answers go on while cubes are computed. The workers share each model's columns
 * (SharedArrayBuffers, sent once per worker as a snapshot) and keep their own result caches.
 *
 * Per session at most `perSession` queries are queued or running (the rest wait their turn, up to
 * SESSION_BACKLOG); the queue for all sessions holds at most `queueLimit` (503 BUSY beyond, and for a
 * query that waited longer than its time budget); a query running longer than `timeoutMs` has its
 * worker stopped and answers 503 QUERY_TIMEOUT, and a fresh worker takes its place.
 *
 * `node:worker_threads` directly rather than a pool library: what matters here — per-session fairness,
 * models loaded into each worker once and dropped when the server lets go of them, stopping the one
 * worker whose query ran out of time — sits around the pool, not in it.
 */
export class QueryPool {
  private readonly slots: Slot[];
  private readonly queue: Task[] = [];
  private readonly sessions = new Map<string, SessionQueries>();
  private readonly ids = new WeakMap<DataModel, number>();
  private readonly released = new FinalizationRegistry<number>((id) => this.drop(id));
  private readonly limits: () => QueryLimits;
  private readonly clock: () => number;
  private nextModel = 1;
  private nextTask = 1;
  private closed = false;

  constructor(private readonly o: QueryPoolOptions = {}) {
    const workers = o.workers ?? defaultWorkerCount();
    if (!Number.isInteger(workers) || workers < 1) throw new TypeError("a query pool needs 1 worker or more");
    this.slots = Array.from({ length: workers }, () => ({
      worker: undefined,
      models: new Set(),
      task: undefined,
      timer: undefined,
    }));
    this.limits = o.limits ?? (() => DEFAULT_QUERY_LIMITS);
    this.clock = o.clock ?? Date.now;
  }

  /** Runs `job` on `model` for `session`; refusals are PorticoErrors (BUSY, QUERY_TIMEOUT, the engine's). */
  run<J extends QueryJob>(model: DataModel, job: J, session: string): Promise<JobResult<J>> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new PorticoError(ErrorCode.UNAVAILABLE, "The server is stopping"));
      const task: Task = {
        id: this.nextTask++,
        model,
        modelId: this.idOf(model),
        job,
        session,
        queuedAt: 0,
        resolve: resolve as (value: unknown) => void,
        reject,
      };
      const limits = this.limits();
      let queries = this.sessions.get(session);
      if (!queries) {
        queries = { active: 0, waiting: [] };
        this.sessions.set(session, queries);
      }
      if (queries.active < limits.perSession) this.admit(task, queries, limits);
      else if (queries.waiting.length < SESSION_BACKLOG) queries.waiting.push(task);
      else this.refuse(task, busy("This session has too many queries waiting"));
      this.dispatch();
    });
  }

  /** Queries waiting for a worker and running now (for /metrics). */
  stats(): { queued: number; running: number } {
    return { queued: this.queue.length, running: this.slots.filter((s) => s.task).length };
  }

  /** Stops every worker; queued and running queries answer 503 UNAVAILABLE. */
  async close(): Promise<void> {
    this.closed = true;
    const stopping = new PorticoError(ErrorCode.UNAVAILABLE, "The server is stopping");
    for (const task of this.queue.splice(0)) task.reject(stopping);
    for (const queries of this.sessions.values()) for (const task of queries.waiting) task.reject(stopping);
    this.sessions.clear();
    await Promise.all(
      this.slots.map((slot) => {
        slot.task?.reject(stopping);
        slot.task = undefined;
        return this.stop(slot);
      }),
    );
  }

  private idOf(model: DataModel): number {
    let id = this.ids.get(model);
    if (id === undefined) {
      id = this.nextModel++;
      this.ids.set(model, id);
      // A replaced model (a reload, a configuration change) leaves the workers once nothing holds it.
      this.released.register(model, id);
    }
    return id;
  }

  private drop(id: number): void {
    for (const slot of this.slots) {
      if (!slot.models.delete(id)) continue;
      slot.worker?.postMessage({ type: "drop", model: id } satisfies ToWorker);
    }
  }

  private admit(task: Task, queries: SessionQueries, limits: QueryLimits): void {
    if (this.queue.length >= limits.queueLimit) {
      this.refuse(task, busy("The server is busy with other queries"));
      return;
    }
    queries.active++;
    task.queuedAt = this.clock();
    this.queue.push(task);
  }

  /** Refuses a task that never entered the queue. */
  private refuse(task: Task, error: PorticoError): void {
    this.o.metrics?.inc("portico_queries_refused_total", { code: error.code });
    task.reject(error);
    const queries = this.sessions.get(task.session);
    if (queries && queries.active === 0 && queries.waiting.length === 0) this.sessions.delete(task.session);
  }

  /** A task left the queue or its worker: its session's next waiting task may enter. */
  private finished(task: Task): void {
    const queries = this.sessions.get(task.session);
    if (!queries) return;
    queries.active--;
    const limits = this.limits();
    while (queries.active < limits.perSession && queries.waiting.length > 0)
      this.admit(queries.waiting.shift()!, queries, limits);
    if (queries.active === 0 && queries.waiting.length === 0) this.sessions.delete(task.session);
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.task) continue;
      const task = this.takeNext();
      if (!task) return;
      try {
        this.start(slot, task);
      } catch (error) {
        // A worker that cannot start, or a job that cannot be posted: this task fails, nothing waits on it.
        slot.task = undefined;
        void this.stop(slot);
        this.o.logger?.error({ err: error }, "query could not be started in a worker");
        task.reject(new Error("query could not be started"));
        this.finished(task);
      }
    }
  }

  /** The next queued task, refusing those that waited longer than a query may run. */
  private takeNext(): Task | undefined {
    const { timeoutMs } = this.limits();
    for (;;) {
      const task = this.queue.shift();
      if (!task) return undefined;
      if (this.clock() - task.queuedAt <= timeoutMs) return task;
      this.o.metrics?.inc("portico_queries_refused_total", { code: ErrorCode.BUSY });
      task.reject(busy("The server is busy with other queries"));
      this.finished(task);
    }
  }

  private start(slot: Slot, task: Task): void {
    const worker = slot.worker ?? this.spawn(slot);
    if (slot.timer) clearTimeout(slot.timer);
    if (!slot.models.has(task.modelId)) {
      const load: ToWorker = {
        type: "load",
        model: task.modelId,
        snapshot: task.model.snapshot(),
        options: this.o.modelOptions ?? {},
      };
      worker.postMessage(load);
      slot.models.add(task.modelId);
    }
    slot.task = task;
    // The time budget starts when the worker starts the query: booting a worker and loading a model
    // into it are the server's costs, not the query's.
    worker.postMessage({ type: "run", task: task.id, model: task.modelId, job: task.job } satisfies ToWorker);
  }

  private spawn(slot: Slot): Worker {
    const { url, options } = workerEntry("query-worker", import.meta.url);
    const worker = new Worker(url, options);
    worker.unref();
    worker.on("message", (message: FromWorker) => this.answered(slot, message));
    worker.on("error", (error) => this.failed(slot, worker, error));
    worker.on("exit", (code) =>
      this.failed(slot, worker, new Error(`query worker exited with code ${code}`)),
    );
    slot.worker = worker;
    slot.models.clear();
    return worker;
  }

  private answered(slot: Slot, message: FromWorker): void {
    const task = slot.task;
    if (!task || task.id !== message.task) return;
    if ("started" in message) {
      const { timeoutMs } = this.limits();
      // An export computes every row of an object: it gets a longer budget than a page of it.
      const budget = task.job.kind === "export" ? timeoutMs * EXPORT_BUDGET_FACTOR : timeoutMs;
      slot.timer = setTimeout(() => this.timedOut(slot, task), budget);
      slot.timer.unref();
      return;
    }
    this.release(slot);
    if (message.ok) task.resolve(message.value);
    else task.reject(workerError(message.code, message.message, this.o.logger));
    this.finished(task);
    this.dispatch();
  }

  private timedOut(slot: Slot, task: Task): void {
    if (slot.task !== task) return;
    this.release(slot);
    // The only way to stop synchronous engine work: the worker goes, a fresh one takes the next task.
    void this.stop(slot);
    this.o.metrics?.inc("portico_queries_refused_total", { code: ErrorCode.QUERY_TIMEOUT });
    this.o.logger?.warn(
      { session: task.session, kind: task.job.kind },
      "query ran out of time; worker stopped",
    );
    task.reject(
      new PorticoError(ErrorCode.QUERY_TIMEOUT, "The query took too long and was stopped", undefined, {
        "retry-after": String(TIMEOUT_RETRY_AFTER_S),
      }),
    );
    this.finished(task);
    this.dispatch();
  }

  /** The worker died under a task (out of memory, a crash): the task fails, a fresh worker comes next. */
  private failed(slot: Slot, worker: Worker, error: Error): void {
    if (slot.worker !== worker) return;
    slot.worker = undefined;
    slot.models.clear();
    const task = slot.task;
    this.release(slot);
    if (!task) return;
    this.o.logger?.error({ err: error }, "query worker failed");
    task.reject(new Error("query worker failed"));
    this.finished(task);
    this.dispatch();
  }

  /** The slot is free: an idle timer stops its worker if nothing comes. */
  private release(slot: Slot): void {
    slot.task = undefined;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = setTimeout(() => {
      if (!slot.task) void this.stop(slot);
    }, IDLE_MS);
    slot.timer.unref();
  }

  private async stop(slot: Slot): Promise<void> {
    const worker = slot.worker;
    slot.worker = undefined;
    slot.models.clear();
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    await worker?.terminate();
  }
}

function busy(message: string): PorticoError {
  return new PorticoError(ErrorCode.BUSY, message, undefined, { "retry-after": String(BUSY_RETRY_AFTER_S) });
}

/** An engine refusal keeps its code; anything else is a fault, logged here and answered as one. */
function workerError(code: string, message: string, logger: Logger | undefined): Error {
  if (code !== ErrorCode.INTERNAL && isErrorCode(code)) return new PorticoError(code, message);
  logger?.error({ detail: message }, "query failed in a worker");
  return new Error("query failed");
}
