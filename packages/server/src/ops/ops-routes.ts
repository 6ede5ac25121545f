import { Hono, type MiddlewareHandler } from "hono";
import type { ConfigStore } from "../config/config-store.js";
import type { AppEnv } from "../http/app-env.js";
import type { Storage } from "../storage/storage.js";
import type { KeyRing } from "../tickets/keys.js";
import type { Metrics } from "./metrics.js";

export interface OpsRoutesOptions {
  configStore: ConfigStore;
  storage: Storage;
  metrics: Metrics;
  keys: KeyRing;
  clock: () => number;
  /** The admin API's key check: `/metrics` is behind it unless `server.metrics` is `public`. */
  requireAdmin: MiddlewareHandler<AppEnv>;
  /** More gauges computed at scrape time (the query pool's). */
  gauges?: () => Record<string, { help: string; value: number }>;
}

/** `/readyz` answers within this long: a frozen database is "not ready", not a probe that hangs. */
const READY_DEADLINE_MS = 1000;

/** `promise`, or a rejection once `ms` have passed. */
function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** What `/readyz` checks: the config is loaded and the storage answers within a second. */
export async function readiness(o: Pick<OpsRoutesOptions, "configStore" | "storage">) {
  const checks = { config: o.configStore.current !== undefined, storage: true };
  try {
    await withDeadline(o.storage.ping(), READY_DEADLINE_MS);
  } catch {
    checks.storage = false;
  }
  return checks;
}

/**
 * Liveness (`/healthz`, which never touches storage), readiness (`/readyz`: the storage answers within a
 * second), Prometheus metrics and the JWKS of the ticket signing keys.
 */
export function opsRoutes(o: OpsRoutesOptions) {
  const routes = new Hono<AppEnv>();
  routes.get("/healthz", (c) => c.json({ status: "ok" }));

  routes.get("/readyz", async (c) => {
    const checks = await readiness(o);
    const ready = checks.config && checks.storage;
    return c.json({ status: ready ? "ready" : "not ready", checks }, ready ? 200 : 503);
  });

  // Counters of refusals, denials and sessions tell an attacker how the server is doing and what it
  // refuses; operators scrape them with the same key they administer with, or open them on purpose.
  routes.get("/metrics", (c, next) =>
    o.configStore.current.config.server.metrics === "public" ? next() : o.requireAdmin(c, next),
  );
  routes.get("/metrics", async (c) => {
    const active = await withDeadline(o.storage.sessions.countActive(o.clock()), READY_DEADLINE_MS).catch(
      () => -1,
    );
    const body = o.metrics.render({
      portico_sessions_active: { help: "Sessions neither ended nor expired", value: active },
      ...o.gauges?.(),
    });
    return c.text(body, 200, { "Content-Type": "text/plain; version=0.0.4; charset=utf-8" });
  });

  routes.get("/.well-known/jwks.json", (c) => {
    c.header("Cache-Control", "public, max-age=60");
    return c.json(o.keys.jwks());
  });
  return routes;
}
