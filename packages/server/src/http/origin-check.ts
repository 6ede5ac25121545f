import { ErrorCode } from "@portico/protocol";
import type { MiddlewareHandler } from "hono";
import type { ConfigStore } from "../config/config-store.js";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "./app-env.js";
import { selfOrigin } from "./self-origin.js";
import { sessionCredentialOf } from "./session-auth.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Cross-site request forgery guard for a proxy's API. A browser attaches the session cookie to whatever
 * request any page makes it send, so a state-changing request that the cookie would authenticate (or,
 * with `always`, one that makes a session and sets the cookie: a forged login would put the victim in the
 * attacker's account) must come from Portico's own pages or a host page on the proxy's allow list.
 * Browsers send `Origin` on every such request, so a missing one is refused too. A bearer token is never
 * sent by a browser on its own, so a request carrying one is not the browser's doing.
 */
export function originCheck(o: { configStore: ConfigStore; always?: boolean }): MiddlewareHandler<AppEnv> {
  return async function originCheckMiddleware(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const credential = sessionCredentialOf(c);
    if (credential === "bearer" || (credential === undefined && !o.always)) return next();
    const origin = c.req.header("origin");
    const proxy = c.get("proxy");
    if (
      origin === undefined ||
      !(origin === selfOrigin(c, o.configStore.current) || proxy.hostAllowList.includes(origin))
    )
      throw new PorticoError(
        ErrorCode.ORIGIN_NOT_ALLOWED,
        "Only Portico's own pages and the proxy's allowed host pages may send this request with the session cookie",
      );
    return next();
  };
}
