import type { Context } from "hono";
import type { ConfigState } from "../config/config-state.js";

/** Origins of configured public URLs: a configuration holds one, reloads rarely change it. */
const publicOrigins = new Map<string, string>();
const PUBLIC_ORIGIN_CACHE_LIMIT = 16;

function originOf(publicUrl: string): string {
  let origin = publicOrigins.get(publicUrl);
  if (origin === undefined) {
    origin = new URL(publicUrl).origin;
    if (publicOrigins.size >= PUBLIC_ORIGIN_CACHE_LIMIT) publicOrigins.clear();
    publicOrigins.set(publicUrl, origin);
  }
  return origin;
}

/** The server's own origin: `server.publicUrl` when configured, else the origin the request was addressed to. */
export function selfOrigin(c: Context, state: ConfigState): string {
  const publicUrl = state.config.server.publicUrl;
  return publicUrl ? originOf(publicUrl) : new URL(c.req.url).origin;
}

/**
 * True when the request reached us over TLS (directly, or as the public URL says). Only the scheme
 * matters, and a request's URL is already normalized (lower-case scheme first): parsing all of it on
 * every rule check would cost more than the check.
 */
export function isSecureRequest(c: Context, state: ConfigState): boolean {
  return isSecureUrl(c.req.url, state);
}

/** `isSecureRequest` for a request addressed to `url` (only its scheme is read). */
export function isSecureUrl(url: string, state: ConfigState): boolean {
  const publicUrl = state.config.server.publicUrl;
  return publicUrl ? originOf(publicUrl).startsWith("https:") : /^https:/i.test(url);
}
