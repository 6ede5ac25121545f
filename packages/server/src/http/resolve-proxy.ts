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
    if (!proxy) {
      // Readable by any page (there is no allow list to check against): a mistyped `proxy` attribute then
      // reads as what it is, not as a CORS refusal the SDK must take for ORIGIN_NOT_ALLOWED. The answer
      // says only that this prefix names no proxy.
      const origin = c.req.header("origin");
      const cors: Record<string, string> = origin
        ? { "Access-Control-Allow-Origin": origin, Vary: "Origin" }
        : {};
      throw new PorticoError(
        ErrorCode.PROXY_NOT_FOUND,
        `There is no virtual proxy "${prefix}" on this server`,
        undefined,
        cors,
      );
    }
    c.set("proxy", proxy);
    await next();
  };
}
