import { createHash } from "node:crypto";
import { DUMMY_HASH, verifySecret } from "./secret-hash.js";

/** How many verified credentials to remember (admin keys and ticket clients are few). */
const CACHE_LIMIT = 256;

/**
 * Verifies `name` + secret credentials (ticket clients, admin API keys) against scrypt hashes, remembering
 * successes so a busy backend does not pay scrypt on every call. The cache key is a SHA-256 of the stored
 * hash and the presented secret, so a config change of the hash invalidates it and the secret is never kept.
 */
export class CredentialVerifier {
  private readonly verified = new Set<string>();

  async verify(secret: string, storedHash: string | undefined): Promise<boolean> {
    if (storedHash === undefined) {
      await verifySecret(secret, DUMMY_HASH);
      return false;
    }
    const key = createHash("sha256").update(storedHash).update("\0").update(secret).digest("base64url");
    if (this.verified.has(key)) return true;
    const ok = await verifySecret(secret, storedHash);
    if (ok) {
      if (this.verified.size >= CACHE_LIMIT) this.verified.clear();
      this.verified.add(key);
    }
    return ok;
  }
}
