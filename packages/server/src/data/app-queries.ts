import { type DataModel, type FieldScope, LruCache } from "@portico/engine";
import {
  ErrorCode,
  type QueryOutcome,
  type QueryRequest,
  type QueryResult,
  type Selections,
} from "@portico/protocol";
import { AccessControl } from "../access/access-control.js";
import type { Requester } from "../access/requester.js";
import type { AppDataProvider } from "../api/app-data-provider.js";
import type { AppConfig } from "../config/schema.js";
import { isPorticoError, PorticoError } from "../errors/portico-error.js";
import type { Metrics } from "../ops/metrics.js";
import type { QueryJob } from "./query-job.js";
import type { QueryPool } from "./query-pool.js";
import { readableFields } from "./readable-fields.js";

type ObjectDef = AppConfig["sheets"][number]["objects"][number];

/** Object types that show no hypercube: a text box has no data, a filter pane queries its fields. */
export const NO_HYPERCUBE: ReadonlySet<string> = new Set(["text", "filterpane"]);

/** An app `requester` may read, with the access control that decided it and what it may see in it. */
export interface ReadableApp {
  requester: Requester;
  access: AccessControl;
  app: AppConfig;
  /** The sheets it may read: objects elsewhere are not found. */
  sheets: AppConfig["sheets"];
  /** The fields named by those sheets' objects: any other field is not found. */
  fields: NonNullable<FieldScope>;
}

export interface AppQueriesOptions {
  metrics?: Metrics | undefined;
  /** The loaded app data; without it every query answers 503 DATA_LOAD_FAILED. */
  appData: AppDataProvider | undefined;
  /** Where the engine work runs (worker threads, off the event loop). */
  pool: QueryPool;
  /** Answers kept on the event loop's side, so a repeated query never waits for a worker. Default 1000. */
  cacheSize?: number;
  /** Most result rows and field values those answers hold together. Default 200,000. */
  cacheRows?: number;
}

/** Codes that say "not now" rather than "not this": a batch refused only for these is refused whole. */
const LOAD_CODES: ReadonlySet<string> = new Set([ErrorCode.BUSY, ErrorCode.QUERY_TIMEOUT]);

/**
 * Queries of an app's data for one requester, under the rules: an app the user may not read answers
 * exactly like one that does not exist (APP_NOT_FOUND); an object is only reachable through a sheet the
 * user may read, else it is OBJECT_NOT_FOUND like a missing one; a field (queried, selected on, searched)
 * must appear in an object of such a sheet, else it is FIELD_NOT_FOUND exactly like a missing one; text
 * boxes and filter panes have no hypercube; the engine's errors keep their codes (BAD_REQUEST...).
 *
 * The engine work runs in the query pool, per session within its limits; answers are cached here by
 * model, data scope, object definition and request, so a repeated query is answered on the event loop.
 */
export class AppQueries {
  private readonly answers: LruCache<string, QueryResult>;
  private readonly serials = new WeakMap<object, number>();
  private nextSerial = 1;

  constructor(private readonly o: AppQueriesOptions) {
    this.answers = new LruCache(o.cacheSize ?? 1000, o.cacheRows ?? 200_000);
  }

  /** Every request's outcome, in order; the app's own refusal (APP_NOT_FOUND, no data) fails them all. */
  answer(requester: Requester, appId: string, requests: readonly QueryRequest[], selections?: Selections) {
    return this.answerIn(this.readable(requester, appId), requests, selections);
  }

  /**
   * `answer` for an app already found readable. A request's own selections win over `selections`. When
   * every request was refused for load (BUSY, QUERY_TIMEOUT), the batch is refused as a whole with that
   * error, so the client sees the 503 and its `Retry-After`.
   */
  async answerIn(
    app: ReadableApp,
    requests: readonly QueryRequest[],
    selections?: Selections,
  ): Promise<QueryOutcome[]> {
    const model = this.model(app);
    const outcome = async (request: QueryRequest): Promise<QueryOutcome | PorticoError> => {
      const asked =
        selections === undefined || request.selections !== undefined ? request : { ...request, selections };
      try {
        return { result: await this.resultIn(app, model, asked) };
      } catch (error) {
        if (!isPorticoError(error)) throw error;
        return error;
      }
    };
    // Cubes go to the workers first: they are the longer jobs, and the field states then fill the gaps,
    // so the batch ends sooner than in request order. Answers keep the request order.
    const pending = new Array<Promise<QueryOutcome | PorticoError>>(requests.length);
    requests.forEach((request, i) => {
      if ("object" in request) pending[i] = outcome(request);
    });
    requests.forEach((request, i) => {
      if (!("object" in request)) pending[i] = outcome(request);
    });
    const outcomes = await Promise.all(pending);
    const refused = outcomes.filter((o): o is PorticoError => o instanceof PorticoError);
    if (
      refused.length > 0 &&
      refused.length === outcomes.length &&
      refused.every((e) => LOAD_CODES.has(e.code))
    )
      throw refused[0];
    return outcomes.map((o) =>
      o instanceof PorticoError ? { error: { code: o.code, message: o.message } } : o,
    );
  }

  /** One request's result; its refusal is thrown. */
  result(app: ReadableApp, request: QueryRequest): Promise<QueryResult> {
    return this.resultIn(app, this.model(app), request);
  }

  /** The app when it exists AND the requester may read it; one 404 otherwise. */
  readable(requester: Requester, appId: string): ReadableApp {
    const access = new AccessControl(requester.state, this.o.metrics);
    const app = access.readableApp(requester.user, appId);
    // Same code, message, status and headers as a missing app, so no one can probe which ids exist.
    if (!app) throw new PorticoError(ErrorCode.APP_NOT_FOUND, "App not found");
    const sheets = access.readableSheets(requester.user, app);
    return { requester, access, app, sheets, fields: readableFields(app, sheets) };
  }

  /** The object when it sits on a sheet the user may read (the sheet is the `App.Object` checked). */
  readableObject({ sheets }: ReadableApp, id: string): ObjectDef {
    for (const sheet of sheets) {
      const def = sheet.objects.find((object) => object.id === id);
      if (def) return def;
    }
    throw new PorticoError(ErrorCode.OBJECT_NOT_FOUND, `Object "${id}" not found`);
  }

  /**
   * An object's data under `selections` (which may name only the app's readable fields) as a CSV
   * document: a header row of labels, then every row, unpaged and unfolded.
   */
  exportCsv(
    app: ReadableApp,
    def: ObjectDef,
    selections: Selections | undefined,
  ): Promise<Uint8Array<ArrayBuffer>> {
    return this.run(app, this.model(app), { kind: "export", def, selections, fields: [...app.fields] });
  }

  /** The app's loaded model: DATA_LOAD_FAILED without one. */
  model({ app }: ReadableApp): DataModel {
    if (!this.o.appData)
      throw new PorticoError(ErrorCode.DATA_LOAD_FAILED, "This server has no data engine attached");
    return this.o.appData.model(app);
  }

  private async resultIn(app: ReadableApp, model: DataModel, request: QueryRequest): Promise<QueryResult> {
    const def = "object" in request ? this.readableObject(app, request.object) : undefined;
    if (def && NO_HYPERCUBE.has(def.type))
      throw new PorticoError(
        ErrorCode.BAD_REQUEST,
        `Object "${def.id}" is a ${def.type}: it has no hypercube (query its fields instead)`,
      );
    // The scope set and the object definition are fixed per configuration: their identity keys the cache.
    const key = `${this.serialOf(model)}|${this.serialOf(app.fields)}|${def ? this.serialOf(def) : ""}|${JSON.stringify(request)}`;
    const cached = this.answers.get(key);
    if (cached) return cached;
    const fields = [...app.fields];
    const job: QueryJob =
      "object" in request
        ? {
            kind: "hypercube",
            def: def!,
            selections: request.selections,
            page: request.page,
            sort: request.sort,
            fields,
          }
        : {
            kind: "field",
            field: request.field,
            selections: request.selections,
            search: request.search,
            page: request.page,
            fields,
          };
    const result = (await this.run(app, model, job)) as QueryResult;
    this.answers.set(
      key,
      result,
      (result.kind === "hypercube" ? result.rows.length : result.values.length) + 1,
    );
    return result;
  }

  private run<J extends QueryJob>(app: ReadableApp, model: DataModel, job: J) {
    return this.o.pool.run(model, job, app.requester.session.id);
  }

  private serialOf(value: object): number {
    let serial = this.serials.get(value);
    if (serial === undefined) {
      serial = this.nextSerial++;
      this.serials.set(value, serial);
    }
    return serial;
  }
}
