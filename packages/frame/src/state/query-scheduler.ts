import {
  type ExportResult,
  type FieldStatesResult,
  type HypercubeResult,
  isErrorCode,
  MAX_BATCH_QUERIES,
  objectQuery,
  type PrefetchedResult,
  type QueryOutcome,
  type QueryRequest,
  type QueryResult,
  type Selections,
  type SelectionValue,
  type SheetObjectDef,
  type TableView,
  valuesCheck,
} from "@portico/protocol";
import type { ApiClient } from "../api/api-client.js";
import { FrameError, isSessionError, toFrameError } from "../errors/frame-error.js";
import { heldValues } from "./selection-check.js";
import type { ViewLoader } from "./view-loader.js";

export interface QuerySchedulerOptions {
  api: Pick<ApiClient, "query" | "queries" | "exportCsv">;
  /** The app and the objects on screen. */
  view: Pick<ViewLoader, "appId" | "objects" | "findObject">;
  /** Runs a request under the session (recovering a lapsed one); plain by default. */
  run?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Results or table state changed. */
  onChange: () => void;
  /** The selections changed (before their data is asked for). */
  onSelections: (selections: Selections) => void;
  /** A view's data load completed (not one superseded by a newer); `failed`: an object's error, if any. */
  onLoaded: (failed: FrameError | undefined) => void;
  selections?: Selections | undefined;
}

/** Where an object's result is kept: the object, or one list box (`field`) of a filter pane. */
export function resultKey(objectId: string, field?: string): string {
  return field === undefined ? objectId : `${objectId}\u0000${field}`;
}

export function isHypercube(value: unknown): value is HypercubeResult {
  return typeof value === "object" && value !== null && (value as QueryResult).kind === "hypercube";
}

export function isFieldStates(value: unknown): value is FieldStatesResult {
  return typeof value === "object" && value !== null && (value as QueryResult).kind === "field";
}

/** One query of a load: where its result goes, and the table state it was asked under (tables only). */
type Job = {
  key: string;
  request: QueryRequest;
  objectId: string;
  table: TableView | undefined;
  /** A value check: asked under its own selections, not the batch's. */
  check?: string;
};

/**
 * The data of the objects on screen under the current selections. A view's data is one request for all its
 * objects and filter-pane fields (the batch route); what a new session's answer already carried is not
 * asked again; a load superseded by a newer one (the visitor clicked again) is cancelled and its answer
 * dropped. Paging or sorting one table asks for that table alone.
 */
export class QueryScheduler {
  selections: Selections;
  readonly results = new Map<string, QueryResult | FrameError>();
  readonly tables = new Map<string, TableView>();

  readonly #o: QuerySchedulerOptions;
  readonly #run: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Results that came with the session, by their request (JSON): asked only when not answered ahead. */
  readonly #prefetched = new Map<string, QueryResult>();
  #generation = 0;
  #inFlight: AbortController | undefined;
  /** Value checks (`valuesCheck`) that ride along with the next load, and their answers, by field. */
  readonly #checks = new Map<string, QueryRequest>();
  readonly #checked = new Map<string, QueryResult | FrameError>();

  constructor(options: QuerySchedulerOptions) {
    this.#o = options;
    this.#run = options.run ?? ((fn) => fn());
    // An empty value list selects nothing: left out, so the selections read as what they do.
    this.selections = Object.fromEntries(
      Object.entries(options.selections ?? {}).filter(([, values]) => values.length > 0),
    );
  }

  /** Results a new session's answer carried, for the next data load; they replace any earlier ones. */
  usePrefetched(results: readonly PrefetchedResult[]): void {
    this.#prefetched.clear();
    for (const { request, result } of results) this.#prefetched.set(JSON.stringify(request), result);
  }

  /** A new view: no results and no table state of the old one (`selections`: none of its selections). */
  clear(options: { selections?: boolean } = {}): void {
    this.results.clear();
    this.tables.clear();
    if (options.selections) this.selections = {};
  }

  /** Replaces a field's selected values (none: clears the field) and loads the view's data under them. */
  select(field: string, values: readonly SelectionValue[]): Promise<Selections> {
    const next = { ...this.selections };
    if (values.length === 0) delete next[field];
    else next[field] = [...new Set(values)];
    return this.#apply(next);
  }

  /** Adds or removes one value of a field's selection (a click on a bar, slice, point or list row). */
  toggle(field: string, value: SelectionValue): Promise<Selections> {
    const current = this.selections[field] ?? [];
    return this.select(
      field,
      current.includes(value) ? current.filter((v) => v !== value) : [...current, value],
    );
  }

  /**
   * `select`, asking in the same request which of `values` the field holds. `held` is all of `values`
   * when the answer did not come (a newer load superseded this one): nothing is reported missing then.
   */
  async selectChecked(
    field: string,
    values: readonly SelectionValue[],
  ): Promise<{ selections: Selections; held: SelectionValue[] }> {
    this.#checks.set(field, valuesCheck(field, values));
    this.#checked.delete(field);
    const selections = await this.select(field, values);
    const answer = this.#checked.get(field);
    this.#checked.delete(field);
    const held = answer && !(answer instanceof FrameError) ? heldValues(answer, values) : [...values];
    return { selections, held };
  }

  /** Replaces every selection at once and loads the view's data under them. */
  replace(selections: Selections): Promise<Selections> {
    return this.#apply({ ...selections });
  }

  /** Clears one field's selection, or all of them. */
  clearSelections(field?: string): Promise<Selections> {
    return field === undefined ? this.#apply({}) : this.select(field, []);
  }

  async #apply(next: Selections): Promise<Selections> {
    this.selections = next;
    this.#o.onSelections(next);
    await this.#run(() => this.refresh());
    return this.selections;
  }

  /**
   * Loads every object on screen, in one request. Throws when the session has lapsed (once, not once per
   * object: the caller recovers); an object that fails alone shows its own error.
   */
  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    this.#inFlight?.abort();
    this.#inFlight = undefined;
    const answers = new Map<string, QueryResult | FrameError>();
    const asked: Job[] = [];
    const jobs = this.#jobs();
    for (const job of jobs) {
      const prefetched = this.#takePrefetched(job.request);
      if (prefetched) answers.set(job.key, prefetched);
      else asked.push(job);
    }
    // They served the view they came with; a later load asks the server (the data may have changed).
    this.#prefetched.clear();
    const checks: Job[] = [...this.#checks].map(([field, request]) => ({
      key: `\u0000check\u0000${field}`,
      request,
      objectId: "",
      table: undefined,
      check: field,
    }));
    this.#checks.clear();
    asked.push(...checks);
    if (asked.length > 0) {
      const controller = new AbortController();
      this.#inFlight = controller;
      try {
        await this.#ask(asked, answers, controller.signal);
      } catch (error) {
        if (generation !== this.#generation) return;
        const e = toFrameError(error);
        if (isSessionError(e)) throw e;
        for (const job of asked) answers.set(job.key, e);
      } finally {
        if (this.#inFlight === controller) this.#inFlight = undefined;
      }
    }
    if (generation !== this.#generation) return;
    for (const { key, check } of checks) {
      const answer = answers.get(key);
      if (answer && check !== undefined) this.#checked.set(check, answer);
    }
    for (const job of jobs) {
      const answer = answers.get(job.key);
      // A table paged or sorted meanwhile keeps its own, newer answer.
      if (answer && this.tables.get(job.objectId) === job.table) this.results.set(job.key, answer);
    }
    const failed = [...this.results.values()].find((r): r is FrameError => r instanceof FrameError);
    this.#o.onLoaded(failed);
  }

  /** Fresh data for one object under the current selections (`field`: one list box of a filter pane). */
  getData(objectId: string): Promise<QueryResult> {
    const object = this.#o.view.findObject(objectId);
    if (!object || !this.#o.view.appId)
      return Promise.reject(new FrameError("OBJECT_NOT_FOUND", `There is no object "${objectId}"`));
    const field = object.type === "filterpane" ? object.fields?.[0] : undefined;
    return this.#run(() => this.#queryOne(object, field));
  }

  /** Sorting and paging of a table object; asks for that object alone. */
  async setTable(objectId: string, state: TableView): Promise<void> {
    this.tables.set(objectId, state);
    const object = this.#o.view.findObject(objectId);
    if (!object) return;
    const selections = this.selections;
    const result = await this.#run(() => this.#queryOne(object)).catch(toFrameError);
    // A newer page or sort of the same table answers for itself, and so do newer selections (their load
    // asks for the table too).
    if (this.tables.get(objectId) !== state || this.selections !== selections) return;
    this.results.set(objectId, result);
    this.#o.onChange();
  }

  /** A table or chart's data as CSV, under the current selections. */
  async exportData(objectId: string): Promise<ExportResult> {
    const object = this.#o.view.findObject(objectId);
    const appId = this.#o.view.appId;
    if (!object || !appId) throw new FrameError("OBJECT_NOT_FOUND", `There is no object "${objectId}"`);
    if (object.type === "filterpane" || object.type === "text")
      throw new FrameError("BAD_REQUEST", `Object "${objectId}" has no table data to export`);
    const content = await this.#run(() => this.#o.api.exportCsv(appId, object.id, this.selections));
    const filename = `${safeName(object.title ?? object.id)}.csv`;
    return { filename, mimeType: "text/csv;charset=utf-8", content };
  }

  #jobs(): Job[] {
    const jobs: Job[] = [];
    for (const object of this.#o.view.objects) {
      if (object.type === "text") continue;
      const fields = object.type === "filterpane" ? (object.fields ?? []) : [undefined];
      for (const field of fields)
        jobs.push({
          key: resultKey(object.id, field),
          request: objectQuery(object, field, this.selections, this.tables.get(object.id)),
          objectId: object.id,
          table: this.tables.get(object.id),
        });
    }
    return jobs;
  }

  /** The batch of `jobs` (more than the server takes at once go in as few requests as it allows). */
  async #ask(
    jobs: Job[],
    answers: Map<string, QueryResult | FrameError>,
    signal: AbortSignal,
  ): Promise<void> {
    const appId = this.#o.view.appId ?? "";
    const selections = this.selections;
    const batches: Job[][] = [];
    for (let i = 0; i < jobs.length; i += MAX_BATCH_QUERIES)
      batches.push(jobs.slice(i, i + MAX_BATCH_QUERIES));
    await Promise.all(
      batches.map(async (batch) => {
        // The selections go once, for the whole batch; each request's own would only repeat them.
        const requests = batch.map(({ request, check }) =>
          check === undefined ? withoutSelections(request) : request,
        );
        const { results } = await this.#o.api.queries(appId, { selections, requests }, signal);
        for (const [i, job] of batch.entries()) answers.set(job.key, fromOutcome(results[i]));
      }),
    );
    const lapsed = [...answers.values()].find((a) => a instanceof FrameError && isSessionError(a));
    if (lapsed) throw lapsed;
  }

  #queryOne(object: SheetObjectDef, field?: string): Promise<QueryResult> {
    return this.query(objectQuery(object, field, this.selections, this.tables.get(object.id)));
  }

  /** One query of the view's app: what the session's answer carried for it, else the server's answer. */
  query(request: QueryRequest): Promise<QueryResult> {
    const prefetched = this.#takePrefetched(request);
    if (prefetched) return Promise.resolve(prefetched);
    return this.#o.api.query(this.#o.view.appId ?? "", request);
  }

  #takePrefetched(request: QueryRequest): QueryResult | undefined {
    const key = JSON.stringify(request);
    const found = this.#prefetched.get(key);
    this.#prefetched.delete(key);
    return found;
  }
}

function withoutSelections(request: QueryRequest): QueryRequest {
  const { selections: _, ...rest } = request;
  return rest;
}

/** One outcome of the batch; an answer without it (a server that answered fewer) is an error too. */
function fromOutcome(outcome: QueryOutcome | undefined): QueryResult | FrameError {
  if (outcome && "result" in outcome) return outcome.result;
  const error = outcome?.error;
  if (error && isErrorCode(error.code) && typeof error.message === "string")
    return new FrameError(error.code, error.message);
  return new FrameError("INTERNAL", "The server gave no answer for this object");
}

function safeName(text: string): string {
  return text.replace(/[^\p{L}\p{N}._-]+/gu, "-").replace(/^-+|-+$/g, "") || "export";
}
