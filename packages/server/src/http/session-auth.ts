import { ErrorCode } from "@portico/protocol";
import type { Context, MiddlewareHandler } from "hono";
import { parse as parseCookies } from "hono/utils/cookie";
import { PorticoError } from "../errors/portico-error.js";
import { sessionCookieName } from "../sessions/session-cookie.js";
import type { SessionService } from "../sessions/session-service.js";
import type { AppEnv } from "./app-env.js";

/** The session token a request carries: `Authorization: Bearer <token>` first, else the proxy's cookie. */
export function sessionTokenOf(c: Context<AppEnv>): string | undefined {
  return sessionTokenFrom(c.req.header("authorization"), c.req.header("cookie"), c.get("proxy").prefix);
}

/** How a request would authenticate: its `Authorization: Bearer` token, the proxy's cookie, or neither. */
export function sessionCredentialOf(c: Context<AppEnv>): "bearer" | "cookie" | undefined {
  if (bearerToken(c.req.header("authorization")) !== undefined) return "bearer";
  const cookie = c.req.header("cookie");
  if (cookie === undefined) return undefined;
  const name = sessionCookieName(c.get("proxy").prefix);
  return parseCookies(cookie, name)[name] !== undefined ? "cookie" : undefined;
}

function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization?.startsWith("Bearer ")) return undefined;
  const token = authorization.slice(7).trim();
  return token !== "" ? token : undefined;
}

/** `sessionTokenOf` from the raw `Authorization` and `Cookie` header values of a request to proxy `prefix`. */
export function sessionTokenFrom(
  authorization: string | undefined,
  cookie: string | undefined,
  prefix: string,
): string | undefined {
  const bearer = bearerToken(authorization);
  if (bearer !== undefined) return bearer;
  if (cookie === undefined) return undefined;
  const name = sessionCookieName(prefix);
  return parseCookies(cookie, name)[name];
}

/**
 * Loads the session into `c.var.session`. `required`: no valid session is 401 (UNAUTHENTICATED,
 * SESSION_EXPIRED or SESSION_REVOKED). Never creates a session: on an `always` proxy the frame redeems
 * a ticket first.
 */
export function sessionAuth(options: {
  sessions: SessionService;
  required: boolean;
}): MiddlewareHandler<AppEnv> {
  return async function sessionAuthMiddleware(c, next) {
    const token = sessionTokenOf(c);
    if (token === undefined) {
      if (options.required) throw new PorticoError(ErrorCode.UNAUTHENTICATED, "A session is required");
      c.set("session", undefined);
      return next();
    }
    try {
      c.set(
        "session",
        await options.sessions.authenticate(token, c.get("proxy").prefix, {
          ip: c.get("clientIp"),
          userAgent: c.req.header("user-agent"),
        }),
      );
    } catch (error) {
      if (options.required) throw error;
      c.set("session", undefined);
    }
    await next();
  };
}
