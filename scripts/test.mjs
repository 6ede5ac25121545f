// `npm test`: provisions what the tests need (Chromium, PostgreSQL server binaries), then runs the whole
// vitest suite once and ends with the plain `N passed, N failed` line that CI reads.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
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
const report = ".tmp/vitest-report.json";
const args = ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`];
const result = spawnSync("npx", [...args, ...process.argv.slice(2)], { stdio: "inherit", env });
try {
  const summary = JSON.parse(readFileSync(report, "utf8"));
  const skipped = summary.numPendingTests + summary.numTodoTests;
  console.log(
    `\n${summary.numPassedTests} passed, ${summary.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ""}`,
  );
} catch {
  // No report (vitest crashed before writing it): the exit status below still says what happened.
}
process.exit(result.status ?? 1);
