/**
 * Security headers for pages that may be framed. `frame-ancestors` lists the exact origins of the
 * proxy's host allow list and nothing else: an empty list is `'none'` (no third-party page may frame
 * us), never `*`. First-party pages (`/hub`) also allow `'self'`.
 */
export function frameHeaders(
  hostAllowList: readonly string[],
  { firstParty }: { firstParty: boolean },
): Record<string, string> {
  const ancestors = [...(firstParty ? ["'self'"] : []), ...hostAllowList];
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `frame-ancestors ${ancestors.length > 0 ? ancestors.join(" ") : "'none'"}`,
  ].join("; ");
  return {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
  };
}
