// A normal load is quiet: no warning or error in the browser console, with the real frame and server in real
// Chromium (host page on http://localhost:<port>, server on http://127.0.0.1:<port>); and a bundler that
// takes `@portico/embed/define` as a web developer's app would (esbuild, through the package's manifest
// and its `sideEffects`) warns about nothing and produces a page that works.
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { build } from "esbuild";
import type { ConsoleMessage } from "playwright-core";
import { afterAll, describe, expect, it } from "vitest";
import { EMBED_BUNDLE_DIR, ensureFrameBuild, ROOT } from "./support/build-bundles.js";
import { useEmbedWorld } from "./support/embed-world.js";

const world = useEmbedWorld(ensureFrameBuild);
const temp: string[] = [];
afterAll(async () => {
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

/** Every console message of the page and its frames that is not a plain log. */
function recordConsole(): ConsoleMessage[] {
  const noisy: ConsoleMessage[] = [];
  world.page.on("console", (message) => {
    // The test's host page server has no favicon: the browser's 404 for it is not Portico's.
    if (message.location().url.endsWith("/favicon.ico")) return;
    if (message.type() === "warning" || message.type() === "error") noisy.push(message);
  });
  return noisy;
}

/**
 * An app's `import "@portico/embed/define"` bundled by esbuild from an installed copy of the package: its
 * manifest and the SDK's build output (`EMBED_BUNDLE_DIR`, built with the package's own vite config).
 */
async function bundleLikeAnApp() {
  const app = await mkdtemp(path.join(tmpdir(), "portico-esbuild-app-"));
  temp.push(app);
  const installed = path.join(app, "node_modules", "@portico", "embed");
  await mkdir(installed, { recursive: true });
  await cp(path.join(ROOT, "packages/embed/package.json"), path.join(installed, "package.json"));
  await cp(EMBED_BUNDLE_DIR, path.join(installed, "dist"), { recursive: true });
  return build({
    stdin: { contents: 'import "@portico/embed/define";', resolveDir: app, sourcefile: "app.js" },
    bundle: true,
    write: false,
    format: "esm",
    logLevel: "silent",
  });
}

describe("a quiet console", () => {
  it("a normal load logs no warning or error, in the page or the frame", async () => {
    const noisy = recordConsole();
    await world.open(
      "/quiet",
      world.embed("a", { proxy: "anon", app: "spending", sheet: "overview", style: "height:600px" }) +
        world.embed("b", { proxy: "anon", app: "spending", sheet: "overview", style: "height:600px" }),
    );
    await world.readyUsers("a", "b");
    const frame = await world.frameOf("a");
    await expect.poll(() => frame.locator(".kpi-value").count()).toBeGreaterThan(0);
    await world.page.waitForTimeout(300);
    expect(noisy.map((m) => `${m.type()}: ${m.text()} ${m.location().url}`)).toEqual([]);
  });

  it("esbuild bundles @portico/embed/define without a warning, and the bundle works", async () => {
    const result = await bundleLikeAnApp();
    expect(result.warnings.map((w) => w.text)).toEqual([]);
    const code = (result.outputFiles[0]?.text ?? "").replaceAll("</script", "<\\/script");
    const noisy = recordConsole();
    const element = world.embed("a", { proxy: "anon", app: "spending", sheet: "overview" });
    await world.page.goto(
      world.host.page(
        "/bundled",
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>App</title></head><body>
<script type="module">${code}
document.body.insertAdjacentHTML("beforeend", ${JSON.stringify(element)});
document.getElementById("a").addEventListener("portico-ready", () => { window.readyFired = true; });
</script></body></html>`,
      ),
    );
    await world.page.waitForFunction(() => (window as unknown as { readyFired?: boolean }).readyFired);
    expect(noisy.map((m) => `${m.type()}: ${m.text()} ${m.location().url}`)).toEqual([]);
  });
});
