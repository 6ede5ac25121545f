import { ErrorCode } from "@portico/protocol";
import { Hono } from "hono";
import type { AppDataProvider } from "../api/app-data-provider.js";
import type { ConfigStore } from "../config/config-store.js";
import type { DataConnectionConfig } from "../config/schema.js";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "../http/app-env.js";
import { testConnection } from "./sql-source.js";

export interface DataAdminRoutesOptions {
  appData: AppDataProvider | undefined;
  configStore: ConfigStore;
}

/**
 * `/admin/api/v1` data routes: `GET /apps/data` (what is loaded), `POST /apps/{id}/reload` (read an
 * app's sources again without a restart; its cached results go with the old model), `GET
 * /apps/{id}/reloads` (the reload history), `GET /connections` and `POST /connections/{name}/test`.
 */
export function dataAdminRoutes(o: DataAdminRoutesOptions) {
  const routes = new Hono<AppEnv>();
  routes.get("/apps/data", (c) => c.json({ apps: provider(o).status() }));

  // Reloaded here, then recorded so that every other node reloads it too, as it follows config changes.
  routes.post("/apps/:id/reload", async (c) => {
    const id = c.req.param("id");
    const report = await provider(o).reload(id);
    await o.configStore.recordReload(id, `admin:${c.get("adminKey")}`);
    return c.json(report);
  });

  routes.get("/apps/:id/reloads", (c) => {
    const id = c.req.param("id");
    if (!o.configStore.current.apps.has(id)) throw new PorticoError(ErrorCode.APP_NOT_FOUND, "App not found");
    return c.json({ app: id, reloads: provider(o).reloads?.(id) ?? [] });
  });

  // Connections as configured: no secret is in them (a password only by its variable's name).
  routes.get("/connections", (c) =>
    c.json({ connections: o.configStore.current.config.dataConnections.map(publicConnection) }),
  );

  routes.post("/connections/:name/test", async (c) => {
    const state = o.configStore.current;
    const connection = state.config.dataConnections.find((x) => x.name === c.req.param("name"));
    if (!connection) throw new PorticoError(ErrorCode.NOT_FOUND, "No data connection with this name");
    const started = performance.now();
    try {
      await testConnection(connection, { dataRoot: state.dataRoot });
      return c.json({ name: connection.name, ok: true, durationMs: Math.round(performance.now() - started) });
    } catch (error) {
      return c.json({
        name: connection.name,
        ok: false,
        durationMs: Math.round(performance.now() - started),
        error: (error as Error).message,
      });
    }
  });

  return routes;
}

function publicConnection(connection: DataConnectionConfig) {
  return connection.type === "postgres"
    ? {
        name: connection.name,
        type: connection.type,
        description: connection.description,
        url: connection.url,
        passwordEnv: connection.passwordEnv,
      }
    : {
        name: connection.name,
        type: connection.type,
        description: connection.description,
        file: connection.file,
      };
}

function provider(o: DataAdminRoutesOptions): AppDataProvider {
  if (!o.appData) throw new PorticoError(ErrorCode.UNAVAILABLE, "This server has no data engine attached");
  return o.appData;
}
