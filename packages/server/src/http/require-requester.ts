import { ErrorCode } from "@portico/protocol";
import type { Context, MiddlewareHandler } from "hono";
import { type Requester, type RequestSnapshot, requesterOf } from "../access/requester.js";
import type { ConfigStore } from "../config/config-store.js";
import { PorticoError } from "../errors/portico-error.js";
import type { SessionService } from "../sessions/session-service.js";
import type { AppEnv } from "./app-env.js";
import { requestSnapshot } from "./request-snapshot.js";
import { sessionTokenOf } from "./session-auth.js";

/**
 * The requester of `snapshot` carrying the session `token`: no token is 401 UNAUTHENTICATED, and a token
 * `sessions` refuses keeps its refusal (SESSION_EXPIRED, SESSION_REVOKED...). Never creates a session.
 */
export async function authenticateRequester(
  sessions: Pick<SessionService, "authenticate">,
  snapshot: RequestSnapshot,
  token: string | undefined,
): Promise<Requester> {
  if (token === undefined) throw new PorticoError(ErrorCode.UNAUTHENTICATED, "A session is required");
  const session = await sessions.authenticate(token, snapshot.proxy.prefix, {
    ip: snapshot.ip,
    userAgent: snapshot.userAgent,
  });
  return requesterOf(snapshot, session);
}

/**
 * Makes the request's `Requester` (`c.var.requester`, and its session as `c.var.session`) from its session
 * token, or answers 401. Every module that needs one mounts this on its own paths; where two modules'
 * paths overlap, the second finds the requester made and authenticates nothing again.
 */
export function requireRequester(o: {
  configStore: ConfigStore;
  sessions: Pick<SessionService, "authenticate">;
}): MiddlewareHandler<AppEnv> {
  return async function requireRequesterMiddleware(c, next) {
    if (c.get("requester") === undefined) {
      const requester = await authenticateRequester(
        o.sessions,
        requestSnapshot(c, o.configStore.current),
        sessionTokenOf(c),
      );
      c.set("requester", requester);
      c.set("session", requester.session);
    }
    await next();
  };
}

/** The requester `requireRequester` made; a route mounted without it fails closed (401). */
export function requesterIn(c: Context<AppEnv>): Requester {
  const requester = c.get("requester");
  if (requester === undefined) throw new PorticoError(ErrorCode.UNAUTHENTICATED, "A session is required");
  return requester;
}
