import { hash } from "node:crypto";

/** 32 random bytes: a 256-bit opaque token. */
export const SESSION_TOKEN_BYTES = 32;

export function encodeToken(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url");
}

/**
 * Only this hash is stored: a leaked database does not leak usable tokens. Every authenticated request
 * hashes its token: the one-shot `hash()` skips building a Hash object each time.
 */
export function hashToken(token: string): string {
  return hash("sha256", token, "base64url");
}
