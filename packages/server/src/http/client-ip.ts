import type { Context } from "hono";

/**
 * The client address: the socket peer, unless the peer is a configured trusted proxy, in which case the
 * right-most `X-Forwarded-For` entry that is not itself trusted. A header from an untrusted peer is ignored,
 * so a visitor cannot choose their own IP.
 */
export function clientIp(c: Context, trustProxy: readonly string[]): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const peer = normalise(env?.incoming?.socket?.remoteAddress ?? "unknown");
  if (trustProxy.length === 0 || !trustProxy.includes(peer)) return peer;
  const chain = (c.req.header("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => normalise(s.trim()))
    .filter((s) => s !== "");
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = chain[i] as string;
    if (!trustProxy.includes(hop)) return hop;
  }
  return chain[0] ?? peer;
}

/** `::ffff:10.0.0.1` -> `10.0.0.1`. */
function normalise(address: string): string {
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
