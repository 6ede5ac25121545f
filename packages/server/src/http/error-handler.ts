import { ErrorCode } from "@portico/protocol";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "pino";
import { PorticoError } from "../errors/portico-error.js";
import { statusForCode } from "../errors/status-for-code.js";
import type { Metrics } from "../ops/metrics.js";

/** Codes whose `details` help the caller fix the request (which field, which config path). */
const DETAILED = new Set<string>([ErrorCode.VALIDATION_FAILED, ErrorCode.CONFIG_INVALID]);

/**
 * The one place errors become responses. Known errors keep their code and message; anything else is a
 * bare 500 with a fixed body, so no stack trace, SQL or file path ever reaches a client.
 */
export function createErrorHandler(logger: Logger, metrics: Metrics) {
  return function onError(error: Error, c: Context): Response {
    if (error instanceof PorticoError) {
      const status = statusForCode(error.code) as ContentfulStatusCode;
      if (status === 401 || status === 403 || status === 429)
        metrics.inc("portico_denials_total", { code: error.code });
      const body: { error: { code: string; message: string; details?: unknown } } = {
        error: { code: error.code, message: error.message },
      };
      if (DETAILED.has(error.code) && error.details !== undefined) body.error.details = error.details;
      for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
      return c.json(body, status);
    }
    if (error instanceof HTTPException && error.status < 500) {
      const code =
        error.status === 413
          ? ErrorCode.PAYLOAD_TOO_LARGE
          : error.status === 404
            ? ErrorCode.NOT_FOUND
            : ErrorCode.BAD_REQUEST;
      return c.json(
        { error: { code, message: error.status === 413 ? "The request body is too large" : "Bad request" } },
        error.status,
      );
    }
    logger.error({ err: error, method: c.req.method, path: c.req.path }, "unhandled error");
    return c.json({ error: { code: ErrorCode.INTERNAL, message: "Internal error" } }, 500);
  };
}
