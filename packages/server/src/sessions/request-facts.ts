/** What the HTTP layer knows about the request behind a session event (absent for programmatic calls). */
export interface RequestFacts {
  /** The client IP as `clientIp()` resolved it (trusted proxies honoured). */
  ip: string;
  userAgent: string | undefined;
  /** What the page was opening (a redemption names its first view): a refused start's visit event says it. */
  view?: { app?: string | undefined; sheet?: string | undefined; object?: string | undefined } | undefined;
}
