// The in-browser unit tests (`packages/*/test-browser/*.test.ts`): the lit components, the number formats
// against Chromium's Intl, and `<portico-embed>`, run by @web/test-runner in the system Chromium.
// Run through `npm run test:browser` (or `npm test`): this file loads the engine's TypeScript sources,
// which needs Node started with `--conditions=source --import tsx`.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { esbuildPlugin } from "@web/dev-server-esbuild";
import { defaultReporter } from "@web/test-runner";
import { playwrightLauncher } from "@web/test-runner-playwright";

const engine = await import("@portico/engine").catch((error) => {
  throw new Error(
    `run the browser tests with \`npm run test:browser\` (the engine's sources need tsx): ${error}`,
  );
});
const { spendingRows } = await import("./packages/frame/src/testing/spending-fixture.ts");
const spending = await engine.loadTables([{ name: "spending", rows: spendingRows() }]);

async function readBody(request) {
  let body = "";
  for await (const chunk of request) body += chunk;
  return body;
}

/**
 * The fake server of `<portico-embed>`'s tests (proxy `wtr`): an anonymous ticket, and the fake frame's
 * page at `/wtr/embed`.
 */
async function fakePortico(context, next) {
  if (context.path === "/wtr/api/v1/tickets/anonymous" && context.method === "POST") {
    context.type = "application/json";
    context.body = JSON.stringify({ ticket: "anonymous-ticket" });
    return;
  }
  if (context.path === "/wtr/embed") {
    context.type = "text/html";
    context.body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>fake frame</title>
<script type="module" src="/packages/embed/test-browser/fake-frame.ts"></script></head><body></body></html>`;
    return;
  }
  return next();
}

/**
 * `POST /__spending/query {request, objects}`: the real engine's answer over the spending test app, so the
 * component tests render what the server would send (the engine itself needs Node).
 */
async function spendingQueries(context, next) {
  if (context.path !== "/__spending/query" || context.method !== "POST") return next();
  const { request, objects } = JSON.parse(await readBody(context.req));
  context.type = "application/json";
  context.body = JSON.stringify(spending.query(request, objects));
}

/** The system Chromium (CHROME_PATH or Debian's), never a downloaded one. */
const executablePath = [process.env.CHROME_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find(
  (path) => path && existsSync(path),
);
if (!executablePath)
  throw new Error("Chromium not found: set CHROME_PATH or install Debian's chromium package");

/**
 * Writes the run's counts, `{passed, failed, skipped}` with each test counted, to `outputFile`, for the one
 * summary line of `npm test` (scripts/test.mjs). A file that failed outside any test (it did not load, a
 * hook threw) counts as one failure, so it cannot pass unnoticed.
 */
function countsReporter(outputFile) {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
      const add = (suite, file, path) => {
        for (const test of suite.tests) {
          counts[test.skipped ? "skipped" : test.passed ? "passed" : "failed"] += 1;
          if (!test.skipped && !test.passed)
            counts.failures.push({
              file,
              name: [...path, test.name].join(" > "),
              message: test.error?.message,
            });
        }
        for (const child of suite.suites) add(child, file, [...path, child.name]);
      };
      for (const session of sessions) {
        const failedBefore = counts.failed;
        if (session.testResults) add(session.testResults, session.testFile, []);
        if (!session.passed && counts.failed === failedBefore) {
          counts.failed += 1;
          counts.failures.push({
            file: session.testFile,
            name: "(the file)",
            message: session.errors?.[0]?.message,
          });
        }
      }
      mkdirSync(dirname(outputFile), { recursive: true });
      writeFileSync(outputFile, JSON.stringify(counts));
    },
  };
}

export default {
  rootDir: ".",
  files: ["packages/*/test-browser/**/*.test.ts"],
  // Workspace packages resolve to their TypeScript sources, as in vitest (vite.config.ts).
  nodeResolve: { exportConditions: ["source"], browser: true },
  middleware: [spendingQueries, fakePortico],
  plugins: [esbuildPlugin({ ts: true, target: "es2022", tsconfig: "tsconfig.base.json" })],
  browsers: [
    playwrightLauncher({
      product: "chromium",
      launchOptions: { executablePath, headless: true, args: ["--no-sandbox", "--disable-gpu"] },
    }),
  ],
  reporters: [defaultReporter(), countsReporter(process.env.WTR_REPORT ?? ".tmp/wtr-report.json")],
  // One page at a time: the machine is small, and the tests use the real mouse and keyboard.
  concurrency: 1,
  testFramework: { config: { timeout: 20_000 } },
};
