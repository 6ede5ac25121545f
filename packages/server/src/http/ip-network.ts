import { isIP } from "node:net";
import { expandIpv6 } from "../visits/ip-privacy.js";

/**
 * The network an address belongs to, as a CIDR block: `networkOf("203.0.113.7", 24, 64)` is
 * `203.0.113.0/24`, `networkOf("2001:db8:1:2:a:b:c:d", 24, 64)` is `2001:db8:1:2::/64`. Anything that is not
 * an IP address is its own network. One subscriber or one office usually holds a whole IPv4 /24 share or
 * an IPv6 /64 (2^64 addresses to rotate through), so limits by address alone would not hold them.
 */
export function networkOf(ip: string, ipv4PrefixBits: number, ipv6PrefixBits: number): string {
  const family = isIP(ip);
  if (family === 4) {
    const value = ip.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
    const size = 2 ** (32 - ipv4PrefixBits);
    const base = Math.floor(value / size) * size;
    const octets = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
    return `${octets.join(".")}/${ipv4PrefixBits}`;
  }
  if (family === 6) {
    const groups = expandIpv6(ip).map((group, i) => {
      const kept = Math.min(16, Math.max(0, ipv6PrefixBits - i * 16));
      const mask = kept === 0 ? 0 : (0xffff << (16 - kept)) & 0xffff;
      return (Number.parseInt(group, 16) & mask).toString(16);
    });
    return `${compressIpv6(groups)}/${ipv6PrefixBits}`;
  }
  return ip;
}

/** Eight hex groups in the RFC 5952 form: the longest run of two or more zero groups becomes `::`. */
function compressIpv6(groups: string[]): string {
  let best = { start: -1, length: 0 };
  for (let i = 0; i < groups.length; ) {
    if (groups[i] !== "0") {
      i++;
      continue;
    }
    let end = i;
    while (end < groups.length && groups[end] === "0") end++;
    if (end - i > best.length && end - i >= 2) best = { start: i, length: end - i };
    i = end;
  }
  if (best.start < 0) return groups.join(":");
  const head = groups.slice(0, best.start).join(":");
  const tail = groups.slice(best.start + best.length).join(":");
  return `${head}::${tail}`;
}
