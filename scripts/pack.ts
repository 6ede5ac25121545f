// `npm run pack [-- <dir>]`: the packages a site installs, as npm tarballs (default .tmp/pack): @portico/
// protocol, rules and engine (the server's dependencies), embed (the SDK) and server (with the built frame
// in its `frame/` and the `portico` bin). Each is packed by `npm pack` from a staging copy of its manifest,
// README and fresh build: the browser bundles are built into the staging folders, never over the
// workspace's dist/ that running tests and servers read meanwhile.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
/** The published packages, dependencies first. */
export const PUBLISHED_PACKAGES = ["protocol", "rules", "engine", "embed", "server"] as const;

function run(command: string, args: string[], cwd = ROOT): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  return result.stdout;
}

/** Copies what `files` would pick from the workspace package into the staging folder, minus the build. */
function stage(pkg: string, into: string, extra: string[]): void {
  const from = path.join(ROOT, "packages", pkg);
  mkdirSync(into, { recursive: true });
  for (const name of ["package.json", "README.md", ...extra])
    if (existsSync(path.join(from, name)))
      cpSync(path.join(from, name), path.join(into, name), { recursive: true });
}

/** Builds, stages and packs every published package into `outDir`; returns the tarballs by package name. */
export function packPackages(outDir: string): Record<(typeof PUBLISHED_PACKAGES)[number], string> {
  const stageDir = path.join(outDir, "stage");
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(stageDir, { recursive: true });
  // Declarations and the Node packages' JavaScript (incremental: only what changed is written).
  run("npx", ["tsc", "-b", "tsconfig.build.json"]);
  const tarballs = {} as Record<(typeof PUBLISHED_PACKAGES)[number], string>;
  for (const pkg of PUBLISHED_PACKAGES) {
    const into = path.join(stageDir, pkg);
    const dist = path.join(ROOT, "packages", pkg, "dist");
    if (pkg === "embed") {
      stage(pkg, into, ["custom-elements.json"]);
      // tsc gives the declarations; the scripts are vite's bundles (lit and penpal inside).
      cpSync(dist, path.join(into, "dist"), { recursive: true, filter: (f) => !/\.js(\.map)?$/.test(f) });
      run("npx", [
        "vite",
        "build",
        "--config",
        "packages/embed/vite.config.ts",
        "--outDir",
        path.join(into, "dist"),
      ]);
    } else {
      stage(pkg, into, pkg === "server" ? ["bin"] : []);
      cpSync(dist, path.join(into, "dist"), { recursive: true, filter: (f) => !f.endsWith(".tsbuildinfo") });
    }
    if (pkg === "server") {
      const frame = path.join(into, "frame");
      run("npx", [
        "vite",
        "build",
        "--config",
        "packages/frame/vite.config.ts",
        "--outDir",
        frame,
        "--emptyOutDir",
      ]);
    }
    // The staging copy has no sources or build scripts: nothing to run before packing.
    const name = run("npm", ["pack", "--ignore-scripts", "--pack-destination", outDir], into)
      .trim()
      .split("\n")
      .pop();
    tarballs[pkg] = path.join(outDir, name as string);
  }
  return tarballs;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const outDir = path.resolve(process.argv[2] ?? path.join(ROOT, ".tmp", "pack"));
  for (const tarball of Object.values(packPackages(outDir))) console.log(tarball);
  console.log(readdirSync(outDir).length > 0 ? `npm run pack: tarballs in ${outDir}` : "");
}
