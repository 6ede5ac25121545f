import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/** scrypt cost parameters for new hashes (N = 2^14, r = 8, p = 1: ~16 MiB, tens of ms). */
const SCRYPT_N = 16_384;
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const KEY_LENGTH = 32;
const SALT_BYTES = 16;
/** Refuse absurd parameters in a config hash (a DoS via a huge N). */
const MAX_N = 1 << 20;

function derive(
  secret: string,
  salt: Buffer,
  n: number,
  r: number,
  p: number,
  length: number,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, length, { N: n, r, p, maxmem: 256 * n * r + 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash` (salt and hash base64url), as `portico hash-password` prints it. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(secret, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, KEY_LENGTH);
  return `scrypt$${SCRYPT_N}$${SCRYPT_R}$${SCRYPT_P}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

/** Constant-time check of `secret` against a stored hash. A malformed hash never matches. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const n = Number(parts[1]);
  const r = Number(parts[2]);
  const p = Number(parts[3]);
  if (
    !Number.isInteger(n) ||
    n < 2 ||
    n > MAX_N ||
    (n & (n - 1)) !== 0 ||
    !(r >= 1 && r <= 32) ||
    !(p >= 1 && p <= 16)
  )
    return false;
  const salt = Buffer.from(parts[4] ?? "", "base64url");
  const expected = Buffer.from(parts[5] ?? "", "base64url");
  if (expected.length < 16) return false;
  const actual = await derive(secret, salt, n, r, p, expected.length);
  return timingSafeEqual(actual, expected);
}

/**
 * A hash nobody knows the secret of, for the failure path of unknown users and clients: verifying against
 * it costs the same as a real check, so response time does not reveal which names exist.
 */
export const DUMMY_HASH = `scrypt$${SCRYPT_N}$${SCRYPT_R}$${SCRYPT_P}$${randomBytes(SALT_BYTES).toString("base64url")}$${randomBytes(KEY_LENGTH).toString("base64url")}`;
