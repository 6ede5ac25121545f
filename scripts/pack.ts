// `npm run pack [-- <dir>]`: the packages a site installs, as npm tarballs (default .tmp/pack): @portico/
// protocol, rules and engine (the server's dependencies), embed (the SDK) and server (with the built frame
// in its `frame/` and the `portico` bin). Each is packed by `npm pack` from a staging folder holding its
// manifest, README and a fresh build made there: the workspace's dist/ folders, which running tests and
// servers read meanwhile, are never written.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

/**
 * Compiles a package's sources into `outDir` with the settings of its tsconfig.build.json. The packages
 * it depends on are taken from their staged declarations (`paths`), so no project reference is built in
 * place. Without maps: they would point at sources the tarball does not carry.
 */
function compile(pkg: string, outDir: string, staged: Record<string, string>): void {
  const own = JSON.parse(readFileSync(path.join(ROOT, "packages", pkg, "tsconfig.build.json"), "utf8")) as {
    compilerOptions: Record<string, unknown>;
    exclude?: string[];
  };
  const src = path.join(ROOT, "packages", pkg);
  const config = path.join(outDir, "..", "tsconfig.pack.json");
  const paths = Object.fromEntries(
    Object.entries(staged).map(([name, dir]) => [`@portico/${name}`, [path.join(dir, "dist", "index.d.ts")]]),
  );
  writeFileSync(
    config,
    JSON.stringify({
      extends: path.join(ROOT, "tsconfig.base.json"),
      compilerOptions: {
        rootDir: path.join(src, "src"),
        outDir,
        types: own.compilerOptions.types,
        // The staging folder may be outside the repository: type packages come from the workspace.
        typeRoots: [path.join(ROOT, "node_modules", "@types")],
        emitDeclarationOnly: own.compilerOptions.emitDeclarationOnly === true,
        sourceMap: false,
        declarationMap: false,
        paths,
      },
      include: [path.join(src, "src", "**", "*.ts")],
      exclude: (own.exclude ?? []).map((pattern) => path.join(src, pattern)),
    }),
  );
  run("npx", ["tsc", "-p", config]);
  rmSync(config);
}

/** Builds, stages and packs every published package into `outDir`; returns the tarballs by package name. */
export function packPackages(outDir: string): Record<(typeof PUBLISHED_PACKAGES)[number], string> {
  const stageDir = path.join(outDir, "stage");
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(stageDir, { recursive: true });
  const tarballs = {} as Record<(typeof PUBLISHED_PACKAGES)[number], string>;
  const staged: Record<string, string> = {};
  for (const pkg of PUBLISHED_PACKAGES) {
    const into = path.join(stageDir, pkg);
    stage(pkg, into, pkg === "embed" ? ["custom-elements.json"] : pkg === "server" ? ["bin"] : []);
    // The embed package's tsconfig emits declarations only: its scripts are vite's bundles (lit and penpal
    // inside), built with the package's own config.
    compile(pkg, path.join(into, "dist"), staged);
    if (pkg === "embed")
      run("npx", [
        "vite",
        "build",
        "--config",
        "packages/embed/vite.config.ts",
        "--outDir",
        path.join(into, "dist"),
      ]);
    staged[pkg] = into;
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
