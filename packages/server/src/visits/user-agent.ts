import UAParser from "ua-parser-js";

export interface ParsedUserAgent {
  browser: string | null;
  os: string | null;
  device: string | null;
}

const CACHE_LIMIT = 1000;
const cache = new Map<string, ParsedUserAgent>();

/**
 * Browser, OS and device type of a user agent (ua-parser-js, MIT). A user agent without a device type is a
 * desktop, as the parser documents. Visitors send few distinct strings, so results are cached.
 */
export function parseUserAgent(userAgent: string | null): ParsedUserAgent {
  if (!userAgent) return { browser: null, os: null, device: null };
  let parsed = cache.get(userAgent);
  if (!parsed) {
    const r = new UAParser(userAgent).getResult();
    parsed = {
      browser: r.browser.name ?? null,
      os: r.os.name ?? null,
      device: r.device.type ?? (r.browser.name || r.os.name ? "desktop" : null),
    };
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(userAgent, parsed);
  }
  return parsed;
}
