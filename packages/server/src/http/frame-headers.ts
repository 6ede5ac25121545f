/**
 * Security headers for pages that may be framed (the frame, the hub, the console). `frame-ancestors` is
 * `'self'` and the exact origins of the proxy's host allow list, never `*`: an empty list lets no
 * third-party page frame us. `'self'`: only Portico's own pages share its origin (the management console
 * shows the Visitor analytics app in a frame), and the frame treats a same-origin parent as first-party,
 * as its own check already does.
 */
export function frameHeaders(hostAllowList: readonly string[]): Record<string, string> {
  const ancestors = ["'self'", ...hostAllowList];
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `frame-ancestors ${ancestors.join(" ")}`,
  ].join("; ");
  return {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
  };
}
