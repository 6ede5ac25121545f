import type { ConfigStore } from "../config/config-store.js";
import { clientNetwork } from "./client-network.js";
import { rateLimited } from "./rate-limit.js";
import { TokenBucket } from "./token-bucket.js";

/**
 * Limits failed checks of guessable credentials (Ticket API client secrets, admin API keys) per client.
 * Each check reserves a failure before the secret is verified and gives it back on success: a burst of
 * concurrent guesses cannot all slip past the count while scrypt is still working on the first ones, and a
 * backend that always sends the right secret is never limited. An empty budget answers 429 without
 * verifying anything. `server.credentialFailureLimit` sets the budget (a refill of `failures` per
 * `windowMinutes`); a change of it resets the counts.
 */
export class CredentialFailures {
  private bucket: TokenBucket | undefined;
  private settings = "";

  constructor(private readonly o: { configStore: ConfigStore; clock: () => number }) {}

  /**
   * Runs `check` (true: the credential is valid) for a request from `ip` that `presented` a credential;
   * throws RATE_LIMITED when the client has used up its failures, without running `check`. A request
   * that presents none guesses nothing and is not counted.
   */
  async verify(ip: string, presented: boolean, check: () => Promise<boolean>): Promise<boolean> {
    if (!presented) return check();
    const bucket = this.current();
    const key = clientNetwork(ip);
    const taken = bucket.take(key);
    if (!taken.allowed) throw rateLimited(taken.retryAfterMs);
    let ok: boolean | undefined;
    try {
      ok = await check();
      return ok;
    } finally {
      // A right credential, or a check that could not decide (it threw), is not a failed guess.
      if (ok !== false) bucket.giveBack(key);
    }
  }

  private current(): TokenBucket {
    const limit = this.o.configStore.current.config.server.credentialFailureLimit;
    const settings = `${limit.failures}/${limit.windowMinutes}`;
    if (!this.bucket || settings !== this.settings) {
      this.settings = settings;
      this.bucket = new TokenBucket({
        capacity: limit.failures,
        refillPerSecond: limit.failures / (limit.windowMinutes * 60),
        clock: this.o.clock,
      });
    }
    return this.bucket;
  }
}
