// @portico/frame: what a visitor's browser downloads for the embed page (JS + CSS, gzip) and how long the
// first chart takes to paint, from the frame's navigation start, on cold loads against the real server
// (session creation included).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { SheetObjectDef } from "@portico/protocol";
import type { Browser } from "playwright-core";
import { launchChromium } from "../../test/support/browser.js";
import { ROOT } from "../../test/support/build-bundles.js";
import { e2eConfig, regionsPane, startPortico, totalKpi } from "../../test/support/portico-server.js";
import { gzipSize } from "../lib/gzip.js";
import { percentile } from "../lib/timing.js";
import type { BenchCase, BenchSuite } from "../lib/types.js";

/** Targets of issue 6. */
const FRAME_GZIP_TARGET_BYTES = 60 * 1024;
const FIRST_CHART_P50_TARGET_MS = 250;
/**
 * `FRAME_LOADS=n` takes more samples (an A/B comparison on a busy machine needs them). Odd by default, so
 * the p50 is the middle load under any definition of the median.
 */
const COLD_LOADS = Number(process.env.FRAME_LOADS) || 21;
/** Must match `FIRST_CHART_MARK` in packages/frame/src/components/portico-object.ts. */
const FIRST_CHART_MARK = "portico:first-chart";

async function buildFrame(options: { minify: boolean }): Promise<string> {
  const { build } = await import("vite");
  const outDir = await mkdtemp(path.join(tmpdir(), "portico-bench-frame-"));
  await build({
    configFile: path.join(ROOT, "packages/frame/vite.config.ts"),
    logLevel: "silent",
    build: { outDir, emptyOutDir: true, minify: options.minify },
  });
  return outDir;
}

/** Every script and stylesheet a page loads (entry, preloaded chunks, CSS), with gzip sizes. */
async function pageAssets(dist: string, page: string): Promise<{ js: number; css: number; files: number }> {
  const html = await readFile(path.join(dist, page), "utf8");
  const urls = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
  let js = 0;
  let css = 0;
  for (const url of new Set(urls)) {
    const bytes = gzipSize(path.join(dist, url), { isPath: true });
    if (url.endsWith(".css")) css += bytes;
    else js += bytes;
  }
  return { js, css, files: new Set(urls).size };
}

function sizeCase(name: string, sizes: { js: number; css: number; files: number }): BenchCase {
  const total = sizes.js + sizes.css;
  const pass = total <= FRAME_GZIP_TARGET_BYTES;
  console.log(
    `  ${name}: ${total} B gzip (JS ${sizes.js} B + CSS ${sizes.css} B, ${sizes.files} files), target <= ${FRAME_GZIP_TARGET_BYTES} B: ${pass ? "PASS" : "FAIL"}`,
  );
  return {
    case: name,
    samplesMs: [0],
    opsPerIteration: 1,
    opsUnit: "page",
    extra: {
      gzipBytes: total,
      jsGzipBytes: sizes.js,
      cssGzipBytes: sizes.css,
      files: sizes.files,
      targetGzipBytes: FRAME_GZIP_TARGET_BYTES,
      withinTarget: pass ? "yes" : "no",
    },
  };
}

const CSV = [
  "Department,Region,Amount",
  ...["Parks", "Police", "Schools", "Roads", "Library", "Health"].flatMap((d, i) =>
    ["North", "South", "East", "West"].map((r, j) => `${d},${r},${1000 * (i + 1) + 137 * j}`),
  ),
].join("\n");

/** The overview sheet the first chart is measured on: a bar chart, a KPI and a filter pane. */
const OVERVIEW_OBJECTS: SheetObjectDef[] = [
  {
    id: "by-department",
    type: "bar",
    title: "Spend by department",
    dimensions: ["Department"],
    measures: ["Sum(Amount)"],
    position: { col: 0, row: 0, width: 16, height: 8 },
  },
  totalKpi({ col: 16, row: 0, width: 8, height: 3 }),
  regionsPane({ col: 16, row: 3, width: 8, height: 5 }),
];

/** Anonymous sessions on analyzer capacity, as on a public site. */
const CAPACITY_LICENSES = `
licenses:
  analyzerCapacity:
    minutesPerMonth: 1000000
  rules:
    - name: Anonymous on capacity
      type: analyzerCapacity
      condition: user.IsAnonymous()
`;

/** What `FRAME_TRACE=1` records: main-thread tasks, style/layout/paint, script evaluation, JS samples. */
const TRACE_CATEGORIES = [
  "devtools.timeline",
  "disabled-by-default-devtools.timeline",
  "v8.execute",
  "disabled-by-default-v8.cpu_profiler",
  "blink.user_timing",
  "loading",
];

type TraceEvent = {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
};

/**
 * Prints the main thread of the embed page's renderer from a Chromium trace: every task of 3 ms or more
 * (relative to navigation start) with what it spent its time on, then the JS functions with the most
 * self time (sampled). This is how the long animation frames of the timeline were explained.
 */
function printTraceSummary(trace: { traceEvents: TraceEvent[] }, firstChartMs: number): void {
  const events = trace.traceEvents;
  const nav = events.find(
    (e) =>
      e.name === "navigationStart" &&
      String((e.args?.data as { documentLoaderURL?: string })?.documentLoaderURL ?? "").includes("/embed"),
  );
  if (!nav) {
    console.log("  (trace: no navigationStart for the embed page)");
    return;
  }
  const main = { pid: nav.pid, tid: nav.tid };
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === "X");
  const ms = (ts: number) => ((ts - nav.ts) / 1000).toFixed(1);
  const tasks = onMain.filter((e) => e.name === "RunTask" && (e.dur ?? 0) >= 3000);
  console.log(`  main thread tasks >= 3 ms (first chart mark at ${Math.round(firstChartMs)} ms):`);
  for (const task of tasks) {
    const end = task.ts + (task.dur ?? 0);
    const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end);
    const byName = new Map<string, number>();
    for (const e of inside) byName.set(e.name, (byName.get(e.name) ?? 0) + (e.dur ?? 0));
    const top = [...byName]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([name, us]) => `${name} ${(us / 1000).toFixed(1)}`)
      .join(", ");
    console.log(`    ${ms(task.ts)}-${ms(end)} (${((task.dur ?? 0) / 1000).toFixed(1)} ms): ${top}`);
  }
  // Sampled JS self time from the CPU profile chunks of the main thread.
  const nodes = new Map<number, { name: string; parent?: number }>();
  const self = new Map<string, number>();
  for (const e of events) {
    if (e.name !== "ProfileChunk" || e.pid !== main.pid) continue;
    const data = (e.args?.data ?? {}) as {
      cpuProfile?: {
        nodes?: Array<{ id: number; callFrame: { functionName: string; url?: string; lineNumber: number } }>;
        samples?: number[];
      };
      timeDeltas?: number[];
    };
    for (const n of data.cpuProfile?.nodes ?? []) {
      const f = n.callFrame;
      const file = (f.url ?? "").replace(/^https?:\/\/[^/]+/, "");
      nodes.set(n.id, { name: `${f.functionName || "(anonymous)"} ${file}:${f.lineNumber + 1}` });
    }
    const samples = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    samples.forEach((id, k) => {
      const name = nodes.get(id)?.name ?? String(id);
      self.set(name, (self.get(name) ?? 0) + (deltas[k + 1] ?? deltas[k] ?? 0));
    });
  }
  const hot = [...self].filter(([name]) => !name.startsWith("(idle)")).sort((a, b) => b[1] - a[1]);
  console.log("  JS self time (sampled, ms):");
  for (const [name, us] of hot.slice(0, 25)) console.log(`    ${(us / 1000).toFixed(1)} ${name}`);
}

const CASE_NAME = "embed navigation start -> first chart painted (cold, session included)";

/** One cold load: a new browser context (empty cache and storage, so a new session), the mark's time. */
async function coldLoad(
  browser: Browser,
  url: string,
  options: { trace?: boolean; timeline?: boolean } = {},
): Promise<number> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    if (options.trace) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    // Nothing is evaluated in the page until its network is quiet: Playwright's first evaluation compiles
    // its helper script on the page's main thread (tens of ms), which would land in the middle of the load
    // and delay the very requests being measured.
    await page.goto(url, { waitUntil: "networkidle" });
    // Inline callbacks only: tsx would wrap named inner functions in a helper the page does not have.
    await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, FIRST_CHART_MARK, {
      timeout: 10_000,
    });
    const ms = await page.evaluate(
      (mark) => performance.getEntriesByName(mark)[0]?.startTime ?? -1,
      FIRST_CHART_MARK,
    );
    if (options.trace) {
      const buffer = await browser.stopTracing();
      // FRAME_TRACE=some/file.json also keeps the trace (open it in Chrome DevTools' Performance panel).
      if (process.env.FRAME_TRACE?.endsWith(".json")) await writeFile(process.env.FRAME_TRACE, buffer);
      printTraceSummary(JSON.parse(buffer.toString("utf8")), ms);
    }
    if (options.timeline) {
      const entries = await page.evaluate(() =>
        performance
          .getEntries()
          .map(
            (e) =>
              `${Math.round(e.startTime)}-${Math.round(e.startTime + e.duration)} ${e.entryType} ${e.name.replace(/^https?:\/\/[^/]+/, "")}`,
          ),
      );
      console.log(entries.join("\n"));
    }
    return ms;
  } finally {
    await context.close();
  }
}

/**
 * First chart over cold loads against the real server. With `FRAME_BASELINE_DIST=<a built frame dist>`
 * the loads alternate between that build and this one, each on its own server in the same process, so a
 * before/after comparison sees the same machine load (the machine is shared; separate runs minutes apart
 * are not comparable).
 */
async function firstChart(dist: string): Promise<BenchCase[]> {
  const builds = [{ name: CASE_NAME, dist }];
  const baselineDist = process.env.FRAME_BASELINE_DIST;
  if (baselineDist) builds.push({ name: `${CASE_NAME}, baseline build`, dist: baselineDist });
  const servers: Array<Awaited<ReturnType<typeof startPortico>>> = [];
  // The end-to-end tests' configuration (the page is loaded directly: no host page, no allow list).
  const yaml = await e2eConfig([], { overviewObjects: OVERVIEW_OBJECTS, licenses: CAPACITY_LICENSES });
  const browser = await launchChromium();
  const samples = builds.map(() => [] as number[]);
  try {
    for (const build of builds)
      servers.push(await startPortico({ yaml, frame: build.dist, files: { "spending.csv": CSV } }));
    const url = (k: number) => `${servers[k]?.url}/anon/embed?app=spending&sheet=overview`;
    // One warm-up load per server (server caches, engine load), not measured: the target is for a warm server.
    for (let k = 0; k < builds.length; k++) await coldLoad(browser, url(k));
    for (let i = 0; i < COLD_LOADS; i++) {
      for (let j = 0; j < builds.length; j++) {
        // Alternate which build goes first, so neither always follows the other.
        const k = (i + j) % builds.length;
        const last = i === COLD_LOADS - 1 && k === 0;
        samples[k]?.push(
          await coldLoad(browser, url(k), {
            // FRAME_TRACE=1 summarises a trace of the last load; FRAME_TIMELINE=1 prints its timeline.
            trace: last && Boolean(process.env.FRAME_TRACE),
            timeline: last && Boolean(process.env.FRAME_TIMELINE),
          }),
        );
      }
    }
  } finally {
    await browser.close();
    for (const server of servers) await server.close();
  }
  return builds.map((build, k) => {
    // The p50 the target is judged on (nearest rank, as in the results table), not a second definition.
    const loads = samples[k] ?? [];
    const median = loads.length > 0 ? Math.round(percentile(loads, 50)) : "n/a";
    console.log(`  ${build.name}: p50 ${median} ms over ${COLD_LOADS} cold loads`);
    return {
      case: build.name,
      samplesMs: samples[k] ?? [],
      opsPerIteration: 1,
      opsUnit: "loads",
      ...(k === 0 ? { target: { metric: "p50Ms", max: FIRST_CHART_P50_TARGET_MS } as const } : {}),
      ...(k > 0 ? {} : baselineDist ? { baseline: `${CASE_NAME}, baseline build` } : {}),
    };
  });
}

export const frameSuite: BenchSuite = {
  name: "frame",
  description: "frame page JS+CSS (gzip) and navigation start -> first chart painted over cold loads",
  async run() {
    const dist = await buildFrame({ minify: true });
    // A traced run loads an unminified build, so the profile names functions (its timings are not the target's).
    const loaded = process.env.FRAME_TRACE ? await buildFrame({ minify: false }) : dist;
    try {
      return [
        sizeCase("embed page JS+CSS", await pageAssets(dist, "embed.html")),
        sizeCase("hub page JS+CSS", await pageAssets(dist, "hub.html")),
        ...(await firstChart(loaded)),
      ];
    } finally {
      await rm(dist, { recursive: true, force: true });
      if (loaded !== dist) await rm(loaded, { recursive: true, force: true });
    }
  },
};
