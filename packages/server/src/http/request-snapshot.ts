import type { Context } from "hono";
import type { RequestSnapshot } from "../access/requester.js";
import type { ConfigState } from "../config/config-state.js";
import type { AppEnv } from "./app-env.js";
import { isSecureRequest } from "./self-origin.js";

/** The plain facts of a hono request under a virtual proxy (after `resolveProxy` and the client-IP step). */
export function requestSnapshot(c: Context<AppEnv>, state: ConfigState): RequestSnapshot {
  return {
    proxy: c.get("proxy"),
    state,
    ip: c.get("clientIp"),
    userAgent: c.req.header("user-agent"),
    secure: isSecureRequest(c, state),
  };
}
