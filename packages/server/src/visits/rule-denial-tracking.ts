import { ErrorCode } from "@portico/protocol";
import type { MiddlewareHandler } from "hono";
import { isPorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "../http/app-env.js";
import { eventClient } from "./event-client.js";
import type { VisitTracker } from "./visit-tracker.js";

/** Codes that mean "a security rule said no" when a route of a live session answers with them. */
const RULE_DENIALS = new Set<string>([ErrorCode.FORBIDDEN, ErrorCode.EXPORT_FORBIDDEN]);

/**
 * Records FORBIDDEN / EXPORT_FORBIDDEN answers to a live session as rule denials naming the app and the
 * object. Mounted on `apps/:id/objects/:objectId/*`, the only routes of a session a rule refuses that way
 * (an export): the ids are its route's parameters.
 */
export function ruleDenialTracking(o: { tracker: VisitTracker }): MiddlewareHandler<AppEnv> {
  return async function ruleDenialTrackingMiddleware(c, next) {
    const app = c.req.param("id");
    const object = c.req.param("objectId");
    await next();
    const error = c.error;
    const requester = c.get("requester");
    if (!requester || !isPorticoError(error) || !RULE_DENIALS.has(error.code)) return;
    const event = o.tracker.sessionEvent(requester.session, "denied", eventClient(requester));
    event.app = app === undefined ? null : app.slice(0, 256);
    event.object = object === undefined ? null : object.slice(0, 256);
    event.denialCode = error.code;
    event.denialKind = "rule";
    event.denialDetail = error.message.slice(0, 512);
    await o.tracker.record(event);
  };
}
