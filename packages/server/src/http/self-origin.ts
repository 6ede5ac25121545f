import type { Context } from "hono";
import type { ConfigState } from "../config/config-state.js";

/** The server's own origin: `server.publicUrl` when configured, else the origin the request was addressed to. */
export function selfOrigin(c: Context, state: ConfigState): string {
  const publicUrl = state.config.server.publicUrl;
  return publicUrl ? new URL(publicUrl).origin : new URL(c.req.url).origin;
}

/** True when the request reached us over TLS (directly, or as the public URL says). */
export function isSecureRequest(c: Context, state: ConfigState): boolean {
  return selfOrigin(c, state).startsWith("https:");
}
