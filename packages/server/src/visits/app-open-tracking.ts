import { ErrorCode } from "@portico/protocol";
import type { MiddlewareHandler } from "hono";
import type { Requester } from "../access/requester.js";
import type { AppEnv } from "../http/app-env.js";
import { eventClient } from "./event-client.js";
import type { VisitTracker } from "./visit-tracker.js";

/**
 * Around `GET apps/:id`: a 200 is an app open; a 404 for an app that exists is a security-rule denial
 * (the visitor sees "not found" so ids do not leak, the log says what happened). Answered after commit.
 */
export function appOpenTracking(o: { tracker: VisitTracker }): MiddlewareHandler<AppEnv> {
  return async function appOpenTrackingMiddleware(c, next) {
    const id = c.req.param("id");
    await next();
    const requester = c.get("requester");
    if (c.req.method !== "GET" || !requester || !id) return;
    if (c.res.status === 200) {
      await recordAppOpen(o.tracker, requester, id);
    } else if (c.res.status === 404 && requester.state.apps.has(id)) {
      const event = o.tracker.sessionEvent(requester.session, "denied", eventClient(requester));
      event.app = id;
      event.denialCode = ErrorCode.APP_NOT_FOUND;
      event.denialKind = "rule";
      event.denialDetail = `no security rule lets ${requester.session.userDirectory}\\${requester.session.userId} read the app (hub context)`;
      await o.tracker.record(event);
    }
  };
}

/**
 * Records that `requester` opened `app` (from `GET /apps/{id}`, or a session answer that carried the app),
 * and which `object` when the page embeds a single object.
 */
export async function recordAppOpen(
  tracker: VisitTracker,
  requester: Requester,
  app: string,
  object?: string,
): Promise<void> {
  const event = tracker.sessionEvent(requester.session, "appOpen", eventClient(requester));
  event.app = app;
  if (object !== undefined) event.object = object.slice(0, 256);
  await tracker.record(event);
}
