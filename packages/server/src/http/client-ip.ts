import { BlockList, isIP } from "node:net";
import type { Context } from "hono";

/** Which header a trusted proxy appends the client address to. */
export type ForwardedHeader = "x-forwarded-for" | "forwarded";

export interface ForwardingFacts {
  /** The socket peer. */
  peer: string;
  /** The raw `X-Forwarded-For` header(s), joined with commas. */
  xForwardedFor?: string | undefined;
  /** The raw `Forwarded` header(s) (RFC 7239), joined with commas. */
  forwarded?: string | undefined;
}

/**
 * The client address: the socket peer, unless the peer is a trusted proxy, in which case the forwarding
 * chain is walked from the right (the hop our own proxy appended) and the first address that is not a
 * trusted proxy wins. Only the configured header is read: a proxy that appends X-Forwarded-For passes a
 * client-written `Forwarded` through untouched, so reading both would let a visitor choose their IP.
 * A header from an untrusted peer is ignored for the same reason. The one function every part of the
 * server (rate limits, rules' `user.environment.ip`, the visit log, request logs) takes the IP from.
 */
export function resolveClientIp(
  facts: ForwardingFacts,
  trusted: TrustedProxies,
  header: ForwardedHeader = "x-forwarded-for",
): string {
  const peer = normaliseAddress(facts.peer);
  if (!trusted.has(peer)) return peer;
  const raw = header === "forwarded" ? facts.forwarded : facts.xForwardedFor;
  const chain = header === "forwarded" ? parseForwarded(raw ?? "") : parseXForwardedFor(raw ?? "");
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = chain[i] as string;
    // Garbage in a chain ends the walk: everything left of it was written by someone we cannot vouch for.
    if (isIP(hop) === 0) return i === chain.length - 1 ? peer : (chain[i + 1] as string);
    if (!trusted.has(hop)) return hop;
  }
  // Every hop is a trusted proxy: the left-most is the closest we know to the client.
  return chain[0] ?? peer;
}

/** Reads the request's peer and forwarding headers and resolves them (see `resolveClientIp`). */
export function clientIp(
  c: Context,
  trustProxy: readonly string[] | TrustedProxies,
  header: ForwardedHeader = "x-forwarded-for",
): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  const trusted = trustProxy instanceof TrustedProxies ? trustProxy : TrustedProxies.of(trustProxy);
  return resolveClientIp(
    {
      peer: env?.incoming?.socket?.remoteAddress ?? "unknown",
      xForwardedFor: c.req.header("x-forwarded-for"),
      forwarded: c.req.header("forwarded"),
    },
    trusted,
    header,
  );
}

/** `server.trustProxy` entries: exact addresses or CIDR blocks (`10.0.0.0/8`, `fd00::/8`). */
export class TrustedProxies {
  private static readonly cache = new WeakMap<readonly string[], TrustedProxies>();
  private readonly list = new BlockList();
  readonly size: number;

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [address = "", bits] = entry.trim().split("/");
      const family = isIP(normaliseAddress(address));
      if (family === 0) throw new TypeError(`trustProxy: "${entry}" is not an IP address or CIDR block`);
      const type = family === 4 ? "ipv4" : "ipv6";
      if (bits === undefined) this.list.addAddress(normaliseAddress(address), type);
      else {
        const prefix = Number(bits);
        if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128))
          throw new TypeError(`trustProxy: "${entry}" has an invalid prefix length`);
        this.list.addSubnet(normaliseAddress(address), prefix, type);
      }
    }
    this.size = entries.length;
  }

  /** One parsed list per config array (configs are immutable snapshots). */
  static of(entries: readonly string[]): TrustedProxies {
    let found = TrustedProxies.cache.get(entries);
    if (!found) {
      found = new TrustedProxies(entries);
      TrustedProxies.cache.set(entries, found);
    }
    return found;
  }

  has(address: string): boolean {
    if (this.size === 0) return false;
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 4 ? "ipv4" : "ipv6");
  }
}

/** `::ffff:10.0.0.1` -> `10.0.0.1`; `[::1]` -> `::1`; lower case. */
export function normaliseAddress(address: string): string {
  let a = address.trim().toLowerCase();
  if (a.startsWith("[") && a.endsWith("]")) a = a.slice(1, -1);
  return a.startsWith("::ffff:") && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

function parseXForwardedFor(raw: string): string[] {
  return raw
    .split(",")
    .map((s) => stripPort(s.trim()))
    .filter((s) => s !== "");
}

/** `Forwarded: for=192.0.2.60;proto=http, for="[2001:db8::1]:4711"` -> the `for` addresses, in order. */
function parseForwarded(raw: string): string[] {
  if (raw.trim() === "") return [];
  const hops: string[] = [];
  for (const element of raw.split(",")) {
    let address = "";
    for (const pair of element.split(";")) {
      const eq = pair.indexOf("=");
      if (eq < 0 || pair.slice(0, eq).trim().toLowerCase() !== "for") continue;
      address = pair
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, "$1");
    }
    // An element without a usable `for` (obfuscated `_id`, `unknown`) still counts as a hop.
    hops.push(stripPort(address) || "unknown");
  }
  return hops;
}

/** `1.2.3.4:5678` -> `1.2.3.4`; `[::1]:80` -> `::1`; bare IPv6 stays. */
function stripPort(hop: string): string {
  if (hop.startsWith("[")) {
    const end = hop.indexOf("]");
    return normaliseAddress(end > 0 ? hop.slice(1, end) : hop);
  }
  const colon = hop.indexOf(":");
  if (colon > 0 && hop.indexOf(":", colon + 1) < 0 && isIP(hop.slice(0, colon)) === 4)
    return hop.slice(0, colon);
  return normaliseAddress(hop);
}
