// Portico as someone outside this repository gets it: the packages packed by `npm pack` (scripts/pack.ts)
// pass publint, install from the tarballs into an empty folder elsewhere, and there `npx portico init --csv`
// writes a config that `npx portico serve` serves. A page on another origin shows the generated dashboard,
// charts painted, once with the SDK bundled from the installed @portico/embed by vite and once loading it
// from the server's /sdk/<version>/ URL with no build step at all (the snippet init printed, verbatim).
//
// Installing compiles better-sqlite3 from source, which takes minutes here; unless
// PORTICO_E2E_NATIVE_BUILD=1, install scripts are skipped and the repository's own build of the same
// better-sqlite3 version (same Node) is copied in, which is what the compile would produce.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Frame, Page } from "playwright-core";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUBLISHED_PACKAGES, packPackages } from "../scripts/pack.js";
import { launchChromium } from "./support/browser.js";
import { ROOT } from "./support/build-bundles.js";
import { type HostPageServer, startHostPageServer } from "./support/host-page-server.js";

const WORK = path.join(ROOT, ".tmp", "packages-install");
const INSTALL_TIMEOUT_MS = 10 * 60_000;

/** 12 orders over three months and three regions: Amount sums to 780, Quantity to 30. */
const AMOUNTS = [50, 70, 40, 60, 90, 30, 80, 50, 100, 70, 60, 80];
const QUANTITIES = [2, 3, 1, 2, 4, 1, 3, 2, 5, 2, 3, 2];
const DAYS = "01-05 01-12 01-20 01-28 02-03 02-11 02-19 02-27 03-04 03-12 03-20 03-28".split(" ");
const PRODUCTS = "Apples Pears Plums Pears Apples Apples Plums Plums Pears Apples Pears Plums".split(" ");
const SALES_CSV = [
  "Date,Region,Product,Amount,Quantity,OrderId",
  ...AMOUNTS.map(
    (amount, i) =>
      `2024-${DAYS[i]},${["North", "South", "East"][i % 3]},${PRODUCTS[i]},${amount},${QUANTITIES[i]},${i + 1}`,
  ),
].join("\n");

let tarballs: Record<(typeof PUBLISHED_PACKAGES)[number], string>;
let site: string;
let host: HostPageServer;
let serve: ChildProcess | undefined;
let browser: Browser;
let porticoUrl: string;
let snippet: { script: string; element: string };

function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", env: { ...process.env, ...env } });
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(" ")}: exit ${result.status}\n${result.stdout}\n${result.stderr}`,
    );
  return result.stdout;
}

/** `npx portico ...` in the site folder, as its owner would type it. */
const portico = (args: string[]) =>
  run("npx", ["--no-install", "portico", ...args], site, { PORTICO_CONFIG: "" });

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function install(): void {
  const nativeBuild = process.env.PORTICO_E2E_NATIVE_BUILD === "1";
  run(
    "npm",
    [
      "install",
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      ...(nativeBuild ? [] : ["--ignore-scripts"]),
      ...Object.values(tarballs),
    ],
    site,
  );
  if (nativeBuild) return;
  const ours = path.join(ROOT, "node_modules", "better-sqlite3");
  const theirs = path.join(site, "node_modules", "better-sqlite3");
  const version = (dir: string) => JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")).version;
  if (version(ours) === version(theirs))
    cpSync(path.join(ours, "build"), path.join(theirs, "build"), { recursive: true });
  else run("npm", ["rebuild", "better-sqlite3"], site);
}

async function waitUntilReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`portico serve exited (${child.exitCode}):\n${log()}`);
    const ok = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`portico serve never became ready:\n${log()}`);
}

async function dashboardFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForFunction(
    () => document.querySelector("portico-embed")?.shadowRoot?.querySelector("iframe"),
    undefined,
    { timeout: 20_000 },
  );
  const frame = await (await handle.asElement())?.contentFrame();
  if (!frame) throw new Error("no dashboard frame");
  return frame;
}

/** The generated sheet with its numbers right and its charts painted (bars drawn, a line with a path). */
async function expectDashboard(page: Page, name: string): Promise<void> {
  const frame = await dashboardFrame(page);
  await expect
    .poll(() => frame.locator(".kpi-value").allTextContents(), { timeout: 20_000 })
    .toEqual(["780", "30"]);
  await expect.poll(() => frame.locator("rect.mark").count(), { timeout: 10_000 }).toBe(3);
  await expect
    .poll(() => frame.locator("path.line").first().getAttribute("d"), { timeout: 10_000 })
    .toMatch(/^M[\d.]+,[\d.]+L/);
  await page.screenshot({ path: path.join(WORK, `dashboard-${name}.png`), fullPage: true });
}

describe("Portico installed from its npm tarballs", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    await mkdir(WORK, { recursive: true });
    tarballs = packPackages(path.join(WORK, "pack"));
    // Outside the repository: no workspace, no node_modules above it to fall back on.
    site = await mkdtemp(path.join(tmpdir(), "portico-site-"));
    await writeFile(
      path.join(site, "package.json"),
      JSON.stringify({ name: "my-site", private: true, type: "module" }),
    );
    install();
    await writeFile(path.join(site, "sales.csv"), SALES_CSV);
    host = await startHostPageServer(path.join(site, "web", "dist"));
    browser = await launchChromium();
  }, INSTALL_TIMEOUT_MS);

  afterAll(async () => {
    if (serve?.pid !== undefined && serve.exitCode === null) {
      // npx runs the bin in a child: the whole group it leads is stopped.
      process.kill(-serve.pid, "SIGTERM");
      await new Promise((resolve) => serve?.once("exit", resolve));
    }
    await browser?.close();
    await host?.close();
    if (site) await rm(site, { recursive: true, force: true });
  });

  it("every package passes publint", async () => {
    for (const pkg of PUBLISHED_PACKAGES) {
      const pkgDir = path.join(WORK, "pack", "stage", pkg);
      const { messages } = await publint({ pkgDir, strict: true, pack: "npm" });
      const manifest = JSON.parse(await readFile(path.join(pkgDir, "package.json"), "utf8"));
      expect(messages.map((m) => `${pkg}: ${formatMessage(m, manifest) ?? m.code}`)).toEqual([]);
    }
  });

  it("the server package carries the built frame and a bin that runs without the repository", () => {
    const server = path.join(site, "node_modules", "@portico", "server");
    // Every page the frame package builds (the embed, hub and login pages, and any page added to it later).
    const pages = readdirSync(path.join(ROOT, "packages", "frame")).filter((f) => f.endsWith(".html"));
    expect(pages).toContain("embed.html");
    for (const page of pages) expect(existsSync(path.join(server, "frame", page)), page).toBe(true);
    expect(existsSync(path.join(server, "src"))).toBe(false);
    expect(portico(["--help"])).toMatch(/^portico <command>/);
  });

  it("npx portico init --csv, then serve: the dashboard on another origin, bundled and with no build", async () => {
    const port = await freePort();
    porticoUrl = `http://127.0.0.1:${port}`;
    const init = portico(["init", "--csv", "sales.csv", "--origin", host.origin, "--port", String(port)]);
    snippet = {
      script: init.match(/^ {2}(<script type="module" src="[^"]+"><\/script>)$/m)?.[1] ?? "",
      element: init.match(/^ {2}(<portico-embed [^\n]+<\/portico-embed>)$/m)?.[1] ?? "",
    };
    const version = JSON.parse(
      await readFile(path.join(site, "node_modules", "@portico", "embed", "package.json"), "utf8"),
    ).version;
    expect(snippet.script).toBe(
      `<script type="module" src="${porticoUrl}/sdk/${version}/define.js"></script>`,
    );
    expect(snippet.element).toContain(`server="${porticoUrl}" proxy="anon" app="sales" sheet="overview"`);
    expect(portico(["check"])).toContain("OK");
    expect(portico(["doctor", "--proxy", "anon", "--app", "sales"])).toContain("Result: PASS");

    let log = "";
    serve = spawn("npx", ["--no-install", "portico", "serve"], {
      cwd: site,
      detached: true,
      env: { ...process.env, PORTICO_CONFIG: "" },
    });
    serve.stdout?.on("data", (chunk) => (log += chunk));
    serve.stderr?.on("data", (chunk) => (log += chunk));
    await waitUntilReady(porticoUrl, serve, () => log);

    // With a bundler: vite bundles the installed @portico/embed into the site's own assets.
    const web = path.join(site, "web");
    await mkdir(web, { recursive: true });
    await writeFile(path.join(web, "main.js"), 'import "@portico/embed/define";\n');
    await writeFile(
      path.join(web, "index.html"),
      `<!doctype html><html><head><meta charset="utf-8"><title>Bundled</title></head><body>
<script type="module" src="./main.js"></script>
${snippet.element}
</body></html>`,
    );
    run("npx", ["vite", "build", web, "--base", "/sdk/", "--logLevel", "warn"], ROOT);
    const bundled = host.page("/bundled.html", await readFile(path.join(web, "dist", "index.html"), "utf8"));
    // No build step: the snippet exactly as init printed it.
    const plain = host.page(
      "/plain.html",
      `<!doctype html><html><head><meta charset="utf-8"><title>Plain</title></head><body>
${snippet.script}
${snippet.element}
</body></html>`,
    );

    for (const [name, url] of [
      ["bundled", bundled],
      ["plain", plain],
    ] as const) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const sdkRequests: string[] = [];
      page.on("request", (r) => {
        if (r.url().includes("/sdk/")) sdkRequests.push(new URL(r.url()).origin);
      });
      try {
        await page.goto(url);
        await expectDashboard(page, name);
      } finally {
        await page.close();
      }
      // Where the SDK came from: the site's own bundle, or the Portico server.
      expect(new Set(sdkRequests), name).toEqual(new Set([name === "bundled" ? host.origin : porticoUrl]));
    }
  });
});
