// `npm test`: provisions what the tests need, then runs the whole vitest suite once.
import { spawnSync } from "node:child_process";
import { ensureChromium } from "./provision.mjs";

const env = { ...process.env };
try {
  env.CHROME_PATH = ensureChromium();
} catch (error) {
  console.error(`npm test: ${error.message}`);
  process.exit(1);
}
const args = ["vitest", "run", ...process.argv.slice(2)];
const result = spawnSync("npx", args, { stdio: "inherit", env });
process.exit(result.status ?? 1);
