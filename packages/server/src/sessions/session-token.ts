import { createHash } from "node:crypto";

/** 32 random bytes: a 256-bit opaque token. */
export const SESSION_TOKEN_BYTES = 32;

export function encodeToken(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url");
}

/** Only this hash is stored: a leaked database does not leak usable tokens. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}
