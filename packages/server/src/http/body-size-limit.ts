import { ErrorCode } from "@portico/protocol";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { PorticoError } from "../errors/portico-error.js";

function tooLarge(): never {
  throw new PorticoError(ErrorCode.PAYLOAD_TOO_LARGE, "The request body is too large");
}

/**
 * Refuses request bodies over `maxBytes` with PAYLOAD_TOO_LARGE (413). A body framed by Content-Length is
 * judged by that header alone: Node's HTTP parser delivers exactly that many bytes, never more. Only a
 * chunked body (Transfer-Encoding) is counted while it streams, by hono's `bodyLimit`. Hono is not asked
 * for every request because touching `c.req.raw.body` makes the Node
 * adapter build a full web `Request` and stream, where the body would otherwise be read straight
 * from the socket.
 */
export function bodySizeLimit(options: { maxBytes: number }): MiddlewareHandler {
  const streamed = bodyLimit({ maxSize: options.maxBytes, onError: tooLarge });
  return async function bodySizeLimitMiddleware(c, next) {
    const method = c.req.method;
    // A GET or HEAD request has no body as far as fetch (and every handler here) is concerned.
    if (method === "GET" || method === "HEAD") return next();
    const length = c.req.header("content-length");
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) {
      if (!/^\d+$/.test(length.trim()))
        throw new PorticoError(ErrorCode.BAD_REQUEST, "The Content-Length header is not a number");
      if (Number(length) > options.maxBytes) tooLarge();
      return next();
    }
    return streamed(c, next);
  };
}
