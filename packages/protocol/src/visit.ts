/** The visit log's contracts: what the frame sends, what the admin API returns. */

export const VISIT_TYPES = [
  "sessionStart",
  "sessionEnd",
  "appOpen",
  "sheetView",
  "export",
  "denied",
  "originRefused",
  "licenceUse",
] as const;
/** One kind of visit event. */
export type VisitType = (typeof VISIT_TYPES)[number];

/**
 * Why a session ended. `switched`: an anonymous visitor logged in and got a new session. `left`: the page
 * said its visitor left (tab closed, embeds destroyed) and no page resumed the session within the grace.
 */
export type VisitEndReason = "logout" | "timeout" | "expired" | "revoked" | "switched" | "left";

/** A proxy's anonymous session budgets, named by their `virtualProxies[].anonymousLimits` keys. */
export const ANONYMOUS_LIMIT_KINDS = [
  "newSessionsPerIpPerHour",
  "newSessionsPerNetworkPerHour",
  "concurrentSessionsPerIp",
] as const;
/** Which anonymous session budget refused a start (`denied` with `ANONYMOUS_LIMIT`). */
export type AnonymousLimitKind = (typeof ANONYMOUS_LIMIT_KINDS)[number];

/** What refused a `denied` event: a security rule, the licences, or an anonymous session budget. */
export type DenialKind = "rule" | "licence" | "limit";

/** `POST /{P}/api/v1/visits/beacon` body, sent by the frame with the session. */
export interface VisitBeacon {
  type: "sheetView" | "export";
  app: string;
  sheet?: string;
  object?: string;
  /** The embedding page's URL, when the SDK passes it on. */
  pageUrl?: string;
}

/** One event of the visit log as the admin API returns it. */
export interface VisitRecord {
  /** Monotonic id: the cursor of the log. */
  id: number;
  /** ISO 8601. */
  time: string;
  type: VisitType;
  proxy: string;
  sessionId: string | null;
  userDirectory: string;
  userId: string;
  anonymous: boolean;
  /** As kept by the privacy mode: full, truncated, `h:`-prefixed keyed hash, or null. */
  ip: string | null;
  userAgent: string | null;
  browser: string | null;
  os: string | null;
  device: string | null;
  origin: string | null;
  pageUrl: string | null;
  app: string | null;
  sheet: string | null;
  object: string | null;
  /** sessionEnd: how long the session lasted. */
  durationMs: number | null;
  /** sessionEnd: why it ended; denied by an anonymous session budget: which one. */
  reason: VisitEndReason | AnonymousLimitKind | null;
  /** denied: the error code the visitor got. */
  denialCode: string | null;
  /** denied: what refused (a security rule, the licences, or an anonymous session budget). */
  denialKind: DenialKind | null;
  /**
   * denied: what refused, in words: the licence rules tried and why each failed (`rule "Anonymous
   * passes" (loginAccessPass): pool exhausted`), the anonymous budget, or the security rule's verdict.
   */
  denialDetail: string | null;
  /** licenceUse: the pool a session consumed from (`analyzerCapacity`, `loginAccessPass`). */
  licence: string | null;
  /** licenceUse: how much: minutes of analyzer capacity, or passes. */
  licenceAmount: number | null;
  /** Attributes vouched for by a ticket client's signature. */
  visitor: Record<string, string | string[]> | null;
  /** The ticket client whose key signed `visitor`. */
  visitorClient: string | null;
  /** Hints from the page, unsigned: never trust them for anything but display. */
  unverifiedVisitor: Record<string, string | string[]> | null;
}

/** `GET /admin/api/v1/visits` response. */
export interface VisitPage {
  visits: VisitRecord[];
  /** Pass as `cursor` for the next (older) page; absent on the last page. */
  nextCursor?: string;
}

export const VISIT_GROUP_BY = ["day", "app", "origin", "proxy", "ip"] as const;
export type VisitGroupBy = (typeof VISIT_GROUP_BY)[number];

/** One row of `GET /admin/api/v1/visits/summary`. */
export interface VisitSummaryRow {
  /** The day (YYYY-MM-DD, UTC) or the app / origin / proxy / ip; null when events had none. */
  key: string | null;
  /** Sessions with at least one matching event. */
  visits: number;
  uniqueVisitors: number;
  /** Over the sessions that have ended; null when none has. */
  averageSessionMs: number | null;
}
