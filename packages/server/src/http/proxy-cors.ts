import { ErrorCode } from "@portico/protocol";
import type { MiddlewareHandler } from "hono";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "./app-env.js";

const CORS_MAX_AGE_S = 600;

/**
 * CORS for a proxy's cross-origin endpoints. Only an Origin exactly on the proxy's `hostAllowList` is
 * echoed back (never `*`, never a pattern); any other origin gets no CORS header at all, so its page
 * cannot read the response. `Vary: Origin` keeps caches from mixing answers across origins.
 */
export function proxyCors(): MiddlewareHandler<AppEnv> {
  return async function proxyCorsMiddleware(c, next) {
    c.header("Vary", "Origin", { append: true });
    const origin = c.req.header("origin");
    const allowed = origin !== undefined && c.get("proxy").hostAllowList.includes(origin);
    if (c.req.method === "OPTIONS") {
      if (!allowed)
        throw new PorticoError(ErrorCode.ORIGIN_NOT_ALLOWED, "This origin may not call this proxy");
      c.header("Access-Control-Allow-Origin", origin);
      c.header("Access-Control-Allow-Methods", "GET, POST, DELETE");
      c.header("Access-Control-Allow-Headers", "Content-Type, Authorization");
      c.header("Access-Control-Max-Age", String(CORS_MAX_AGE_S));
      return c.body(null, 204);
    }
    await next();
    if (allowed) {
      c.header("Access-Control-Allow-Origin", origin);
      c.header("Access-Control-Expose-Headers", "Retry-After");
    }
  };
}
