import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

/** Gzip size in bytes (level 9, as a CDN would serve it) of a buffer, a string, or a file path. */
export function gzipSize(input: Buffer | string, options: { isPath?: boolean } = {}): number {
  const data = options.isPath ? readFileSync(input) : typeof input === "string" ? Buffer.from(input) : input;
  return gzipSync(data, { level: 9 }).length;
}
