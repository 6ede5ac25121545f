// The demo's own configuration (demo/portico.yaml, as `npm start` serves it) on the in-process real server:
// its synthetic data written into a temp dir, its paths pointed there, and the embedding site's origin on
// its allow lists in place of the demo portal's.
import { spawnSync } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT } from "./build-bundles.js";
import { type PorticoTestServer, startPortico } from "./portico-server.js";

/** The demo portal's origin in demo/portico.yaml (the vite demo site). */
const DEMO_PORTAL_ORIGIN = "http://localhost:5173";

export async function startDemoPortico(hostOrigin: string, frame: string): Promise<PorticoTestServer> {
  // The data directory holds `data/` as demo/ does, so the demo's sources (`./data/...`) stay as written.
  const dataDir = await mkdtemp(path.join(tmpdir(), "portico-demo-data-"));
  const generated = spawnSync(
    "node",
    ["packages/engine/scripts/generate-sample-data.mjs", path.join(dataDir, "data")],
    {
      cwd: ROOT,
      encoding: "utf8",
    },
  );
  if (generated.status !== 0) throw new Error(`sample data: ${generated.stderr}`);
  const demo = (await readFile(path.join(ROOT, "demo/portico.yaml"), "utf8"))
    .replaceAll(DEMO_PORTAL_ORIGIN, hostOrigin)
    // The server listens on a free port: `startPortico` makes its address the public URL.
    .replace(/^ {2}publicUrl: .*\n/m, "");
  const yaml = `dataDir: ${JSON.stringify(dataDir)}\n${demo}`;
  const server = await startPortico({ yaml, frame });
  return {
    ...server,
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
