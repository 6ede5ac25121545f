import { ErrorCode, type QueriesResponse, type Selections } from "@portico/protocol";
import { type Context, Hono } from "hono";
import { appObjectResource } from "../access/rule-resources.js";
import type { ConfigStore } from "../config/config-store.js";
import { formatPath } from "../config/format-issues.js";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "../http/app-env.js";
import { readJson } from "../http/read-json.js";
import { requesterIn, requireRequester } from "../http/require-requester.js";
import type { SessionService } from "../sessions/session-service.js";
import { type AppQueries, NO_HYPERCUBE } from "./app-queries.js";
import {
  EXPORT_FORMATS,
  exportBodySchema,
  queriesRequestSchema,
  queryRequestSchema,
  selectionsSchema,
} from "./query-schema.js";

export interface DataRoutesOptions {
  configStore: ConfigStore;
  sessions: Pick<SessionService, "authenticate">;
  queries: AppQueries;
}

/**
 * The data API under a virtual proxy, evaluated in the `hub` context for the session's user:
 * `POST /apps/{id}/query`, `POST /apps/{id}/queries` (a batch) and
 * `GET|POST /apps/{id}/objects/{objectId}/export?format=csv`. The rules are `AppQueries`'; every request
 * passes the app's read check before its body is read, so an unreadable app answers like a missing one
 * whatever was sent.
 */
export function dataRoutes(o: DataRoutesOptions) {
  const routes = new Hono<AppEnv>();
  routes.use("/apps/:id/*", requireRequester(o));

  routes.post("/apps/:id/query", async (c) => {
    const app = o.queries.readable(requesterIn(c), c.req.param("id"));
    const request = await readJson(c, queryRequestSchema);
    return c.json(await o.queries.result(app, request));
  });

  routes.post("/apps/:id/queries", async (c) => {
    const app = o.queries.readable(requesterIn(c), c.req.param("id"));
    const body = await readJson(c, queriesRequestSchema);
    const answer: QueriesResponse = {
      results: await o.queries.answerIn(app, body.requests, body.selections),
    };
    return c.json(answer);
  });

  const exportObject = async (c: Context<AppEnv>) => {
    const readable = o.queries.readable(requesterIn(c), c.req.param("id") ?? "");
    const { app, access, requester } = readable;
    const format = c.req.query("format") ?? "csv";
    if (!(EXPORT_FORMATS as readonly string[]).includes(format))
      throw validationFailed("format", `must be one of ${EXPORT_FORMATS.join(", ")}`);
    const selections =
      c.req.method === "POST"
        ? (await readJson(c, exportBodySchema, { optional: true })).selections
        : selectionsParam(c.req.query("selections"));
    const def = o.queries.readableObject(readable, c.req.param("objectId") ?? "");
    const resource = appObjectResource(
      { id: def.id, name: def.title ?? def.id, objectType: def.type },
      app,
      requester.state,
    );
    if (!access.can(requester.user, "exportdata", resource))
      throw new PorticoError(ErrorCode.EXPORT_FORBIDDEN, "You may not export the data of this object");
    if (NO_HYPERCUBE.has(def.type))
      throw new PorticoError(
        ErrorCode.BAD_REQUEST,
        `Object "${def.id}" is a ${def.type}: it has no data to export`,
      );
    // Computed whole before answering: a bad selection becomes a JSON error, not a broken download.
    const csv = await o.queries.exportCsv(readable, def, selections);
    return c.body(csv, 200, {
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
