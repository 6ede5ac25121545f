// Every wait that spans the iframe boundary, in one place: the SDK and the frame bound the same exchanges,
// so each side's limit has to be chosen knowing the other's.

/**
 * How long the SDK waits for the frame to load and answer penpal's handshake. The frame's page, its
 * script and its embed config come over the network first, on a slow mobile connection too.
 */
export const HANDSHAKE_TIMEOUT_MS = 15_000;

/**
 * How long the frame, once loaded, waits for a host page to answer its handshake before it runs on its own
 * (a plain iframe without the SDK). The SDK listens before it creates the iframe, so a host answers at
 * once; the wait only covers a host page whose main thread is busy, and a plain iframe shows nothing
 * until it has passed.
 */
export const HOST_HANDSHAKE_TIMEOUT_MS = 3_000;

/** How long one frame method call may take: a query on a large app included. */
export const CALL_TIMEOUT_MS = 20_000;

/**
 * How long the host's `getTicket()` may take by default (the SDK's `timeouts.ticketMs`): a round trip to
 * the page's own backend, which asks the server's Ticket API, or to the anonymous ticket endpoint.
 */
export const TICKET_TIMEOUT_MS = 10_000;

/**
 * What the frame adds to the host's ticket timeout. The frame's wait starts before the host's (the request
 * crosses postMessage first) and the host's answer crosses it back, each hop behind whatever task the
 * receiving main thread is running; with the margin, the host's own answer, a ticket or its
 * `TICKET_TIMEOUT` naming what was slow, arrives before the frame gives up.
 */
export const TICKET_HOP_MARGIN_MS = 1_000;

/**
 * The ticket wait for a host that does not say its timeout (protocol 1.0): frames of that version waited
 * this long, and pages may have raised `ticketMs` up to it.
 */
export const LEGACY_TICKET_WAIT_MS = 15_000;

/**
 * The longest timeout the SDK accepts, and so the longest ticket timeout a host may announce: no page waits
 * a day for an answer, and the frame's timer (with the margin) stays under `setTimeout`'s limit
 * (2^31 - 1 ms; a longer delay fires at once).
 */
export const MAX_TIMEOUT_MS = 86_400_000;

/** How long the frame waits for `getTicket()`, given the host's announced ticket timeout (none: a 1.0 host). */
export function frameTicketWaitMs(hostTicketTimeoutMs: number | undefined): number {
  return hostTicketTimeoutMs === undefined
    ? LEGACY_TICKET_WAIT_MS
    : hostTicketTimeoutMs + TICKET_HOP_MARGIN_MS;
}
