import { ErrorCode, type HubResponse } from "@portico/protocol";
import { Hono } from "hono";
import { AccessControl } from "../access/access-control.js";
import type { ConfigStore } from "../config/config-store.js";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "../http/app-env.js";
import { requesterIn, requireRequester } from "../http/require-requester.js";
import type { Metrics } from "../ops/metrics.js";
import type { SessionService } from "../sessions/session-service.js";
import type { AppDataProvider } from "./app-data-provider.js";
import { appSummary, readableAppDetail } from "./readable-app-detail.js";

export interface HubRoutesOptions {
  configStore: ConfigStore;
  sessions: SessionService;
  metrics: Metrics;
  appData?: AppDataProvider | undefined;
}

/** The hub API, evaluated in the `hub` context for the session's user. */
export function hubRoutes(o: HubRoutesOptions) {
  const routes = new Hono<AppEnv>();
  const requester = requireRequester(o);
  routes.use("/hub", requester);
  routes.use("/apps/*", requester);

  routes.get("/hub", (c) => {
    const { state, user } = requesterIn(c);
    const access = new AccessControl(state, o.metrics);
    const body: HubResponse = {
      streams: access.readableStreams(user).map((stream) => ({
        id: stream.id,
        name: stream.name,
        apps: access.readableApps(user, stream).map(appSummary),
      })),
    };
    return c.json(body);
  });

  routes.get("/apps/:id", async (c) => {
    const body = await readableAppDetail(requesterIn(c), o, c.req.param("id"));
    // Not readable and not existing are one answer: same status, body and headers, so no one can
    // probe which app ids exist.
    if (!body) throw new PorticoError(ErrorCode.APP_NOT_FOUND, "App not found");
    return c.json(body);
  });

  return routes;
}
