import { ErrorCode } from "@portico/protocol";
import type { Context } from "hono";
import type { ConfigStore } from "../config/config-store.js";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "../http/app-env.js";
import { isSecureRequest } from "../http/self-origin.js";
import type { Metrics } from "../ops/metrics.js";
import { AccessControl } from "./access-control.js";
import { buildRuleUser } from "./rule-user.js";

/**
 * The session's user as hub-context rules see it, with access control over the configuration current for
 * this request. Every visitor-facing route that decides on apps goes through here, so they all judge the
 * same user the same way.
 */
export function hubRequester(c: Context<AppEnv>, configStore: ConfigStore, metrics: Metrics) {
  const session = c.get("session");
  if (!session) throw new PorticoError(ErrorCode.UNAUTHENTICATED, "A session is required");
  const state = configStore.current;
  const user = buildRuleUser(session, state, {
    ip: c.get("clientIp"),
    userAgent: c.req.header("user-agent"),
    secure: isSecureRequest(c, state),
    context: "hub",
  });
  return { access: new AccessControl(state, metrics), user, state };
}
