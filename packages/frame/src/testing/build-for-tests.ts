import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

const FRAME_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Builds the frame exactly as production does (same vite config), plus the host test page, into a
 * fresh temporary directory, so tests run against real bundles under the real CSP.
 */
export async function buildFrameForTests(): Promise<string> {
  const outDir = await mkdtemp(join(tmpdir(), "portico-frame-test-"));
  await build({
    configFile: join(FRAME_ROOT, "vite.config.ts"),
    logLevel: "warn",
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      rollupOptions: {
        input: {
          embed: join(FRAME_ROOT, "embed.html"),
          hub: join(FRAME_ROOT, "hub.html"),
          login: join(FRAME_ROOT, "login.html"),
          host: join(FRAME_ROOT, "test-harness/host.html"),
        },
      },
    },
  });
  return outDir;
}
