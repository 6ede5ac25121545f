// The associative engine on 1,000,000 rows x 10 fields (a sales table written by the sample-data
// generator): CSV load time, memory held by the loaded model, and one interaction — apply a selection,
// then compute the states of all 10 fields and six hypercubes — with a fresh selection every iteration
// and the result cache off, so every iteration computes. Baseline: a naive row-object implementation of
// the same interaction on a 100,000-row sample, against the engine on the same sample.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type DataModel, loadTables } from "@portico/engine";
import { dimensionField, type Selections, type SheetObjectDef } from "@portico/protocol";
import { BIG_TABLE_FIELDS, writeBigTable } from "../../packages/engine/scripts/generate-sample-data.mjs";
import { defaultWorkerCount, QueryPool } from "../../packages/server/src/data/query-pool.js";
import { collectGarbage, memoryNow } from "../lib/memory.js";
import { measure, measureInterleaved, percentile } from "../lib/timing.js";
import type { BenchCase, BenchSuite } from "../lib/types.js";

const ROWS = 1_000_000;
const SAMPLE_ROWS = 100_000;
const INTERACTION_TARGET_P50_MS = 50;
/** 108 ms on one thread (when the issue measured it) down to 50 ms through the workers. */
const PARALLEL_SPEEDUP_MIN = 108 / 50;
/**
 * The engine the 108 ms stands for: the last one before the work on one thread's speed for the
 * issue (no slower than the one the issue measured). `ENGINE_BASELINE_SRC=<an engine's src directory>`
 * measures another; `ENGINE_BASELINE_SRC=none`, none.
 */
const ENGINE_BASELINE_REF = "987f789dded2e1c4ae84c0ed54eee0e5c4336584";
/** Between interleaved runs, so the garbage of one run is collected before the next starts. */
const INTERLEAVE_PAUSE_MS = 100;
const ONE_THREAD_CASE = "1M rows: select a year (half the rows), 10 field states, 6 hypercubes";
const BASELINE_CASE =
  "1M rows, engine before the one-thread work: select a year, 10 field states, 6 hypercubes";
const REGIONS = ["North", "South", "East", "West", "Central", "Harbor", "Hills", "Valley"];
const CHANNELS = [["Store"], ["Online"], ["Store", "Phone"]];

const position = { col: 0, row: 0, width: 6, height: 4 };
const OBJECTS: SheetObjectDef[] = [
  { id: "by-region", type: "bar", dimensions: ["Region"], measures: ["Sum(Amount)"], position },
  {
    id: "by-month",
    type: "line",
    dimensions: ["Month"],
    measures: ["Sum(Amount)", "Count(distinct Store)"],
    position,
  },
  { id: "top-products", type: "bar", dimensions: ["Product"], measures: ["Sum(Amount)"], topN: 10, position },
  {
    id: "region-category",
    type: "table",
    dimensions: ["Region", "Category"],
    measures: ["Sum(Amount)", "Sum(Quantity)", "Avg(Amount)"],
    position,
  },
  { id: "channels", type: "pie", dimensions: ["Channel"], measures: ["Count(Amount)"], position },
  {
    id: "kpis",
    type: "kpi",
    measures: ["Sum(Amount)", "Sum(Amount) / Sum(Quantity)", "Count(distinct Product)"],
    position,
  },
];

/** The interaction the target is about: every field's states and six hypercubes under one selection. */
function interact(model: DataModel, selections: Selections): number {
  let cells = 0;
  for (const field of BIG_TABLE_FIELDS) cells += model.fieldStates(field, { selections }).values.length;
  for (const object of OBJECTS) cells += model.hypercube(object, { selections }).rows.length;
  return cells;
}

/**
 * The same interaction as the server runs it: all 16 queries at once through the query workers (field
 * states and cubes spread over them), answers posted back to this thread.
 */
function interactInWorkers(pool: QueryPool, model: DataModel, selections: Selections): Promise<number> {
  const fields = [...BIG_TABLE_FIELDS];
  // In the order the server's batch route gives them to the pool: cubes first (`AppQueries.answerIn`).
  const jobs = [
    ...OBJECTS.map((def) => pool.run(model, { kind: "hypercube", def, selections, fields }, "bench")),
    ...BIG_TABLE_FIELDS.map((field) =>
      pool.run(model, { kind: "field", field, selections, fields }, "bench"),
    ),
  ];
  return Promise.all(jobs).then((results) =>
    results.reduce((cells, r) => cells + ("rows" in r ? r.rows.length : r.values.length), 0),
  );
}

/** A different selection every iteration: one region (an eighth of the rows) and a channel. */
function narrowSelection(i: number): Selections {
  return { Region: [REGIONS[i % REGIONS.length]!], Channel: CHANNELS[i % CHANNELS.length]! };
}

/** A broad one: a whole year (half of the rows). */
function broadSelection(i: number): Selections {
  return { Year: [2024 + (i % 2)] };
}

/**
 * Wraps an interaction to also record the process CPU time of each call: on a shared machine, wall
 * time includes waiting for a core, CPU time shows what the work itself costs.
 */
function withCpuTime(fn: (i: number) => unknown): { run: () => unknown; cpuP50: () => number } {
  const cpu: number[] = [];
  let i = 0;
  return {
    run: () => {
      const start = process.cpuUsage();
      const out = fn(i++);
      const used = process.cpuUsage(start);
      cpu.push((used.user + used.system) / 1000);
      return out;
    },
    cpuP50: () => Math.round(percentile(cpu.slice(-40), 50) * 10) / 10,
  };
}

/**
 * The baseline engine's `loadTables`: from `ENGINE_BASELINE_SRC`, else `ENGINE_BASELINE_REF`'s
 * packages/engine/src unpacked under .tmp/ (inside the repository, so its imports resolve to the same
 * node_modules). Undefined when switched off or when git cannot give the commit (a shallow clone).
 */
async function baselineEngine(): Promise<typeof loadTables | undefined> {
  const configured = process.env.ENGINE_BASELINE_SRC;
  if (configured === "none") return undefined;
  let src = configured;
  if (!src) {
    const root = fileURLToPath(new URL("../../", import.meta.url));
    const dir = join(root, ".tmp", "bench-engine-baseline", ENGINE_BASELINE_REF);
    src = join(dir, "packages", "engine", "src");
    if (!existsSync(join(src, "index.ts"))) {
      try {
        const tar = execFileSync("git", ["archive", ENGINE_BASELINE_REF, "packages/engine/src"], {
          cwd: root,
          maxBuffer: 1 << 28,
        });
        mkdirSync(dir, { recursive: true });
        execFileSync("tar", ["-x", "-C", dir], { input: tar });
      } catch (error) {
        console.warn(`engine bench: no baseline engine (${(error as Error).message.split("\n")[0]})`);
        return undefined;
      }
    }
  }
  const engine = (await import(pathToFileURL(join(src, "index.ts")).href)) as {
    loadTables: typeof loadTables;
  };
  return engine.loadTables;
}

type Row = Record<string, string | number>;

/** The naive implementation: arrays of row objects, Maps and Sets, recomputed from scratch. */
function naiveInteract(rows: Row[], selections: Selections): number {
  const selected = Object.entries(selections).filter(([, values]) => values.length > 0);
  const matches = (row: Row, skip?: string) =>
    selected.every(([field, values]) => field === skip || values.includes(row[field]!));
  const included = rows.filter((row) => matches(row));
  let cells = 0;
  for (const field of BIG_TABLE_FIELDS) {
    const all = new Set(rows.map((r) => r[field]));
    const counts = new Map<unknown, number>();
    for (const row of included) counts.set(row[field], (counts.get(row[field]) ?? 0) + 1);
    const own = selections[field];
    const alternative = own?.length
      ? new Set(rows.filter((r) => matches(r, field)).map((r) => r[field]))
      : new Set();
    const states = [...all].map((v) =>
      own?.includes(v as string)
        ? "selected"
        : counts.has(v)
          ? "possible"
          : alternative.has(v)
            ? "alternative"
            : "excluded",
    );
    cells += Math.min(states.length, 1000);
  }
  for (const object of OBJECTS) {
    const groups = new Map<string, Row[]>();
    for (const row of included) {
      const key = (object.dimensions ?? []).map((d) => row[dimensionField(d)]).join("\u0000");
      const list = groups.get(key) ?? [];
      list.push(row);
      groups.set(key, list);
    }
    for (const list of groups.values()) {
      const amounts = list.map((r) => r.Amount as number);
      const sum = amounts.reduce((a, b) => a + b, 0);
      const quantity = list.reduce((a, r) => a + (r.Quantity as number), 0);
      const distinct = new Set(list.map((r) => r.Store)).size + new Set(list.map((r) => r.Product)).size;
      cells += sum / Math.max(1, amounts.length) + quantity + distinct > -1 ? 1 : 0;
    }
  }
  return cells;
}

export const engineSuite: BenchSuite = {
  name: "engine",
  description: `associative engine: ${ROWS.toLocaleString("en")} rows x ${BIG_TABLE_FIELDS.length} fields, selection + field states + 6 hypercubes`,
  async run(): Promise<BenchCase[]> {
    const dir = mkdtempSync(join(tmpdir(), "portico-bench-engine-"));
    try {
      const csv = join(dir, "transactions.csv");
      await writeBigTable(csv, ROWS);
      const gc = collectGarbage();
      const before = memoryNow(gc);
      const start = performance.now();
      const model = await loadTables([{ name: "transactions", source: csv }], {
        resultCacheSize: 0,
        selectionCacheSize: 2,
      });
      const loadMs = performance.now() - start;
      const after = memoryNow(gc);
      const heapMb = (after.heap - before.heap) / 1e6;
      const buffersMb = (after.buffers - before.buffers) / 1e6;

      let i = 0;
      const narrowRun = withCpuTime((k) => interact(model, narrowSelection(k)));
      const narrow = await measure(narrowRun.run, { warmup: 5, iterations: 40 });
      const loadBaseline = await baselineEngine();
      let baseline = loadBaseline
        ? await loadBaseline([{ name: "transactions", source: csv }], {
            resultCacheSize: 0,
            selectionCacheSize: 2,
          })
        : undefined;
      const broadRun = withCpuTime((k) => interact(model, broadSelection(k)));
      const baselineRun = withCpuTime((k) => baseline && interact(baseline, broadSelection(k)));
      const pool = new QueryPool({
        limits: () => ({ perSession: 16, queueLimit: 64, timeoutMs: 60_000 }),
        modelOptions: { resultCacheSize: 0, selectionCacheSize: 2 },
      });
      let broad: number[];
      let pooled: number[];
      let baselineBroad: number[] | undefined;
      try {
        let k = 0;
        // One thread, the workers and the baseline engine in turn: their ratios are the targets, and
        // cases measured in turn see the same machine load.
        const runs = [broadRun.run, () => interactInWorkers(pool, model, broadSelection(k++))];
        if (baseline) runs.push(baselineRun.run);
        [broad = [], pooled = [], baselineBroad] = await measureInterleaved(runs, {
          warmup: 4,
          iterations: 20,
          pauseMs: INTERLEAVE_PAUSE_MS,
        });
      } finally {
        await pool.close();
      }
      // Not part of this engine's memory below.
      baseline = undefined;
      // Also after querying: posting lists built on first selection of a field and the selection cache.
      const queried = memoryNow(gc);
      const queriedMb = Math.round((queried.heap - before.heap + queried.buffers - before.buffers) / 1e6);

      // Baseline: the same interaction on a 100,000-row sample, naive vs engine.
      const lines = readFileSync(csv, "utf8")
        .split("\r\n", SAMPLE_ROWS + 1)
        .slice(1);
      const sample: Row[] = lines.map((line) => {
        const cells = line.split(",");
        return Object.fromEntries(
          BIG_TABLE_FIELDS.map((f, c) => [
            f,
            /^(Year|Month|Quantity|Amount)$/.test(f) ? Number(cells[c]) : cells[c]!,
          ]),
        );
      });
      const small = await loadTables([{ name: "sample", rows: sample }], {
        resultCacheSize: 0,
        selectionCacheSize: 2,
      });
      const naiveSamples = await measure(() => naiveInteract(sample, narrowSelection(i++)), {
        warmup: 2,
        iterations: 10,
      });
      const smallSamples = await measure(() => interact(small, narrowSelection(i++)), {
        warmup: 5,
        iterations: 40,
      });

      const extra = { rows: ROWS, fields: BIG_TABLE_FIELDS.length, hypercubes: OBJECTS.length };
      return [
        {
          case: "load 1M-row CSV",
          samplesMs: [loadMs],
          opsPerIteration: ROWS,
          opsUnit: "rows",
          extra: {
            ...extra,
            heapMb: Math.round(heapMb),
            arrayBuffersMb: Math.round(buffersMb),
            totalMb: Math.round(heapMb + buffersMb),
          },
        },
        {
          case: "1M rows: select region+channel, 10 field states, 6 hypercubes",
          samplesMs: narrow,
          opsPerIteration: 1,
          opsUnit: "interactions",
          target: { metric: "p50Ms", max: INTERACTION_TARGET_P50_MS },
          extra: { ...extra, cpuMsP50: narrowRun.cpuP50(), modelMbAfterQueries: queriedMb },
        },
        ...(baselineBroad
          ? [
              {
                case: BASELINE_CASE,
                samplesMs: baselineBroad,
                opsPerIteration: 1,
                opsUnit: "interactions",
                extra: { ...extra, cpuMsP50: baselineRun.cpuP50() },
              },
            ]
          : []),
        {
          case: ONE_THREAD_CASE,
          samplesMs: broad,
          opsPerIteration: 1,
          opsUnit: "interactions",
          ...(baselineBroad ? { baseline: BASELINE_CASE } : {}),
          extra: {
            ...extra,
            cpuMsP50: broadRun.cpuP50(),
            ...(baselineBroad
              ? { cpuVsBaseline: Math.round((baselineRun.cpuP50() / broadRun.cpuP50()) * 100) / 100 }
              : {}),
          },
        },
        {
          case: "1M rows in query workers: select a year, 10 field states + 6 hypercubes at once",
          samplesMs: pooled,
          opsPerIteration: 1,
          opsUnit: "interactions",
          // The target, 50 ms where one thread of the engine it measured took 108 ms, as a ratio to
          // that engine on one thread in the same run: this machine's speed drifts 2x within an hour, so an
          // absolute figure would measure the hour. Without that engine, the ratio is to today's engine on
          // one thread, which on two cores two workers can barely double.
          baseline: baselineBroad ? BASELINE_CASE : ONE_THREAD_CASE,
          target: { metric: "ratio", min: PARALLEL_SPEEDUP_MIN },
          extra: { ...extra, workers: defaultWorkerCount() },
        },
        {
          case: "naive row objects, 100k-row sample",
          samplesMs: naiveSamples,
          opsPerIteration: 1,
          opsUnit: "interactions",
          extra: { rows: SAMPLE_ROWS },
        },
        {
          case: "engine, 100k-row sample",
          samplesMs: smallSamples,
          opsPerIteration: 1,
          opsUnit: "interactions",
          baseline: "naive row objects, 100k-row sample",
          extra: { rows: SAMPLE_ROWS },
        },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
