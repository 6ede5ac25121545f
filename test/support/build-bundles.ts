// Browser bundles the end-to-end tests need, built on demand (`npm test` runs no build first): the SDK as a
// page would load it, the small protocol test frame, and the real frame. Test
// files run in parallel processes, so builds take a directory lock; a bundle is rebuilt when a source file
// is newer than it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OUT = path.join(ROOT, ".tmp", "e2e");
/** The SDK (`define.js`, `index.js` and their chunks) as served to host pages. */
export const EMBED_BUNDLE_DIR = path.join(OUT, "embed");
/** The protocol test frame (`test-frame.js`). */
export const TEST_FRAME_DIR = path.join(OUT, "test-frame");
/** The real frame's build output, served by the real server. */
export const FRAME_DIST_DIR = path.join(ROOT, "packages", "frame", "dist");

const LOCK_WAIT_MS = 120_000;

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  if (!statSync(dir).isDirectory()) return statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

function builtAt(file: string): number {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

async function withLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  mkdirSync(OUT, { recursive: true });
  const lock = path.join(OUT, `${name}.lock`);
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a crashed run is stale after the longest build.
      if (Date.now() - builtAt(lock) > LOCK_WAIT_MS) rmSync(lock, { recursive: true, force: true });
      if (Date.now() - started > LOCK_WAIT_MS) throw new Error(`gave up waiting for the ${name} build lock`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await task();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

const SOURCES = {
  embed: [
    path.join(ROOT, "packages/embed/src"),
    path.join(ROOT, "packages/embed/vite.config.ts"),
    path.join(ROOT, "packages/embed/penpal-without-debug-log.ts"),
    path.join(ROOT, "packages/protocol/src"),
  ],
  testFrame: [path.join(ROOT, "test/support/test-frame"), path.join(ROOT, "packages/protocol/src")],
  frame: [
    path.join(ROOT, "packages/frame/src"),
    path.join(ROOT, "packages/frame/embed.html"),
    path.join(ROOT, "packages/frame/hub.html"),
    path.join(ROOT, "packages/frame/login.html"),
    path.join(ROOT, "packages/frame/vite.config.ts"),
    path.join(ROOT, "packages/protocol/src"),
  ],
};

function stale(output: string, sources: string[]): boolean {
  const built = builtAt(output);
  return built === 0 || sources.some((dir) => newestMtime(dir) > built);
}

/** Builds the SDK bundle with the package's own vite config (the published shape), into .tmp/e2e/embed. */
export async function ensureEmbedBundle(): Promise<string> {
  const marker = path.join(EMBED_BUNDLE_DIR, "define.js");
  if (!stale(marker, SOURCES.embed)) return EMBED_BUNDLE_DIR;
  return withLock("embed", async () => {
    if (!stale(marker, SOURCES.embed)) return EMBED_BUNDLE_DIR;
    const { build } = await import("vite");
    rmSync(EMBED_BUNDLE_DIR, { recursive: true, force: true });
    await build({
      configFile: path.join(ROOT, "packages/embed/vite.config.ts"),
      logLevel: "warn",
      build: { outDir: EMBED_BUNDLE_DIR, emptyOutDir: true },
    });
    return EMBED_BUNDLE_DIR;
  });
}

/** Builds the protocol test frame: one ES module with penpal and the protocol guards. */
export async function ensureTestFrame(): Promise<string> {
  const marker = path.join(TEST_FRAME_DIR, "test-frame.js");
  if (!stale(marker, SOURCES.testFrame)) return TEST_FRAME_DIR;
  return withLock("test-frame", async () => {
    if (!stale(marker, SOURCES.testFrame)) return TEST_FRAME_DIR;
    const { build } = await import("vite");
    await build({
      configFile: false,
      logLevel: "warn",
      resolve: { conditions: ["source", "module", "browser", "default"] },
      build: {
        outDir: TEST_FRAME_DIR,
        emptyOutDir: true,
        minify: false,
        target: "es2022",
        lib: {
          entry: path.join(ROOT, "test/support/test-frame/main.ts"),
          formats: ["es"],
          fileName: () => "test-frame.js",
        },
      },
    });
    return TEST_FRAME_DIR;
  });
}

/** True when the real frame can be served: built already, or buildable (its vite config has landed). */
export function frameAvailable(): boolean {
  return (
    existsSync(path.join(FRAME_DIST_DIR, "embed.html")) ||
    existsSync(path.join(ROOT, "packages/frame/vite.config.ts"))
  );
}

/** Builds the real frame when its output is missing (a clean clone) or older than its sources. */
export async function ensureFrameBuild(): Promise<string> {
  const marker = path.join(FRAME_DIST_DIR, "embed.html");
  if (!stale(marker, SOURCES.frame)) return FRAME_DIST_DIR;
  return withLock("frame", async () => {
    if (!stale(marker, SOURCES.frame)) return FRAME_DIST_DIR;
    const result = spawnSync("npx", ["vite", "build", "--config", "packages/frame/vite.config.ts"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    if (result.status !== 0 || !existsSync(marker))
      throw new Error(`building the frame failed:\n${result.stdout}\n${result.stderr}`);
    return FRAME_DIST_DIR;
  });
}
