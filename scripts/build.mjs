// `npm run build`: compiles every package to dist/ (TypeScript project references), then the browser bundles.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run("npx", ["tsc", "-b", "tsconfig.build.json"]);
for (const pkg of ["frame", "embed"]) {
  if (existsSync(`packages/${pkg}/vite.config.ts`))
    run("npx", ["vite", "build", "--config", `packages/${pkg}/vite.config.ts`]);
}
