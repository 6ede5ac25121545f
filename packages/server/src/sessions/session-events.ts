import type { SessionLicense, TicketClaims } from "@portico/protocol";
import type { PorticoError } from "../errors/portico-error.js";
import type { SessionEndReason, SessionRecord } from "../storage/storage.js";
import type { RequestFacts } from "./request-facts.js";
import { TypedEvents } from "./typed-events.js";

/** What sessions publish about their lives (visits record them; licences forget ended sessions). */
export interface SessionEventMap {
  /**
   * A session the gate admitted is starting. Published before the session is stored and acknowledged,
   * and awaited: a subscriber that fails refuses the start, so a session the client holds always has
   * its start recorded.
   */
  started: {
    session: SessionRecord;
    request: RequestFacts | undefined;
    /** The verified ticket the session is redeemed from (absent for local logins). */
    ticket: TicketClaims | undefined;
    license: SessionLicense | undefined;
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
