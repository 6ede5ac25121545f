import { CALL_TIMEOUT_MS, HANDSHAKE_TIMEOUT_MS, TICKET_TIMEOUT_MS } from "@portico/protocol";

// The defaults live in @portico/protocol, beside the frame's own waits that are chosen against them.
export { CALL_TIMEOUT_MS, HANDSHAKE_TIMEOUT_MS, TICKET_TIMEOUT_MS };

export interface Timeouts {
  handshakeMs: number;
  callMs: number;
  ticketMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = {
  handshakeMs: HANDSHAKE_TIMEOUT_MS,
  callMs: CALL_TIMEOUT_MS,
  ticketMs: TICKET_TIMEOUT_MS,
};
