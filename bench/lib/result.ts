import { mean, percentile } from "./timing.js";
import type { BenchCase, BenchResult, BenchTarget } from "./types.js";

function meets(target: BenchTarget, result: BenchResult): boolean | null {
  const value =
    target.metric === "ratio"
      ? result.ratioVsBaseline
      : target.metric === "p99Slowdown"
        ? result.p99SlowdownVsBaseline
        : result[target.metric];
  if (value === null) return null;
  return "max" in target ? value <= target.max : value >= target.min;
}

/** Turns a suite's cases into result rows: percentiles, ops/s, ratio vs baseline, target verdict. */
export function summarize(suite: string, cases: BenchCase[]): BenchResult[] {
  const rows = cases.map((c): BenchResult => {
    const p50Ms = percentile(c.samplesMs, 50);
    return {
      suite,
      case: c.case,
      iterations: c.samplesMs.length,
      p50Ms,
      p95Ms: percentile(c.samplesMs, 95),
      p99Ms: percentile(c.samplesMs, 99),
      meanMs: mean(c.samplesMs),
      opsPerSec: p50Ms > 0 ? (c.opsPerIteration * 1000) / p50Ms : Number.POSITIVE_INFINITY,
      opsUnit: c.opsUnit ?? "ops",
      baseline: c.baseline ?? null,
      ratioVsBaseline: null,
      p99SlowdownVsBaseline: null,
      target: c.target ?? null,
      pass: null,
      extra: c.extra ?? {},
    };
  });
  for (const row of rows) {
    if (row.baseline !== null) {
      const base = rows.find((r) => r.case === row.baseline);
      if (!base) throw new Error(`${suite}/${row.case}: baseline case "${row.baseline}" is missing`);
      row.ratioVsBaseline = row.p50Ms > 0 ? base.p50Ms / row.p50Ms : Number.POSITIVE_INFINITY;
      row.p99SlowdownVsBaseline = base.p99Ms > 0 ? row.p99Ms / base.p99Ms : Number.POSITIVE_INFINITY;
    }
    if (row.target) row.pass = meets(row.target, row);
  }
  return rows;
}
