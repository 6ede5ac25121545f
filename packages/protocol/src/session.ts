/** Ticket and session contracts between the frame, the SDK and the server. */

import type { AppDetail } from "./data.js";
import type { PrefetchedResult } from "./first-queries.js";

export type AnonymousAccess = "none" | "allow" | "always";

/** What a ticket is for. */
export type TicketKind = "anonymous" | "user" | "join";

/**
 * Claims of a Portico ticket (an ES256 JWT). `aud` is `portico:<prefix>` (`portico:` for the default proxy:
 * JWT audiences must be non-empty), so a ticket for one virtual proxy is refused by every other.
 */
export interface TicketClaims {
  iss: string;
  aud: string;
  jti: string;
  iat: number;
  exp: number;
  kind: TicketKind;
  /** Anonymous and join tickets are bound to the embedding page's exact origin. */
  origin?: string;
  userDirectory?: string;
  userId?: string;
  /** Ticket API attributes; they become `user.environment.<name>` in rules. */
  attributes?: Record<string, string | string[]>;
  /** Join tickets: the session the sibling embed joins. */
  sid?: string;
  /** Anonymous tickets: visitor attributes whose signature a ticket client's key verified. */
  visitor?: { client: string; attributes: Record<string, string | string[]> };
  /** Anonymous tickets: unsigned hints from the page; the visit log keeps them marked unverified. */
  visitorHint?: Record<string, string | string[]>;
  /** Anonymous tickets: the embedding page's URL when the SDK sends it. */
  pageUrl?: string;
}

/** `POST /{P}/api/v1/tickets/anonymous` and `POST /{P}/api/v1/tickets` response. */
export interface TicketResponse {
  ticket: string;
  expiresAt: string;
  /**
   * `POST tickets/anonymous` with `{resume: true}`, and `POST sessions/resume`: the page's resume
   * credential for the ticket's anonymous identity (see `ResumeRequest`). Opaque; one use each.
   */
  resume?: string;
}

/**
 * `POST /{P}/api/v1/sessions/resume` and `POST /{P}/api/v1/sessions/leave` body, sent by the embedding
 * page itself (its Origin must be the one the credential was issued to). Resume answers a
 * `TicketResponse`: a ticket into the identity's live session (or, when it has ended, a new session of
 * the same identity) and the next credential, since each is used once. Leave ends the identity's session
 * after the proxy's `leaveGraceSeconds`, unless a page resumes it first.
 */
export interface ResumeRequest {
  resume: string;
}

export interface SessionUser {
  userDirectory: string;
  userId: string;
  name?: string;
  anonymous: boolean;
}

export interface SessionLicense {
  type: "professional" | "analyzer" | "analyzerCapacity" | "loginAccessPass" | "anonymousCapacity";
  /** The licence rule that granted it, for capacity types. */
  rule?: string;
}

/** `POST /{P}/api/v1/sessions` response. */
export interface SessionResponse {
  sessionToken: string;
  user: SessionUser;
  /** When the session ends if it stays idle (ISO 8601). */
  expiresAt: string;
  /** Inactivity timeout of the proxy, so the frame can warn before it. */
  inactivityTimeoutMs: number;
  license?: SessionLicense;
  /** The app named in the redemption request, when the new session may read it (as `GET /apps/{id}`). */
  app?: AppDetail;
  /**
   * With `app`, when the request named the view (`sheet` or `object`, and its `selections`): the results of
   * that view's first queries (`firstQueries`) that the new session may read, each as
   * `POST /apps/{id}/query` answers it; a query that would fail is left out (the frame asks it itself).
   */
  results?: PrefetchedResult[];
}
