import { ErrorCode } from "@portico/protocol";
import { Hono } from "hono";
import type { AppDataProvider } from "../api/app-data-provider.js";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "../http/app-env.js";

export interface DataAdminRoutesOptions {
  appData: AppDataProvider | undefined;
}

/**
 * `/admin/api/v1` data routes: `GET /apps/data` (what is loaded) and `POST /apps/{id}/reload` (read an
 * app's sources again without a restart; its cached results go with the old model).
 */
export function dataAdminRoutes(o: DataAdminRoutesOptions) {
  const routes = new Hono<AppEnv>();
  routes.get("/apps/data", (c) => c.json({ apps: provider(o).status() }));

  routes.post("/apps/:id/reload", async (c) => c.json(await provider(o).reload(c.req.param("id"))));

  return routes;
}

function provider(o: DataAdminRoutesOptions): AppDataProvider {
  if (!o.appData) throw new PorticoError(ErrorCode.UNAVAILABLE, "This server has no data engine attached");
  return o.appData;
}
