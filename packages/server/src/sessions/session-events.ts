import type { TicketClaims } from "@portico/protocol";
import type { PorticoError } from "../errors/portico-error.js";
import type { SessionEndReason, SessionRecord, SessionStart } from "../storage/storage.js";
import type { RequestFacts } from "./request-facts.js";
import { TypedEvents } from "./typed-events.js";

/** What sessions publish about their lives (visits record them; licences forget ended sessions). */
export interface SessionEventMap {
  /**
   * A session is starting. Published before its gates run and before anything is written, and awaited:
   * what a subscriber records about the start goes into `start` and commits with the session, or not at
   * all (a gate's refusal, a failed write); a subscriber that fails refuses the start. Subscribers must not
   * write storage themselves here: the start may hold it.
   */
  started: {
    session: SessionRecord;
    request: RequestFacts | undefined;
    /** The verified ticket the session is redeemed from (absent for local logins). */
    ticket: TicketClaims | undefined;
    start: SessionStart;
  };
  ended: { session: SessionRecord; reason: SessionEndReason };
  /** A gate (the anonymous budgets, the licences) refused a session's start or one of its requests. */
  denied: {
    session: SessionRecord;
    phase: "sessionStart" | "activity";
    error: PorticoError;
    request: RequestFacts | undefined;
  };
}

export class SessionEvents extends TypedEvents<SessionEventMap> {}
