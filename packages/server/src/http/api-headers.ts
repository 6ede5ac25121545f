import type { MiddlewareHandler } from "hono";

/**
 * Headers of every API answer, errors included: `no-store`, because an answer is for one session
 * (its token, its data, its denials) and no shared or browser cache may keep it; `nosniff`, so a browser
 * never reads a JSON (or CSV) answer as a script or a page. Static assets and pages set their own.
 */
export function apiHeaders(): MiddlewareHandler {
  return async function apiHeadersMiddleware(c, next) {
    await next();
    c.res.headers.set("Cache-Control", "no-store");
    c.res.headers.set("X-Content-Type-Options", "nosniff");
  };
}
