/** How long the frame may take to load and answer penpal's handshake. */
export const HANDSHAKE_TIMEOUT_MS = 15_000;
/** How long one frame method call may take (a query on a large app included). */
export const CALL_TIMEOUT_MS = 20_000;
/** How long `getTicket()` (the page's backend, or the anonymous ticket endpoint) may take. */
export const TICKET_TIMEOUT_MS = 10_000;

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
