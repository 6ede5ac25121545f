import { createHash } from "node:crypto";
import { DUMMY_HASH, verifySecret } from "./secret-hash.js";

/** How many verified credentials to remember (admin keys and ticket clients are few). */
const CACHE_LIMIT = 256;
/**
 * scrypt runs on libuv's thread pool (4 threads by default), which WebCrypto (ticket signing) shares.
 * Capping concurrent scrypt work keeps a flood of bad credentials from starving ticket issuance: the
 * extra attempts wait their turn instead of taking every thread.
 */
export const MAX_CONCURRENT_SCRYPT = 2;

/**
 * Verifies `name` + secret credentials (ticket clients, admin API keys) against scrypt hashes, remembering
 * successes so a busy backend does not pay scrypt on every call. The cache key is a SHA-256 of the stored
 * hash and the presented secret, so a config change of the hash invalidates it and the secret is never kept.
 */
export class CredentialVerifier {
  private readonly verified = new Set<string>();
  private readonly check: (secret: string, hash: string) => Promise<boolean>;
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(check: (secret: string, hash: string) => Promise<boolean> = verifySecret) {
    this.check = check;
  }

  async verify(secret: string, storedHash: string | undefined): Promise<boolean> {
    if (storedHash === undefined) {
      // Unknown names pay the same scrypt as known ones, so timing does not reveal which names exist.
      await this.limited(() => this.check(secret, DUMMY_HASH));
      return false;
    }
    const key = createHash("sha256").update(storedHash).update("\0").update(secret).digest("base64url");
    if (this.verified.has(key)) return true;
    const ok = await this.limited(() => this.check(secret, storedHash));
    if (ok) {
      if (this.verified.size >= CACHE_LIMIT) this.verified.clear();
      this.verified.add(key);
    }
    return ok;
  }

  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= MAX_CONCURRENT_SCRYPT)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      // Hand the slot straight to the next waiter, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
