/**
 * The embedding page a session belongs to, for sessions not bound to a page by their ticket (user tickets,
 * local logins). When our own frame (request Origin = this server) acts for its host page and that page is on
 * the proxy's allow list, the page is the session's origin, so sibling embeds on it can join the session;
 * any other caller gets its own request Origin. A page off the allow list can never claim a session.
 */
export function sessionOrigin(
  requestOrigin: string | undefined,
  selfOrigin: string,
  embedOrigin: string | undefined,
  hostAllowList: readonly string[],
): string | null {
  if (requestOrigin === selfOrigin && embedOrigin !== undefined && hostAllowList.includes(embedOrigin))
    return embedOrigin;
  return requestOrigin ?? null;
}
