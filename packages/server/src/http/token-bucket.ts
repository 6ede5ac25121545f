export interface TokenBucketOptions {
  /** Burst size: requests allowed at once from a fresh key. */
  capacity: number;
  /** Sustained rate. */
  refillPerSecond: number;
  clock: () => number;
  /** Forget idle keys beyond this many (memory bound under a spray of addresses). */
  maxKeys?: number;
}

export interface TakeResult {
  readonly allowed: boolean;
  /** When not allowed: milliseconds until one token is available. */
  readonly retryAfterMs: number;
}

/** Shared by every allowed take: a beacon takes a token per request, and the answer never changes. */
const ALLOWED: TakeResult = Object.freeze({ allowed: true, retryAfterMs: 0 });

/** A token bucket per key (client IP). In memory: each node limits its own traffic. */
export class TokenBucket {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly options: Required<TokenBucketOptions>;

  constructor(options: TokenBucketOptions) {
    if (!(options.capacity >= 1) || !(options.refillPerSecond > 0))
      throw new TypeError("capacity >= 1 and refillPerSecond > 0 required");
    this.options = { maxKeys: 100_000, ...options };
  }

  take(key: string): TakeResult {
    const bucket = this.refilled(key);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return ALLOWED;
    }
    return {
      allowed: false,
      retryAfterMs: Math.ceil(((1 - bucket.tokens) / this.options.refillPerSecond) * 1000),
    };
  }

  /** Gives back a token taken by `take` (never beyond the burst size): the request turned out not to count. */
  giveBack(key: string): void {
    const bucket = this.refilled(key);
    bucket.tokens = Math.min(this.options.capacity, bucket.tokens + 1);
  }

  private refilled(key: string): { tokens: number; at: number } {
    const now = this.options.clock();
    const { capacity, refillPerSecond } = this.options;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.options.maxKeys) this.prune(now);
      bucket = { tokens: capacity, at: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.at) / 1000) * refillPerSecond);
      bucket.at = now;
    }
    return bucket;
  }

  private prune(now: number): void {
    const full = (this.options.capacity / this.options.refillPerSecond) * 1000;
    for (const [key, bucket] of this.buckets) if (now - bucket.at >= full) this.buckets.delete(key);
    if (this.buckets.size >= this.options.maxKeys) this.buckets.clear();
  }
}
