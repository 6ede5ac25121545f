/** How long a one-time ticket is valid after it is issued. */
export const TICKET_TTL_MS = 60_000;
