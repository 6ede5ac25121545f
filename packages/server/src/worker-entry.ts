import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type { WorkerOptions } from "node:worker_threads";

/**
 * A worker's entry module `name` (without extension) next to the module at `here`: the built JavaScript,
 * or — running from the TypeScript sources (tests, benches) — the source entry behind tsx's loader,
 * registered in the worker first because a worker's own `--import` does not apply to its entry module.
 */
export function workerEntry(name: string, here: string): { url: URL; options: WorkerOptions } {
  if (!here.endsWith(".ts")) return { url: new URL(`./${name}.js`, here), options: {} };
  const tsxCjs = createRequire(here).resolve("tsx/esm/api");
  const tsx = pathToFileURL(tsxCjs.replace(/\.cjs$/, ".mjs")).href;
  const entry = new URL(`./${name}.ts`, here).href;
  const code = `import { register } from ${JSON.stringify(tsx)};\nregister();\nawait import(${JSON.stringify(entry)});\n`;
  return {
    url: new URL(`data:text/javascript,${encodeURIComponent(code)}`),
    options: { execArgv: ["--conditions=source"] },
  };
}
