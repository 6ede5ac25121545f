/**
 * The origin of the page that embeds the frame, as the browser reports it. `location.ancestorOrigins`
 * (Chromium, Safari) cannot be forged by either page; the referrer comes next; the SDK's `origin=` hint
 * only serves browsers that give neither. Whatever the source, the caller accepts it only when it is on the
 * proxy's host allow list, and penpal then exchanges messages with that exact origin only, so a wrong hint
 * can at worst make the handshake fail, never deliver data elsewhere.
 */
export function parentOriginCandidate(
  location: Pick<Location, "ancestorOrigins">,
  referrer: string,
  hint?: string,
): string | undefined {
  const ancestors = location.ancestorOrigins;
  if (ancestors && ancestors.length > 0) return ancestors[0] ?? undefined;
  const fromReferrer = originOf(referrer);
  if (fromReferrer) return fromReferrer;
  return hint ? originOf(hint) : undefined;
}

/** Same-origin parents are first-party; anything else must be listed exactly (no wildcards, never "any"). */
export function isParentOriginAllowed(
  origin: string,
  allowList: readonly string[],
  ownOrigin: string,
): boolean {
  if (origin === "null") return false;
  return origin === ownOrigin || allowList.includes(origin);
}

/** The `name` Portico's own pages give a frame they show as a page of their own, with no host to answer. */
export const FIRST_PARTY_FRAME_NAME = "portico-first-party";

/**
 * Whether the frame is one of Portico's own pages shows first-party (the console's Visitor analytics):
 * a same-origin parent that named the frame so. Such a parent runs no SDK, so the frame does not wait
 * for its handshake. Only a same-origin parent counts, and all it skips is talking to that parent.
 */
export function isFirstPartyFrame(parentOrigin: string, ownOrigin: string, frameName: string): boolean {
  return parentOrigin === ownOrigin && frameName === FIRST_PARTY_FRAME_NAME;
}

function originOf(url: string): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}
