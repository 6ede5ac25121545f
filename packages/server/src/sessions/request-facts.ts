/** What the HTTP layer knows about the request behind a session event (absent for programmatic calls). */
export interface RequestFacts {
  /** The client IP as `clientIp()` resolved it (trusted proxies honoured). */
  ip: string;
  userAgent: string | undefined;
}
