import { type DataModel, EngineError, type ExportCell, type FieldScope } from "@portico/engine";
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
}

/**
 * Queries of an app's data for one requester, under the rules: an app the user may not read answers
 * exactly like one that does not exist (APP_NOT_FOUND); an object is only reachable through a sheet the
 * user may read, else it is OBJECT_NOT_FOUND like a missing one; a field (queried, selected on, searched)
 * must appear in an object of such a sheet, else it is FIELD_NOT_FOUND exactly like a missing one; text
 * boxes and filter panes have no hypercube; the engine's errors keep their codes (BAD_REQUEST...).
 */
export class AppQueries {
  constructor(private readonly o: AppQueriesOptions) {}

  /** Every request's outcome, in order; the app's own refusal (APP_NOT_FOUND, no data) fails them all. */
  answer(requester: Requester, appId: string, requests: readonly QueryRequest[], selections?: Selections) {
    return this.answerIn(this.readable(requester, appId), requests, selections);
  }

  /** `answer` for an app already found readable. A request's own selections win over `selections`. */
  answerIn(app: ReadableApp, requests: readonly QueryRequest[], selections?: Selections): QueryOutcome[] {
    const model = this.model(app);
    return requests.map((request) => {
      const asked =
        selections === undefined || request.selections !== undefined ? request : { ...request, selections };
      try {
        return { result: this.resultIn(app, model, asked) };
      } catch (error) {
        if (!isPorticoError(error)) throw error;
        return { error: { code: error.code, message: error.message } };
      }
    });
  }

  /** One request's result; its refusal is thrown. */
  result(app: ReadableApp, request: QueryRequest): QueryResult {
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

  /** An object's export rows under `selections`, which may name only the app's readable fields. */
  exportRows(app: ReadableApp, def: ObjectDef, selections: Selections | undefined): Generator<ExportCell[]> {
    return this.model(app).exportRows(def, selections, app.fields);
  }

  /** The app's loaded model: DATA_LOAD_FAILED without one. */
  model({ app }: ReadableApp): DataModel {
    if (!this.o.appData)
      throw new PorticoError(ErrorCode.DATA_LOAD_FAILED, "This server has no data engine attached");
    return this.o.appData.model(app);
  }

  private resultIn(app: ReadableApp, model: DataModel, request: QueryRequest): QueryResult {
    if ("object" in request) {
      const def = this.readableObject(app, request.object);
      if (NO_HYPERCUBE.has(def.type))
        throw new PorticoError(
          ErrorCode.BAD_REQUEST,
          `Object "${def.id}" is a ${def.type}: it has no hypercube (query its fields instead)`,
        );
      return engine(() =>
        model.hypercube(def, {
          selections: request.selections,
          page: request.page,
          sort: request.sort,
          fields: app.fields,
        }),
      );
    }
    return engine(() =>
      model.fieldStates(request.field, {
        selections: request.selections,
        search: request.search,
        page: request.page,
        fields: app.fields,
      }),
    );
  }
}

/** Runs an engine call; its errors keep their code (FIELD_NOT_FOUND, BAD_REQUEST...) as server errors. */
export function engine<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof EngineError) throw new PorticoError(error.code, error.message);
    throw error;
  }
}
