import { type DataModel, EngineError, type ExportCell } from "@portico/engine";
import { ErrorCode, type QueryResult, type Selections } from "@portico/protocol";
import type { RuleUser } from "@portico/rules";
import { type Context, Hono } from "hono";
import type { AccessControl } from "../access/access-control.js";
import { hubRequester } from "../access/hub-requester.js";
import { appObjectResource } from "../access/rule-resources.js";
import type { AppDataProvider } from "../api/app-data-provider.js";
import type { ConfigStore } from "../config/config-store.js";
import { formatPath } from "../config/format-issues.js";
import type { AppConfig } from "../config/schema.js";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "../http/app-env.js";
import { readJson } from "../http/read-json.js";
import { sessionAuth } from "../http/session-auth.js";
import type { Metrics } from "../ops/metrics.js";
import type { SessionService } from "../sessions/session-service.js";
import { csvStream } from "./csv-stream.js";
import { EXPORT_FORMATS, exportBodySchema, queryRequestSchema, selectionsSchema } from "./query-schema.js";

export interface DataRoutesOptions {
  configStore: ConfigStore;
  sessions: SessionService;
  metrics: Metrics;
  /** The loaded app data; without it every data request answers 503 DATA_LOAD_FAILED. */
  appData: AppDataProvider | undefined;
}

type ObjectDef = AppConfig["sheets"][number]["objects"][number];

/** Object types that show no hypercube: a text box has no data, a filter pane queries its fields. */
const NO_HYPERCUBE: ReadonlySet<string> = new Set(["text", "filterpane"]);

/**
 * The data API under a virtual proxy, evaluated in the `hub` context for the session's user:
 * `POST /apps/{id}/query` and `GET|POST /apps/{id}/objects/{objectId}/export?format=csv`.
 *
 * Every request first passes the same read check as `GET /apps/{id}`: an app the user may not read
 * answers exactly like one that does not exist (404 APP_NOT_FOUND). An object is only reachable
 * through a sheet the user may read; otherwise it is 404 OBJECT_NOT_FOUND, like a missing one.
 */
export function dataRoutes(o: DataRoutesOptions) {
  const routes = new Hono<AppEnv>();
  const auth = sessionAuth({ sessions: o.sessions, required: true });
  // The hub routes mounted beside these may have authenticated the request already: do it once.
  routes.use("/apps/:id/*", async function dataSessionAuth(c, next) {
    if (c.get("session")) return next();
    return auth(c, next);
  });

  routes.post("/apps/:id/query", async (c) => {
    const { app, access, user } = readableApp(c, o);
    const request = await readJson(c, queryRequestSchema);
    const model = dataOf(o, app);
    let result: QueryResult;
    if ("object" in request) {
      const def = readableObject(access, user, app, request.object);
      if (NO_HYPERCUBE.has(def.type))
        throw new PorticoError(
          ErrorCode.BAD_REQUEST,
          `Object "${def.id}" is a ${def.type}: it has no hypercube (query its fields instead)`,
        );
      result = engine(() =>
        model.hypercube(def, { selections: request.selections, page: request.page, sort: request.sort }),
      );
    } else {
      result = engine(() =>
        model.fieldStates(request.field, {
          selections: request.selections,
          search: request.search,
          page: request.page,
        }),
      );
    }
    return c.json(result);
  });

  const exportObject = async (c: Context<AppEnv>) => {
    const { app, access, user, state } = readableApp(c, o);
    const format = c.req.query("format") ?? "csv";
    if (!(EXPORT_FORMATS as readonly string[]).includes(format))
      throw validationFailed("format", `must be one of ${EXPORT_FORMATS.join(", ")}`);
    const selections =
      c.req.method === "POST"
        ? (await readJson(c, exportBodySchema, { optional: true })).selections
        : selectionsParam(c.req.query("selections"));
    const def = readableObject(access, user, app, c.req.param("objectId") ?? "");
    const resource = appObjectResource(
      { id: def.id, name: def.title ?? def.id, objectType: def.type },
      app,
      state.streams.get(app.stream),
    );
    if (!access.can(user, "exportdata", resource))
      throw new PorticoError(ErrorCode.EXPORT_FORBIDDEN, "You may not export the data of this object");
    if (NO_HYPERCUBE.has(def.type))
      throw new PorticoError(
        ErrorCode.BAD_REQUEST,
        `Object "${def.id}" is a ${def.type}: it has no data to export`,
      );
    const rows = dataOf(o, app).exportRows(def, selections);
    // The first step computes the data: a bad selection becomes a JSON error, not a broken download.
    const first = engine(() => rows.next());
    return c.body(csvStream(startedWith(first, rows)), 200, {
      "content-type": "text/csv; charset=utf-8",
      // Ids are restricted to A-Za-z0-9_.- by the config schema, so the name needs no escaping.
      "content-disposition": `attachment; filename="${app.id}-${def.id}.csv"`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
  };
  routes.get("/apps/:id/objects/:objectId/export", exportObject);
  routes.post("/apps/:id/objects/:objectId/export", exportObject);

  return routes;
}

/** The app named in the path, if it exists AND the session's user may read it; one 404 otherwise. */
function readableApp(c: Context<AppEnv>, o: DataRoutesOptions) {
  const { access, user, state } = hubRequester(c, o.configStore, o.metrics);
  const app = access.readableApp(user, c.req.param("id") ?? "");
  // Same code, message, status and headers as a missing app, so no one can probe which ids exist.
  if (!app) throw new PorticoError(ErrorCode.APP_NOT_FOUND, "App not found");
  return { app, access, user, state };
}

/** The object when it sits on a sheet the user may read (the sheet is the `App.Object` checked). */
function readableObject(access: AccessControl, user: RuleUser, app: AppConfig, id: string): ObjectDef {
  for (const sheet of app.sheets) {
    const def = sheet.objects.find((object) => object.id === id);
    if (def && access.canReadSheet(user, app, sheet)) return def;
  }
  throw new PorticoError(ErrorCode.OBJECT_NOT_FOUND, `Object "${id}" not found`);
}

function dataOf(o: DataRoutesOptions, app: AppConfig): DataModel {
  if (!o.appData)
    throw new PorticoError(ErrorCode.DATA_LOAD_FAILED, "This server has no data engine attached");
  return o.appData.model(app);
}

/** Runs an engine call; its errors keep their code (FIELD_NOT_FOUND, BAD_REQUEST...) as server errors. */
function engine<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    if (error instanceof EngineError) throw new PorticoError(error.code, error.message);
    throw error;
  }
}

/** `?selections=` of a GET export: the same JSON as the embed URL's parameter, checked like a body. */
function selectionsParam(raw: string | undefined): Selections | undefined {
  if (raw === undefined || raw === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw validationFailed("selections", 'must be JSON such as {"Year":[2024]}');
  }
  const parsed = selectionsSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw validationFailed(formatPath(["selections", ...(issue?.path ?? [])]), issue?.message ?? "invalid");
}

function validationFailed(path: string, message: string): PorticoError {
  return new PorticoError(ErrorCode.VALIDATION_FAILED, `${path}: ${message}`, {
    issues: [{ path, message }],
  });
}

/** The export rows with the first (already computed) step put back in front. */
function* startedWith(
  first: IteratorResult<ExportCell[]>,
  rest: Generator<ExportCell[]>,
): Generator<ExportCell[]> {
  try {
    if (first.done) return;
    yield first.value;
    for (let next = rest.next(); !next.done; next = rest.next()) yield next.value;
  } finally {
    rest.return(undefined);
  }
}
