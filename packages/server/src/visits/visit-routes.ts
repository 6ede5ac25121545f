import { Hono } from "hono";
import type { ConfigStore } from "../config/config-store.js";
import type { AppEnv } from "../http/app-env.js";
import { requestSnapshot } from "../http/request-snapshot.js";
import { sessionTokenOf } from "../http/session-auth.js";
import type { BeaconIngest } from "./beacon-ingest.js";

/** `POST visits/beacon`: the frame reports a sheet view or an export (see `BeaconIngest`). 204 once committed. */
export function visitRoutes(o: { configStore: ConfigStore; ingest: BeaconIngest }) {
  const routes = new Hono<AppEnv>();
  routes.post("/visits/beacon", async (c) => {
    await o.ingest.ingest(
      requestSnapshot(c, o.configStore.current),
      sessionTokenOf(c),
      () => c.req.text(),
      c.req.header("content-type"),
    );
    return c.body(null, 204);
  });
  return routes;
}
