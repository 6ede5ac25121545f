import { AsyncLocalStorage } from "node:async_hooks";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../http/app-env.js";

/** What the visit log needs from the request behind a session event. */
export interface VisitRequest {
  ip: string;
  userAgent: string | null;
  /** `POST sessions`: the ticket being redeemed (verified by the session service before any event). */
  ticket?: string;
}

/**
 * The request a session event happens in. Session listeners run deep inside the session service, which
 * knows nothing of HTTP; this carries the request's facts to them without threading them through every
 * call. Absent for work outside a visitor's request (admin revocations, the expiry sweep).
 */
export const visitRequests = new AsyncLocalStorage<VisitRequest>();

/** Runs the rest of the request inside its visit context. Mounted on the proxies' API only. */
export function visitContext(): MiddlewareHandler<AppEnv> {
  return async function visitContextMiddleware(c, next) {
    const request: VisitRequest = { ip: c.get("clientIp"), userAgent: c.req.header("user-agent") ?? null };
    if (c.req.method === "POST" && c.req.path.endsWith("/sessions")) {
      const body = await c.req
        .text()
        .then((text) => JSON.parse(text) as { ticket?: unknown })
        .catch(() => undefined);
      if (typeof body?.ticket === "string") request.ticket = body.ticket;
    }
    await visitRequests.run(request, next);
  };
}
