import { ErrorCode } from "@portico/protocol";
import type { MiddlewareHandler } from "hono";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "./app-env.js";
import type { TokenBucket } from "./token-bucket.js";

/** 429 RATE_LIMITED with `Retry-After` (whole seconds, at least 1). */
export function rateLimited(retryAfterMs: number): PorticoError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new PorticoError(ErrorCode.RATE_LIMITED, "Too many requests; retry later", undefined, {
    "Retry-After": String(seconds),
  });
}

/**
 * 429 RATE_LIMITED when the client's bucket is empty. `key` turns the client IP into what is counted
 * (default: the address itself; `clientNetwork` counts an IPv6 /64 as one client).
 */
export function rateLimit(options: {
  bucket: TokenBucket;
  scope: string;
  key?: (clientIp: string) => string;
}): MiddlewareHandler<AppEnv> {
  const keyOf = options.key ?? ((ip: string) => ip);
  return async function rateLimitMiddleware(c, next) {
    const result = options.bucket.take(`${options.scope}|${keyOf(c.get("clientIp"))}`);
    if (!result.allowed) throw rateLimited(result.retryAfterMs);
    await next();
  };
}
