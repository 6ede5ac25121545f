import { timingSafeEqual } from "node:crypto";
import { ErrorCode } from "@portico/protocol";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { ConfigState } from "../config/config-state.js";
import type { ConfigStore } from "../config/config-store.js";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "../http/app-env.js";
import { isSecureRequest, selfOrigin } from "../http/self-origin.js";
import { consoleMay, consoleUser, routeRight, SIGNED_IN } from "./console-rights.js";
import {
  CONSOLE_COOKIE,
  CONSOLE_COOKIE_PATH,
  type ConsoleSessions,
  CSRF_HEADER,
} from "./console-sessions.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The admin API's door: a request with an `Authorization` header (or without the console cookie) goes to
 * the admin key check (`adminAuth`), unchanged for automation. One with the console cookie and no
 * `Authorization` is a console session's: it must be live, a state-changing request must come from
 * Portico's own origin and carry the session's CSRF token (the cookie is sent by the browser whatever page
 * makes the request; the token only Portico's own page can read), and the route must be one the user's
 * `qmc`-context rights allow (`routeRight`), else 403 FORBIDDEN.
 */
export function consoleOrAdminAuth(o: {
  adminAuth: MiddlewareHandler<AppEnv>;
  sessions: ConsoleSessions;
  configStore: ConfigStore;
}): MiddlewareHandler<AppEnv> {
  return async function consoleOrAdminAuthMiddleware(c, next) {
    const token = getCookie(c, CONSOLE_COOKIE);
    if (c.req.header("authorization") !== undefined || token === undefined) return o.adminAuth(c, next);
    const session = await o.sessions.authenticate(token);
    if (!session)
      throw new PorticoError(ErrorCode.UNAUTHENTICATED, "Your console session has ended: sign in again");
    const state = o.configStore.current;
    if (!SAFE_METHODS.has(c.req.method)) {
      if (c.req.header("origin") !== selfOrigin(c, state))
        throw new PorticoError(
          ErrorCode.ORIGIN_NOT_ALLOWED,
          "Console changes are accepted from Portico's own console page only",
        );
      if (!sameToken(c.req.header(CSRF_HEADER), session.csrfToken))
        throw new PorticoError(
          ErrorCode.FORBIDDEN,
          `A console change must carry the session's ${CSRF_HEADER} header`,
        );
    }
    const path = c.req.path.slice(c.req.path.indexOf(CONSOLE_COOKIE_PATH) + CONSOLE_COOKIE_PATH.length);
    const right = routeRight(c.req.method, path);
    if (right === undefined)
      throw new PorticoError(ErrorCode.FORBIDDEN, "This request is for the admin API key only");
    if (right !== SIGNED_IN) {
      const user = consoleUser(session, state, requestFacts(c, state));
      if (!consoleMay(user, right, state))
        throw new PorticoError(
          ErrorCode.FORBIDDEN,
          `The security rules do not allow you to ${right.action} ${right.type} in the management console`,
        );
    }
    c.set("consoleSession", session);
    c.set("adminKey", `qmc:${session.userDirectory}\\${session.userId}`);
    await next();
  };
}

/** What rules read about the request (`user.environment`). */
export function requestFacts(c: Context<AppEnv>, state: ConfigState) {
  return { ip: c.get("clientIp"), userAgent: c.req.header("user-agent"), secure: isSecureRequest(c, state) };
}

function sameToken(sent: string | undefined, expected: string): boolean {
  if (sent === undefined) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
