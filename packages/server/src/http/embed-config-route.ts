import { Hono } from "hono";
import type { AppEnv } from "./app-env.js";

/** `GET /{P}/api/v1/embed-config` body: what the frame must know before it talks to its host page. */
export interface EmbedConfigResponse {
  hostAllowList: string[];
  anonymousAccess: "none" | "allow" | "always";
  inactivityTimeoutMs: number;
}

/**
 * The frame pins its postMessage peer to the exact parent origin, and only when that origin is on the
 * proxy's host allow list; this route tells it the list. Nothing secret: the same list is already public in
 * the page's `frame-ancestors`. No session needed (the frame asks before it has one); never cached, so an
 * allow-list change applies on the next load.
 */
export function embedConfigRoutes() {
  const routes = new Hono<AppEnv>();
  routes.get("/embed-config", (c) => {
    const proxy = c.get("proxy");
    c.header("Cache-Control", "no-store");
    const body: EmbedConfigResponse = {
      hostAllowList: [...proxy.hostAllowList],
      anonymousAccess: proxy.anonymousAccess,
      inactivityTimeoutMs: proxy.sessionInactivityMinutes * 60_000,
    };
    return c.json(body);
  });
  return routes;
}
