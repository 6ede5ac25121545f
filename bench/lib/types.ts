/**
 * What a target compares: a case's p50 or p95 in milliseconds (at most), its ops/s or ratio (at least), or
 * its p99 as a slowdown against its baseline's (at most).
 */
export type BenchTarget =
  | { metric: "p50Ms" | "p95Ms" | "p99Ms"; max: number }
  | { metric: "opsPerSec" | "ratio"; min: number }
  /** This case's p99 over its baseline's p99 (a slowdown: 1 = unchanged), at most. */
  | { metric: "p99Slowdown"; max: number };

/** One measured case, as a suite reports it. */
export interface BenchCase {
  case: string;
  /** Wall time of each measured iteration, in milliseconds. */
  samplesMs: number[];
  /** Operations one iteration performs (decisions, requests, rows); ops/s = ops per iteration / p50. */
  opsPerIteration: number;
  /** What an operation is, for the table: "decisions", "requests". */
  opsUnit?: string;
  /** Another case of the same suite this one is compared with; ratio = baseline p50 / this p50. */
  baseline?: string;
  target?: BenchTarget;
  /** Anything else worth recording (sizes, counts). */
  extra?: Record<string, number | string>;
}

/** A suite: a named group of cases, run by bench/run.ts. */
export interface BenchSuite {
  name: string;
  description: string;
  run(): Promise<BenchCase[]> | BenchCase[];
}

/** One row of bench/results/latest.json. */
export interface BenchResult {
  suite: string;
  case: string;
  iterations: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  meanMs: number;
  opsPerSec: number;
  opsUnit: string;
  baseline: string | null;
  /** Baseline p50 / this p50: above 1 means faster than the baseline. */
  ratioVsBaseline: number | null;
  /** This p99 / baseline p99: above 1 means a slower tail than the baseline's. */
  p99SlowdownVsBaseline: number | null;
  target: BenchTarget | null;
  pass: boolean | null;
  extra: Record<string, number | string>;
}
