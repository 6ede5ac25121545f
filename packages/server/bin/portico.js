#!/usr/bin/env node
// The `portico` command (`npx portico`). An installed package runs its compiled CLI (dist/cli.js). A clone
// of the repository has the TypeScript sources (src/ is not in the published files) and tsx: there the
// sources run, so `npx portico` works right after `npm install`, before any build, and never runs a stale
// dist/ after an edit. Running in this process (not a child) keeps Ctrl-C, SIGTERM and stdin prompts
// exactly as they are for the compiled CLI.
import { existsSync } from "node:fs";
import { register } from "node:module";

const source = new URL("../src/cli.ts", import.meta.url);
const compiled = new URL("../dist/cli.js", import.meta.url);

async function loadTsx() {
  try {
    return await import("tsx/esm/api");
  } catch {
    return undefined;
  }
}

const tsx = existsSync(source) ? await loadTsx() : undefined;
if (tsx) {
  // Workspace packages resolve to their sources through the "source" export condition, as in the tests.
  register("./source-condition.js", import.meta.url);
  tsx.register();
  await import(source.href);
} else if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  process.stderr.write("portico: dist/cli.js is missing; run `npm run build` (or `npm install` for tsx)\n");
  process.exitCode = 1;
}
