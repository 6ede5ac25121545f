import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import { logRequest } from "../ops/create-logger.js";
import type { AppEnv } from "./app-env.js";

/**
 * One line per request: method, path (without query string), status, duration and client IP. Headers
 * and bodies are never logged: they carry tickets, session tokens, passwords and API keys.
 */
export function requestLog(options: { logger: Logger; clock: () => number }): MiddlewareHandler<AppEnv> {
  return async function requestLogMiddleware(c, next) {
    const start = options.clock();
    await next();
    logRequest(options.logger, {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: options.clock() - start,
      ip: c.get("clientIp"),
    });
  };
}
