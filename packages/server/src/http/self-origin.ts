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

/** How the machine the server runs on names itself in an origin. */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * The server's own origin: `server.publicUrl` when configured. Never the origin the request was addressed
 * to: the Host header is the visitor's to write, and a DNS-rebinding page (its own name pointed at this
 * server) would pass for one of our own pages and get tickets and sessions. A configuration without a
 * public URL has no proxy that takes other origins' requests (the schema requires it then), and its own
 * pages are those opened on this machine: a loopback name on the port the request arrived at (the
 * socket's, not the Host header's).
 */
export function selfOrigin(c: Context, state: ConfigState): string {
  const publicUrl = state.config.server.publicUrl;
  return publicUrl ? originOf(publicUrl) : loopbackOrigin(c);
}

/** The request's Origin when it is a loopback origin on the socket's local port, else `http://localhost:<port>`. */
function loopbackOrigin(c: Context): string {
  const env = c.env as { incoming?: { socket?: { localPort?: number } } } | undefined;
  const port = String(env?.incoming?.socket?.localPort ?? 80);
  const origin = c.req.header("origin");
  if (origin !== undefined && URL.canParse(origin)) {
    const url = new URL(origin);
    if (
      url.origin === origin &&
      url.protocol === "http:" &&
      LOOPBACK_HOSTS.has(url.hostname) &&
      (url.port || "80") === port
    )
      return origin;
  }
  return port === "80" ? "http://localhost" : `http://localhost:${port}`;
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
