import type { Requester } from "../access/requester.js";

/** The client facts a visit event of `requester` keeps (`VisitTracker.sessionEvent`'s request). */
export function eventClient(requester: Requester): { ip: string; userAgent: string | null } {
  return { ip: requester.ip, userAgent: requester.userAgent ?? null };
}
