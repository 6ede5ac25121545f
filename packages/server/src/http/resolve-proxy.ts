import { ErrorCode } from "@portico/protocol";
import type { MiddlewareHandler } from "hono";
import type { ConfigStore } from "../config/config-store.js";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "./app-env.js";

/**
 * Finds the virtual proxy named by the path's first segment (none: the default proxy) in the CURRENT
 * configuration, so proxy changes apply on the next request without a restart.
 */
export function resolveProxy(options: { configStore: ConfigStore }): MiddlewareHandler<AppEnv> {
  return async function resolveProxyMiddleware(c, next) {
    const prefix = c.req.param("prefix") ?? "";
    const proxy = options.configStore.current.proxies.get(prefix);
    if (!proxy) throw new PorticoError(ErrorCode.PROXY_NOT_FOUND, "No such virtual proxy");
    c.set("proxy", proxy);
    await next();
  };
}
