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
