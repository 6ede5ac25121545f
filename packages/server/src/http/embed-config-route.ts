import type { EmbedConfig } from "@portico/protocol";
import { Hono } from "hono";
import type { VirtualProxyConfig } from "../config/schema.js";
import type { AppEnv } from "./app-env.js";

/** `GET /{P}/api/v1/embed-config` body: what the frame must know before it talks to its host page. */
export type EmbedConfigResponse = EmbedConfig;

/**
 * A proxy's embed config, built field by field from public settings only: the embed page carries it too
 * (see `pageRoutes`), so nothing may be added here that a visitor must not read.
 */
export function embedConfigOf(
  proxy: Pick<VirtualProxyConfig, "hostAllowList" | "anonymousAccess" | "sessionInactivityMinutes">,
): EmbedConfigResponse {
  return {
    hostAllowList: [...proxy.hostAllowList],
    anonymousAccess: proxy.anonymousAccess,
    inactivityTimeoutMs: proxy.sessionInactivityMinutes * 60_000,
  };
}

/**
 * The frame pins its postMessage peer to the exact parent origin, and only when that origin is on the
 * proxy's host allow list; this route tells it the list. Nothing secret: the same list is already public in
 * the page's `frame-ancestors`. No session needed (the frame asks before it has one); never cached, so an
 * allow-list change applies on the next load. The embed page served by Portico carries the same body
 * inline; this route stays for other callers (the hub page, pages served elsewhere).
 */
export function embedConfigRoutes() {
  const routes = new Hono<AppEnv>();
  routes.get("/embed-config", (c) => {
    c.header("Cache-Control", "no-store");
    return c.json(embedConfigOf(c.get("proxy")));
  });
  return routes;
}
