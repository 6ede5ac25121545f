import { performance } from "node:perf_hooks";

export interface MeasureOptions {
  /** Unmeasured runs first, so the JIT has compiled the hot paths. */
  warmup?: number;
  /** Measured runs (at least this many unless maxTimeMs runs out first, and never fewer than 3). */
  iterations?: number;
  /** Stop measuring after this much wall time. */
  maxTimeMs?: number;
}

/** Runs `fn` after a warm-up and returns the wall time of each measured run in milliseconds. */
export async function measure(fn: () => unknown, options: MeasureOptions = {}): Promise<number[]> {
  const { warmup = 5, iterations = 50, maxTimeMs = 10_000 } = options;
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  const deadline = performance.now() + maxTimeMs;
  while (samples.length < iterations && (samples.length < 3 || performance.now() < deadline)) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

/** The p-th percentile (0..100) of samples, nearest-rank. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new RangeError("percentile of no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function mean(samples: readonly number[]): number {
  return samples.reduce((a, b) => a + b, 0) / samples.length;
}

/**
 * Runs several functions in turn, round by round (each round starting with the next one), and returns
 * each one's wall times: on a shared machine, cases measured minutes apart see different loads, cases
 * interleaved see the same.
 */
export async function measureInterleaved(
  fns: ReadonlyArray<() => unknown>,
  options: { warmup?: number; iterations?: number; pauseMs?: number } = {},
): Promise<number[][]> {
  const { warmup = 3, iterations = 20, pauseMs = 0 } = options;
  const samples = fns.map(() => [] as number[]);
  for (let round = 0; round < warmup + iterations; round++) {
    for (let j = 0; j < fns.length; j++) {
      const k = (round + j) % fns.length;
      // A pause lets the garbage collector's background threads finish with the last run's garbage
      // instead of taking cores from the next run.
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
      const start = performance.now();
      await fns[k]!();
      if (round >= warmup) samples[k]!.push(performance.now() - start);
    }
  }
  return samples;
}

/**
 * Two series measured in the same rounds (`a[i]` and `b[i]` one after the other): the median of the
 * per-round differences `a[i] - b[i]`, a 95% bootstrap interval of that median, and in how many rounds `a`
 * was the faster. On a shared machine whose speed drifts within minutes, this tells a few milliseconds
 * apart where two p50s taken side by side do not (they moved by ±12 ms between identical builds).
 */
export function pairedDifference(
  a: readonly number[],
  b: readonly number[],
  resamples = 2000,
): { medianMs: number; low: number; high: number; aFaster: number; rounds: number } {
  const rounds = Math.min(a.length, b.length);
  const diffs = Array.from({ length: rounds }, (_, i) => (a[i] as number) - (b[i] as number));
  // A fixed-seed generator: the same samples give the same interval.
  let seed = 0x2545f491;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const medians = Array.from({ length: resamples }, () =>
    percentile(
      Array.from({ length: rounds }, () => diffs[Math.floor(random() * rounds)] as number),
      50,
    ),
  ).sort((x, y) => x - y);
  return {
    medianMs: percentile(diffs, 50),
    low: medians[Math.floor(resamples * 0.025)] ?? Number.NaN,
    high: medians[Math.ceil(resamples * 0.975) - 1] ?? Number.NaN,
    aFaster: diffs.filter((d) => d < 0).length,
    rounds,
  };
}

/** `pairedDifference(a, b)` in words, `a` being this build and `b` the baseline build. */
export function describePaired(paired: ReturnType<typeof pairedDifference>): string {
  return `median ${paired.medianMs.toFixed(1)} ms (95% interval ${paired.low.toFixed(1)} to ${paired.high.toFixed(1)}), this build faster in ${paired.aFaster} of ${paired.rounds} rounds`;
}
