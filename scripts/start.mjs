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
const children = [spawn("node", [cli, "serve", "--config", config], { stdio: "inherit" })];
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
