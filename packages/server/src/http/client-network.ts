import { isIP } from "node:net";
import { expandIpv6 } from "../visits/ip-privacy.js";

/**
 * What a per-visitor limit counts against: an IPv4 address as is, an IPv6 address as its /64. One IPv6
 * subscriber usually gets a whole /64 and may pick any address in it, so a limit per full IPv6 address
 * would be a limit per request; a /64 is what one IPv4 address is to one household.
 */
export function clientNetwork(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  return `${expandIpv6(ip).slice(0, 4).join(":")}::/64`;
}
