import { ErrorCode } from "@portico/protocol";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Logger } from "pino";
import { PorticoError } from "../errors/portico-error.js";
import { statusForCode } from "../errors/status-for-code.js";
import type { Metrics } from "../ops/metrics.js";
import { ERROR_PAGE_CSP, errorPageHtml, isFramePagePath, pageLanguage } from "../pages/error-page.js";
import { isStorageFailure, storageUnavailable } from "../storage/storage-failure.js";

/** Codes whose `details` help the caller fix the request (which field, which config path). */
const DETAILED = new Set<string>([ErrorCode.VALIDATION_FAILED, ErrorCode.CONFIG_INVALID]);

/** What an error answers: status, JSON body and extra headers (e.g. `Retry-After`). */
export interface ErrorAnswer {
  status: ContentfulStatusCode;
  body: { error: { code: string; message: string; details?: unknown } };
  headers: Record<string, string>;
}

/**
 * The one place errors become answers. Known errors keep their code and message; a database that does
 * not answer is 503 STORAGE_UNAVAILABLE with `Retry-After`; anything else is a bare 500 with a fixed body,
 * so no stack trace, SQL or file path ever reaches a client. Denials (401, 403, 429) are counted.
 */
export function errorAnswer(
  error: unknown,
  logger: Logger,
  metrics: Metrics,
  request: { method: string; path: string },
): ErrorAnswer {
  if (error instanceof PorticoError) {
    const status = statusForCode(error.code) as ContentfulStatusCode;
    if (status === 401 || status === 403 || status === 429)
      metrics.inc("portico_denials_total", { code: error.code });
    const body: ErrorAnswer["body"] = { error: { code: error.code, message: error.message } };
    if (DETAILED.has(error.code) && error.details !== undefined) body.error.details = error.details;
    return { status, body, headers: error.headers };
  }
  if (error instanceof HTTPException && error.status < 500) {
    const code =
      error.status === 413
        ? ErrorCode.PAYLOAD_TOO_LARGE
        : error.status === 404
          ? ErrorCode.NOT_FOUND
          : ErrorCode.BAD_REQUEST;
    const message = error.status === 413 ? "The request body is too large" : "Bad request";
    return { status: error.status, body: { error: { code, message } }, headers: {} };
  }
  if (isStorageFailure(error)) {
    // A fault of the moment (database restarting, frozen, locked, full): the client retries.
    metrics.inc("portico_storage_failures_total");
    logger.warn({ err: error, ...request }, "storage unavailable");
    const answer = storageUnavailable();
    return {
      status: 503,
      body: { error: { code: answer.code, message: answer.message } },
      headers: answer.headers,
    };
  }
  logger.error({ err: error, ...request }, "unhandled error");
  return {
    status: 500,
    body: { error: { code: ErrorCode.INTERNAL, message: "Internal error" } },
    headers: {},
  };
}

/**
 * hono's `onError`: every error a route throws is answered by `errorAnswer`; a frame page's (what an
 * iframe shows) as a page for the visitor (`errorPageHtml`), the same status and headers.
 */
export function createErrorHandler(logger: Logger, metrics: Metrics) {
  return function onError(error: Error, c: Context): Response {
    const answer = errorAnswer(error, logger, metrics, { method: c.req.method, path: c.req.path });
    for (const [name, value] of Object.entries(answer.headers)) c.header(name, value);
    if (c.req.method === "GET" && isFramePagePath(c.req.path)) {
      c.header("Content-Security-Policy", ERROR_PAGE_CSP);
      c.header("Cache-Control", "no-store");
      const language = pageLanguage(c.req.query("locale"), c.req.header("accept-language"));
      const page = errorPageHtml(answer.body.error.code, answer.status, {
        language,
        theme: c.req.query("theme"),
      });
      return c.html(page, answer.status);
    }
    return c.json(answer.body, answer.status);
  };
}
