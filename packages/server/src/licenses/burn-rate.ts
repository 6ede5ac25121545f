/** The recent window a pool's burn rate is measured over. */
export const BURN_WINDOW_MS = 60 * 60_000;
const BUCKET_MS = 60_000;
const HOUR_MS = 60 * 60_000;

/**
 * What one pool consumed over the last hour (BURN_WINDOW_MS), in one-minute buckets: 61 numbers at most,
 * however busy the pool. In memory, so each node measures what it consumed itself.
 */
export class BurnRate {
  private readonly buckets = new Map<number, number>();

  record(amount: number, at: number): void {
    const bucket = Math.floor(at / BUCKET_MS);
    this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + amount);
    this.prune(at);
  }

  /** Consumed in the window ending at `now`, as an hourly rate. */
  perHour(now: number): number {
    this.prune(now);
    let total = 0;
    for (const amount of this.buckets.values()) total += amount;
    return (total * HOUR_MS) / BURN_WINDOW_MS;
  }

  private prune(now: number): void {
    const oldest = Math.floor((now - BURN_WINDOW_MS) / BUCKET_MS);
    for (const bucket of this.buckets.keys()) if (bucket <= oldest) this.buckets.delete(bucket);
  }
}

/**
 * When a pool with `remaining` left, consumed at `ratePerHour`, is empty, given the times at which consumed
 * amounts come back (login access passes return one each; soonest first); undefined when it never runs dry
 * before `horizon` (the analyzer capacity's monthly reset, or the passes' return of what is consumed now).
 */
export function exhaustionTime(
  remaining: number,
  ratePerHour: number,
  now: number,
  horizon: number,
  returns: readonly number[] = [],
): number | undefined {
  if (!(ratePerHour > 0)) return undefined;
  const perMs = ratePerHour / HOUR_MS;
  let t = now;
  let left = remaining;
  for (const back of returns) {
    if (back <= t) continue;
    const dry = t + left / perMs;
    if (dry <= back) break;
    left -= (back - t) * perMs;
    left += 1;
    t = back;
  }
  const dry = Math.round(t + Math.max(0, left) / perMs);
  return dry < horizon ? dry : undefined;
}
