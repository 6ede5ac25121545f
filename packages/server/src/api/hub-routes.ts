import { type AppDetail, type AppSummary, ErrorCode, type HubResponse } from "@portico/protocol";
import { Hono } from "hono";
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
    const { access, user, state } = hubRequester(c, o.configStore, o.metrics);
    const app = access.readableApp(user, c.req.param("id"));
    // Not readable and not existing are one answer: same status, body and headers, so no one can
    // probe which app ids exist.
    if (!app) throw new PorticoError(ErrorCode.APP_NOT_FOUND, "App not found");
    const stream = state.streams.get(app.stream);
    const body: AppDetail = {
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
    return c.json(body);
  });

  return routes;
}

function summary(app: AppConfig): AppSummary {
  return {
    id: app.id,
    name: app.name,
    ...(app.description !== undefined ? { description: app.description } : {}),
    published: app.published,
  };
}
