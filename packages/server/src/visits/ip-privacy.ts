import { createHmac, randomBytes } from "node:crypto";
import { isIP } from "node:net";
import type { Storage } from "../storage/storage.js";

export type IpMode = "full" | "truncate" | "hash" | "none";

const DAY_MS = 86_400_000;
/** Hash keys older than this are deleted: without the key, yesterday's hashes cannot be reversed. */
const HASH_KEY_KEEP_DAYS = 1;

/** IPv4 to its /24 (`203.0.113.0`), IPv6 to its /48 (`2001:db8:1::`); anything else unchanged. */
export function truncateIp(ip: string): string {
  const family = isIP(ip);
  if (family === 4) return `${ip.split(".").slice(0, 3).join(".")}.0`;
  if (family === 6) {
    const groups = expandIpv6(ip).slice(0, 3);
    return `${groups.map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::`;
  }
  return ip;
}

/** `2001:db8::1` -> the 8 groups, as 4-digit lower-case hex; an embedded IPv4 tail becomes two groups. */
export function expandIpv6(ip: string): string[] {
  let text = ip.toLowerCase().split("%")[0] as string;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = (v4[1] as string).split(".").map(Number) as [number, number, number, number];
    text = `${text.slice(0, -(v4[1] as string).length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const middle = tail === undefined ? [] : new Array(8 - left.length - right.length).fill("0");
  return [...left, ...middle, ...right].map((g) => g.padStart(4, "0"));
}

/** The UTC day of a time, `YYYY-MM-DD`: hash keys rotate on it. */
export function utcDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

/**
 * The daily keys of the `hash` mode. A key is created by whichever node first needs it (insert, ignore on
 * conflict, read back), so every node of a cluster hashes one IP to the same value on one day and unique
 * visitors can be counted; on another day the same IP hashes differently, so visitors cannot be followed
 * across days, and old keys are deleted so old hashes cannot be reversed by trying every address.
 */
export class HashKeys {
  private readonly storage: Pick<Storage, "visits">;
  private readonly cache = new Map<string, Promise<Buffer>>();

  constructor(storage: Pick<Storage, "visits">) {
    this.storage = storage;
  }

  keyFor(time: number): Promise<Buffer> {
    const day = utcDay(time);
    let key = this.cache.get(day);
    if (!key) {
      key = this.load(day, time);
      key.catch(() => this.cache.delete(day));
      if (this.cache.size > 4) this.cache.clear();
      this.cache.set(day, key);
    }
    return key;
  }

  /** Deletes keys of days before yesterday. */
  async purge(now: number): Promise<number> {
    const oldest = utcDay(now - HASH_KEY_KEEP_DAYS * DAY_MS);
    const deleted = await this.storage.visits.purgeHashKeysBefore(oldest);
    for (const day of this.cache.keys()) if (day < oldest) this.cache.delete(day);
    return deleted;
  }

  private async load(day: string, now: number): Promise<Buffer> {
    const key = await this.storage.visits.hashKey(day, randomBytes(32).toString("base64"), now);
    return Buffer.from(key, "base64");
  }
}

/** HMAC-SHA256 of the address under the day's key, 128 bits, marked `h:` so it never reads as an IP. */
export function hashIp(ip: string, key: Buffer): string {
  return `h:${createHmac("sha256", key).update(ip).digest("base64url").slice(0, 22)}`;
}

/** The IP as a mode without a key keeps it: `full`, `truncate` (IPv4 /24, IPv6 /48) or `none`. */
export function protectIpWithoutKey(ip: string | null, mode: Exclude<IpMode, "hash">): string | null {
  if (ip === null || mode === "none") return null;
  return mode === "truncate" ? truncateIp(ip) : ip;
}

/** The IP as the privacy mode keeps it. */
export async function protectIp(
  ip: string | null,
  mode: IpMode,
  time: number,
  keys: HashKeys,
): Promise<string | null> {
  if (mode !== "hash") return protectIpWithoutKey(ip, mode);
  return ip === null ? null : hashIp(ip, await keys.keyFor(time));
}
