// `npm start`: builds what is needed, then starts the Portico server with the demo configuration on the
// embedded default storage (SQLite). Ctrl-C stops everything cleanly.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const build = spawnSync("node", ["scripts/build.mjs"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const cli = "packages/server/dist/cli.js";
if (!existsSync(cli)) {
  console.log(
    "Portico: the workspace is built. The server package has no CLI yet, so there is nothing to serve.",
  );
  process.exit(0);
}
const config = process.env.PORTICO_CONFIG ?? "demo/portico.yaml";
// The demo apps read synthetic CSVs under demo/data/; write them once if they are missing.
const generator = "packages/engine/scripts/generate-sample-data.mjs";
if (!process.env.PORTICO_CONFIG && !existsSync("demo/data/spending.csv") && existsSync(generator)) {
  const gen = spawnSync("node", [generator, "demo/data"], { stdio: "inherit" });
  if (gen.status !== 0) process.exit(gen.status ?? 1);
}
const args = [cli, "serve", "--config", config];
const children = [spawn("node", args, { stdio: "inherit" })];
const stop = () => {
  for (const child of children) child.kill("SIGTERM");
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
for (const child of children)
  child.on("exit", (code) => {
    stop();
    process.exitCode = code ?? 0;
  });
