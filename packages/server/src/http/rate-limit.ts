import { ErrorCode } from "@portico/protocol";
import type { MiddlewareHandler } from "hono";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "./app-env.js";
import type { TokenBucket } from "./token-bucket.js";

/** 429 RATE_LIMITED with `Retry-After` (whole seconds, at least 1) when the client's bucket is empty. */
export function rateLimit(options: { bucket: TokenBucket; scope: string }): MiddlewareHandler<AppEnv> {
  return async function rateLimitMiddleware(c, next) {
    const result = options.bucket.take(`${options.scope}|${c.get("clientIp")}`);
    if (!result.allowed) {
      const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
      throw new PorticoError(ErrorCode.RATE_LIMITED, "Too many requests; retry later", undefined, {
        "Retry-After": String(seconds),
      });
    }
    await next();
  };
}
