import type { SessionLicense } from "@portico/protocol";
import type { SessionRecord, SessionStart } from "../storage/storage.js";
import type { RequestFacts } from "./request-facts.js";

/**
 * What admits a session and each of its requests (the anonymous session budgets, licence allocation). A
 * refusal is a thrown (or rejected) PorticoError, such as ANONYMOUS_LIMIT or NO_ACCESS_PASS: the session is
 * then not created, or the request not served, and sessions publish `denied`.
 */
export interface SessionGate {
  /**
   * Before a new session is stored; the licence that covers it, if any. What a gate writes for the start
   * goes through `start`, so it commits with the session row or not at all; a gate that counts in memory
   * refuses before anything is written.
   */
  admit(
    session: SessionRecord,
    request?: RequestFacts,
    start?: SessionStart,
  ): Promise<SessionLicense | undefined>;
  /**
   * On every authenticated request. Undefined when there is nothing to wait for (the common case: no
   * promise, no await on the busiest path).
   */
  admitRequest(session: SessionRecord, now: number, request?: RequestFacts): Promise<void> | undefined;
  /**
   * A session this gate admitted was not created after all (a later gate refused it, or its start could not
   * be recorded or stored): what the gate counted for it no longer counts.
   */
  abandon?(session: SessionRecord, request?: RequestFacts): void;
}
