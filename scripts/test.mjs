// `npm test`: provisions what the tests need (Chromium, PostgreSQL server binaries), then runs every suite
// and ends with the plain `N passed, N failed` line that CI reads, summed over them:
//   1. vitest over the whole tree;
//   2. vitest again over the server's HTTP, session, beacon and storage tests with PORTICO_FAST_PATHS=0, so
//      the normal path behind every fast path is tested too;
//   3. the in-browser unit tests with @web/test-runner (web-test-runner.config.mjs).
// `npm test -- <vitest arguments>` runs the first suite alone, with those arguments.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { relative } from "node:path";
import { ensureChromium, ensurePostgresBin } from "./provision.mjs";

const env = { ...process.env };
try {
  env.CHROME_PATH = ensureChromium();
  // The PostgreSQL adapter's tests start a throwaway cluster from the server binaries.
  env.PG_BIN = ensurePostgresBin();
} catch (error) {
  console.error(`npm test: ${error.message}`);
  process.exit(1);
}
mkdirSync(".tmp", { recursive: true });

/** The paths of the tests that run both with and without the fast paths. */
const FAST_PATH_TESTS = ["api", "sessions", "visits", "http", "storage"].map(
  (dir) => `packages/server/src/${dir}`,
);

const vitest = (report, args) => [
  "npx",
  ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...args],
];
/** The tests of a vitest report's `file` that `keep` selects, each with its file, name and first error. */
const testsOf = (file, keep) =>
  (file.assertionResults ?? [])
    .filter(keep)
    .map((test) => ({ file: file.name, name: test.fullName, message: test.failureMessages?.[0] }));
/** A vitest report's failed tests, and its files that failed outside any test (an import error, a hook). */
function vitestFailures(summary) {
  return (summary.testResults ?? []).flatMap((file) => {
    const failed = testsOf(file, (test) => test.status === "failed");
    return failed.length === 0 && file.status === "failed"
      ? [
          {
            file: file.name,
            name: "(the file)",
            message: file.message || "a hook or the import failed: see the log above",
          },
        ]
      : failed;
  });
}
/**
 * Each vitest JSON report's counts and failures, as the WTR reporter writes its own. A file that fails
 * outside its tests counts as one failure (its tests are reported skipped), as in the WTR reporter: else
 * the last line could read "0 failed" over a failed run.
 */
const vitestCounts = (summary) => {
  const failures = vitestFailures(summary);
  return {
    passed: summary.numPassedTests,
    failed: summary.numFailedTests + failures.filter((failure) => failure.name === "(the file)").length,
    skipped: summary.numPendingTests + summary.numTodoTests,
    // A test that passed on its retry (vite.config.ts) keeps the errors of its failed run.
    flaky: (summary.testResults ?? []).flatMap((file) =>
      testsOf(file, (test) => test.status === "passed" && (test.failureMessages?.length ?? 0) > 0),
    ),
    failures,
  };
};

const extra = process.argv.slice(2);
const suites = [
  {
    name: "vitest",
    report: ".tmp/vitest-report.json",
    command: vitest(".tmp/vitest-report.json", extra),
    counts: vitestCounts,
  },
];
if (extra.length === 0)
  suites.push(
    {
      name: "vitest, PORTICO_FAST_PATHS=0",
      report: ".tmp/vitest-no-fast-paths-report.json",
      command: vitest(".tmp/vitest-no-fast-paths-report.json", ["--passWithNoTests", ...FAST_PATH_TESTS]),
      env: { PORTICO_FAST_PATHS: "0" },
      counts: vitestCounts,
    },
    {
      name: "web-test-runner",
      report: ".tmp/wtr-report.json",
      // The config loads the engine's TypeScript sources (see its header).
      command: [
        process.execPath,
        ["--conditions=source", "--import", "tsx", "node_modules/@web/test-runner/dist/bin.js"],
      ],
      env: { WTR_REPORT: ".tmp/wtr-report.json" },
      counts: (counts) => counts,
    },
  );

const total = { passed: 0, failed: 0, skipped: 0 };
/** Every failed test, listed again just above the last line: a CI log is often read from its tail. */
const failures = [];
const flaky = [];
let status = 0;
for (const suite of suites) {
  console.log(`\nnpm test: ${suite.name}`);
  rmSync(suite.report, { force: true });
  const [command, args] = suite.command;
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...env, ...suite.env } });
  if (result.status !== 0) status = result.status ?? 1;
  let counts;
  try {
    counts = suite.counts(JSON.parse(readFileSync(suite.report, "utf8")));
  } catch (error) {
    // No report (the runner crashed before writing one): counted as a failure, so the line cannot read green.
    console.error(`npm test: ${suite.name} wrote no readable report (${error.message})`);
    total.failed += 1;
    status ||= 1;
    continue;
  }
  for (const key of Object.keys(total)) total[key] += counts[key] ?? 0;
  for (const failure of counts.failures ?? []) failures.push({ suite: suite.name, ...failure });
  for (const test of counts.flaky ?? []) flaky.push({ suite: suite.name, ...test });
}
/** Each test with the first lines of its error: enough to tell a missed deadline from a broken assertion. */
const list = (title, tests) => {
  if (tests.length === 0) return;
  console.log(`\nnpm test: ${tests.length} ${title}:`);
  for (const { suite, file, name, message } of tests) {
    console.log(`- [${suite}] ${relative(process.cwd(), file ?? "")} > ${name}`);
    // The message without the stack's frames, which are mostly the runner's own.
    for (const line of String(message ?? "")
      .split("\n")
      .filter((line) => !/^\s+at /.test(line))
      .slice(0, 6))
      console.log(`    ${line}`);
  }
};
list("passed only on a retry (flaky: fix them)", flaky);
list("failed", failures);
console.log(
  `\n${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ""}`,
);
process.exit(status);
