export interface SlidingWindowLogOptions {
  windowMs: number;
  clock: () => number;
  /** Times held at most, over all keys; past it the least recently counted keys are forgotten. */
  maxEntries?: number;
}

/** What `check` found: room for one more, or how long until the oldest counted time leaves the window. */
export type WindowCheck = { allowed: true } | { allowed: false; retryAfterMs: number };

const ALLOWED: WindowCheck = Object.freeze({ allowed: true });

/**
 * Counts events per key over the last `windowMs` exactly (a log of their times), so "60 per hour" means at
 * most 60 in any hour and the wait it answers is the true one. In memory: each node counts its own. Memory
 * is bounded: times leave as they age out, and past `maxEntries` the keys counted least recently go first,
 * so a client rotating through addresses forgets its own old keys rather than growing the log.
 */
export class SlidingWindowLog {
  /** Times per key, oldest first; a key is moved to the end of the map when counted. */
  private readonly keys = new Map<string, number[]>();
  private entries = 0;
  private readonly o: Required<SlidingWindowLogOptions>;

  constructor(options: SlidingWindowLogOptions) {
    if (!(options.windowMs > 0)) throw new TypeError("windowMs > 0 required");
    this.o = { maxEntries: 500_000, ...options };
  }

  /** Whether `key` has fewer than `limit` events in the window now (counts nothing). */
  check(key: string, limit: number): WindowCheck {
    const times = this.prune(key, this.o.clock());
    if (times === undefined || times.length < limit) return ALLOWED;
    const oldestToLeave = times[times.length - limit] as number;
    return { allowed: false, retryAfterMs: Math.max(1, oldestToLeave + this.o.windowMs - this.o.clock()) };
  }

  /** Counts one event of `key` at `at` (now by default). */
  add(key: string, at = this.o.clock()): void {
    const times = this.prune(key, at) ?? [];
    this.keys.delete(key);
    this.keys.set(key, times);
    times.push(at);
    this.entries++;
    if (this.entries > this.o.maxEntries) this.evict();
  }

  /** Takes back an event counted at `at` (it turned out not to happen). */
  remove(key: string, at: number): void {
    const times = this.keys.get(key);
    const index = times?.lastIndexOf(at) ?? -1;
    if (times === undefined || index < 0) return;
    times.splice(index, 1);
    this.entries--;
    if (times.length === 0) this.keys.delete(key);
  }

  /** Times held, over all keys (for the memory bound's tests). */
  get size(): number {
    return this.entries;
  }

  private prune(key: string, now: number): number[] | undefined {
    const times = this.keys.get(key);
    if (times === undefined) return undefined;
    let stale = 0;
    while (stale < times.length && (times[stale] as number) <= now - this.o.windowMs) stale++;
    if (stale > 0) {
      times.splice(0, stale);
      this.entries -= stale;
    }
    if (times.length === 0) {
      this.keys.delete(key);
      return undefined;
    }
    return times;
  }

  /** Drops aged times, then whole keys, least recently counted first, down to 90% of the bound (amortised). */
  private evict(): void {
    const now = this.o.clock();
    for (const key of [...this.keys.keys()]) this.prune(key, now);
    const target = Math.floor(this.o.maxEntries * 0.9);
    for (const [key, times] of this.keys) {
      if (this.entries <= target) break;
      this.keys.delete(key);
      this.entries -= times.length;
    }
  }
}
