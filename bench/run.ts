// `npm run bench [-- name...]`: runs the registered suites (all, or for each argument the suite of that
// exact name, else those whose name contains it), prints a table and writes bench/results/latest.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { summarize } from "./lib/result.js";
import { formatNumber, formatTable } from "./lib/table.js";
import type { BenchResult } from "./lib/types.js";
import { suites } from "./suites/index.js";

const filters = process.argv.slice(2).filter((a) => !a.startsWith("-"));
// An exact name selects that suite alone: `load` must not also start the `overload` flood.
const matches = (name: string, filter: string) =>
  name === filter || (!suites.some((s) => s.name === filter) && name.includes(filter));
const selected = suites.filter((s) => filters.length === 0 || filters.some((f) => matches(s.name, f)));
if (selected.length === 0) {
  console.error(`no suite matches ${filters.join(", ")}; suites: ${suites.map((s) => s.name).join(", ")}`);
  process.exit(2);
}

const results: BenchResult[] = [];
for (const suite of selected) {
  console.log(`> ${suite.name}: ${suite.description}`);
  results.push(...summarize(suite.name, await suite.run()));
}

function targetText(r: BenchResult): string {
  if (!r.target) return "";
  const bound = "max" in r.target ? `<= ${r.target.max}` : `>= ${r.target.min}`;
  return `${r.target.metric} ${bound}`;
}

console.log(
  "\n" +
    formatTable(
      ["suite", "case", "n", "p50 ms", "p95 ms", "ops/s", "unit", "vs baseline", "target", "result"],
      results.map((r) => [
        r.suite,
        r.case,
        r.iterations,
        r.p50Ms,
        r.p95Ms,
        r.opsPerSec,
        r.opsUnit,
        r.ratioVsBaseline === null
          ? ""
          : r.target?.metric === "p99Slowdown"
            ? `p99 ${formatNumber(r.p99SlowdownVsBaseline ?? 0)}x of ${r.baseline}`
            : `${formatNumber(r.ratioVsBaseline)}x ${r.baseline}`,
        targetText(r),
        r.pass === null ? "" : r.pass ? "PASS" : "FAIL",
      ]),
    ),
);

const outDir = new URL("./results/", import.meta.url);
mkdirSync(outDir, { recursive: true });
const report = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  suites: selected.map((s) => s.name),
  results,
};
writeFileSync(new URL("latest.json", outDir), JSON.stringify(report, null, 2) + "\n");
console.log(`\nwrote bench/results/latest.json`);
if (process.argv.includes("--strict") && results.some((r) => r.pass === false)) process.exitCode = 1;
