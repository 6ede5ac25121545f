import { type AppDetail, type AppSummary, ErrorCode, type HubResponse } from "@portico/protocol";
import { type Context, Hono } from "hono";
import { hubRequester } from "../access/hub-requester.js";
import type { ConfigStore } from "../config/config-store.js";
import type { AppConfig } from "../config/schema.js";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "../http/app-env.js";
import { sessionAuth } from "../http/session-auth.js";
import type { Metrics } from "../ops/metrics.js";
import type { SessionService } from "../sessions/session-service.js";
import type { AppDataProvider } from "./app-data-provider.js";

export interface HubRoutesOptions {
  configStore: ConfigStore;
  sessions: SessionService;
  metrics: Metrics;
  appData?: AppDataProvider | undefined;
}

/** The hub API, evaluated in the `hub` context for the session's user. */
export function hubRoutes(o: HubRoutesOptions) {
  const routes = new Hono<AppEnv>();
  routes.use("/hub", sessionAuth({ sessions: o.sessions, required: true }));
  routes.use("/apps/*", sessionAuth({ sessions: o.sessions, required: true }));

  routes.get("/hub", (c) => {
    const { access, user } = hubRequester(c, o.configStore, o.metrics);
    const body: HubResponse = {
      streams: access.readableStreams(user).map((stream) => ({
        id: stream.id,
        name: stream.name,
        apps: access.readableApps(user, stream).map(summary),
      })),
    };
    return c.json(body);
  });

  routes.get("/apps/:id", async (c) => {
    const body = await readableAppDetail(c, o, c.req.param("id"));
    // Not readable and not existing are one answer: same status, body and headers, so no one can
    // probe which app ids exist.
    if (!body) throw new PorticoError(ErrorCode.APP_NOT_FOUND, "App not found");
    return c.json(body);
  });

  return routes;
}

/**
 * What `GET /apps/{id}` answers for the request's session: the app with the sheets its user may read, or
 * `undefined` when the app does not exist or may not be read (callers must not tell the two apart).
 */
export async function readableAppDetail(
  c: Context<AppEnv>,
  o: Pick<HubRoutesOptions, "configStore" | "metrics" | "appData">,
  appId: string,
): Promise<AppDetail | undefined> {
  const { access, user, state } = hubRequester(c, o.configStore, o.metrics);
  const app = access.readableApp(user, appId);
  if (!app) return undefined;
  const stream = state.streams.get(app.stream);
  return {
    ...summary(app),
    stream: { id: app.stream, name: stream?.name ?? app.stream },
    sheets: app.sheets
      .filter((sheet) => access.canReadSheet(user, app, sheet))
      .map((sheet) => ({
        id: sheet.id,
        title: sheet.title,
        ...(sheet.description !== undefined ? { description: sheet.description } : {}),
        objects: sheet.objects,
      })),
    fields: o.appData ? await o.appData.fields(app, state) : [],
  };
}

function summary(app: AppConfig): AppSummary {
  return {
    id: app.id,
    name: app.name,
    ...(app.description !== undefined ? { description: app.description } : {}),
    published: app.published,
  };
}
