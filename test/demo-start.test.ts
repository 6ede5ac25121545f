// `npm start` end to end: spawns exactly what `npm start` runs (scripts/start.mjs: the Portico server with
// demo/portico.yaml on SQLite, and the demo portal on its own origin) on free ports, then drives the demo
// pages in real Chromium, reads the visit log from the admin API, and stops everything with SIGINT.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { VisitRecord } from "@portico/protocol";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { launchChromium } from "./support/browser.js";
import { ensureEmbedBundle, ensureFrameBuild, ROOT } from "./support/build-bundles.js";
import { embedFrame } from "./support/host-page.js";
import { startHostPageServer } from "./support/host-page-server.js";

const ADMIN_KEY = "ops:demo-admin-key";
const START_TIMEOUT_MS = 240_000;
const UUID_V4 = /^anonymous[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let child: ChildProcess;
let output = "";
let porticoUrl: string;
let demoUrl: string;
let dataDir: string;
/** The configuration npm start runs from: a copy of demo/portico.yaml the tests may edit (step 2 of getting started). */
let demoConfig: string;
let browser: Browser;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function newest(dir: string): number {
  if (!existsSync(dir)) return 0;
  const info = statSync(dir);
  if (!info.isDirectory()) return info.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(dir)) max = Math.max(max, newest(path.join(dir, entry)));
  return max;
}

/** The demo is built here when its sources changed; start.mjs then only builds what is missing. */
function ensureDemoBuild(): void {
  const built = path.join(ROOT, "demo/dist/index.html");
  const sources = [
    "demo/src",
    "demo/public",
    "demo/index.html",
    "demo/chart.html",
    "demo/hub.html",
    "demo/partner.html",
  ];
  const stale =
    !existsSync(built) ||
    [...sources, "demo/admin.html", "packages/embed/src"].some(
      (s) => newest(path.join(ROOT, s)) > statSync(built).mtimeMs,
    );
  if (!stale) return;
  const result = spawnSync("npx", ["vite", "build", "--config", "demo/vite.config.ts"], {
    cwd: ROOT,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`demo build failed:\n${result.stdout}\n${result.stderr}`);
}

beforeAll(async () => {
  // The frame is shared with the other end-to-end tests (built once, under their lock); `missing` keeps
  // start.mjs from rebuilding it under their feet.
  await ensureFrameBuild();
  ensureDemoBuild();
  const [port, demoPort] = await Promise.all([freePort(), freePort()]);
  dataDir = mkdtempSync(path.join(tmpdir(), "portico-demo-"));
  demoConfig = path.join(dataDir, "portico.yaml");
  copyFileSync(path.join(ROOT, "demo/portico.yaml"), demoConfig);
  child = spawn("node", ["scripts/start.mjs"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DEMO_PORT: String(demoPort),
      PORTICO_DATA_DIR: dataDir,
      PORTICO_BUILD: "missing",
      PORTICO_DEMO_CONFIG: demoConfig,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  porticoUrl = `http://127.0.0.1:${port}`;
  demoUrl = `http://localhost:${demoPort}`;
  const started = Date.now();
  while (!output.includes("Ctrl-C stops both")) {
    if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output}`);
    if (Date.now() - started > START_TIMEOUT_MS) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  browser = await launchChromium();
}, START_TIMEOUT_MS + 30_000);

afterAll(async () => {
  await browser?.close();
  if (child && child.exitCode === null) {
    child.kill("SIGINT");
    await new Promise((resolve) => child.once("exit", resolve));
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const pressedYears = (page: Page) =>
  page.$$eval("#years button[aria-pressed=true]", (buttons) =>
    buttons.map((b) => (b as HTMLButtonElement).dataset.year),
  );

const frameSelections = (page: Page) =>
  page.evaluate(() =>
    (
      document.getElementById("spending") as unknown as {
        embedView: { getSelections(): Promise<Record<string, unknown[]>> };
      }
    ).embedView.getSelections(),
  );

describe("npm start", { timeout: 60_000 }, () => {
  it("prints both URLs", () => {
    expect(output).toContain(porticoUrl);
    expect(output).toContain(`${demoUrl}/`);
  });

  it("home: two sheets from the other origin render charts; year buttons and frame selections stay in step", async () => {
    const page = await browser.newPage();
    await page.goto(`${demoUrl}/`);
    await expect.poll(() => page.getByText("synthetic").count()).toBeGreaterThan(0);
    const spending = await embedFrame(page, "spending");
    const transport = await embedFrame(page, "transport");
    expect(new URL(spending.url()).origin).toBe(porticoUrl);
    expect(new URL(transport.url()).origin).toBe(porticoUrl);
    // Rendered charts: SVG marks drawn from the app's data, in both frames.
    await expect
      .poll(() => spending.locator("svg rect, svg path").count(), { timeout: 20_000 })
      .toBeGreaterThan(5);
    // Chromium pauses rendering in cross-origin frames outside the viewport: scroll the second sheet in.
    await page.locator("#transport").scrollIntoViewIfNeeded();
    await expect
      .poll(() => transport.locator("svg rect, svg path").count(), { timeout: 20_000 })
      .toBeGreaterThan(3);
    await page.locator("#spending").scrollIntoViewIfNeeded();
    const kpi = spending.locator(".kpi-value").first();
    await expect.poll(async () => (await kpi.textContent())?.trim() ?? "").not.toBe("");
    const allYears = (await kpi.textContent())?.trim();
    expect(await pressedYears(page)).toEqual([""]);

    // Host page -> frame.
    await page.getByRole("button", { name: "2023" }).click();
    await expect.poll(() => frameSelections(page)).toEqual({ Year: [2023] });
    await expect.poll(async () => (await kpi.textContent())?.trim()).not.toBe(allYears);
    expect(await pressedYears(page)).toEqual(["2023"]);

    // Frame -> host page: a click in the frame's filter pane.
    await spending.getByRole("option", { name: /2021/ }).click();
    await expect.poll(() => pressedYears(page)).toEqual(["2021", "2023"]);

    await page.getByRole("button", { name: "All years" }).click();
    await expect.poll(() => frameSelections(page)).toEqual({});
    await page.close();
  });

  it("one chart and the hub render from the server", async () => {
    const page = await browser.newPage();
    await page.goto(`${demoUrl}/chart.html`);
    const chart = await embedFrame(page, "chart");
    await expect.poll(() => chart.locator("svg rect").count(), { timeout: 20_000 }).toBeGreaterThan(3);
    await page.goto(`${demoUrl}/hub.html`);
    const hub = await embedFrame(page, "hub");
    await expect.poll(() => hub.getByText("City spending").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => hub.getByText("Public transport").count()).toBeGreaterThan(0);
    // Partner reports are for logged-in partners only.
    expect(await hub.getByText("Air quality").count()).toBe(0);
    await page.close();
  });

  it("partner page: an anonymous visitor switches to the demo account", async () => {
    const page = await browser.newPage();
    await page.goto(`${demoUrl}/partner.html`);
    const identity = page.locator("#identity");
    await expect.poll(() => identity.textContent(), { timeout: 20_000 }).toBe("Anonymous visitor");
    expect(await identity.getAttribute("data-user-directory")).toBe("NONE");
    await page.getByRole("button", { name: /Log in as Alice/ }).click();
    await expect.poll(() => identity.textContent()).toContain("PORTAL\\alice");
    // The partners-only app opens in the same (now identified) session.
    const reports = await embedFrame(page, "partner-reports");
    await expect.poll(() => reports.getByText("By station").count(), { timeout: 20_000 }).toBeGreaterThan(0);
    // The ticket client secret never reached the page.
    const html = await page.content();
    expect(html).not.toContain("demo-portal-secret");
    await page.close();
  });

  it("records the anonymous visit with 127.0.0.1 and a NONE\\anonymous<uuid> identity in the admin API", async () => {
    let starts: VisitRecord[] = [];
    await expect
      .poll(
        async () => {
          const response = await fetch(`${porticoUrl}/admin/api/v1/visits?proxy=anon&type=sessionStart`, {
            headers: { authorization: `Bearer ${ADMIN_KEY}` },
          });
          starts = ((await response.json()) as { visits: VisitRecord[] }).visits;
          return starts.length;
        },
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0);
    const visit = starts.find((v) => v.origin === demoUrl);
    expect(visit).toMatchObject({ ip: "127.0.0.1", userDirectory: "NONE", anonymous: true });
    expect(visit?.userId).toMatch(UUID_V4);

    // The administration page shows the same log through the demo backend, under the built-in Visitor
    // analytics app embedded for the demo administrator.
    const page = await browser.newPage();
    await page.goto(`${demoUrl}/admin.html`);
    await expect
      .poll(() => page.locator("#admin-identity").textContent(), { timeout: 20_000 })
      .toContain("PORTAL\\admin");
    const analytics = await embedFrame(page, "analytics");
    await expect
      .poll(() => analytics.getByText("Unique visitors").count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
    await expect
      .poll(() => page.locator("#log tbody td.identity", { hasText: `NONE\\${visit?.userId}` }).count())
      .toBeGreaterThan(0);
    await page.close();
  });

  it("the README's embed example works as written, from another allowed origin", async () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const sample = /```html\n([\s\S]*?)```/.exec(readme)?.[1];
    if (!sample) throw new Error("README.md has no html example");
    // The page's origin goes on the anon proxy's allow list through the admin API (applied live).
    const host = await startHostPageServer(await ensureEmbedBundle());
    try {
      const admin = { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json" };
      const section = (await (
        await fetch(`${porticoUrl}/admin/api/v1/config/virtualProxies`, { headers: admin })
      ).json()) as { virtualProxies: Array<{ prefix: string; hostAllowList: string[] }> };
      for (const proxy of section.virtualProxies)
        if (proxy.prefix === "anon") proxy.hostAllowList.push(host.origin);
      const put = await fetch(`${porticoUrl}/admin/api/v1/config/virtualProxies`, {
        method: "PUT",
        headers: admin,
        body: JSON.stringify(section),
      });
      expect(put.status).toBe(200);
      const html = sample
        .replace("/vendor/portico/define.js", "/sdk/define.js")
        .replaceAll("http://127.0.0.1:4000", porticoUrl);
      const page = await browser.newPage();
      await page.goto(host.page("/readme", html));
      const frame = await embedFrame(page, "budget");
      await expect.poll(() => frame.locator("svg rect").count(), { timeout: 20_000 }).toBeGreaterThan(3);
      await page.waitForFunction(
        () =>
          (document.getElementById("budget") as unknown as { embedView?: { user?: unknown } }).embedView
            ?.user,
      );
      // A click event, not a pointer at coordinates: the auto-resized element above may still move the button.
      await page.getByRole("button", { name: "2024 only" }).dispatchEvent("click");
      await expect
        .poll(() =>
          page.evaluate(() =>
            (
              document.getElementById("budget") as unknown as {
                embedView: { getSelections(): Promise<Record<string, unknown[]>> };
              }
            ).embedView.getSelections(),
          ),
        )
        .toEqual({ Year: [2024] });
      await page.close();
    } finally {
      await host.close();
    }
  });

  it("custom ports: an origin added to the demo's configuration is allowed, without a restart", async () => {
    // Getting started, step 2, on ports of one's own: the server runs a derived copy, which follows the edit.
    const host = await startHostPageServer(await ensureEmbedBundle());
    try {
      const doc = parseDocument(readFileSync(demoConfig, "utf8"));
      for (const proxy of (doc.get("virtualProxies") as { items: { get(k: string): unknown }[] }).items)
        if (proxy.get("prefix") === "anon")
          (proxy.get("hostAllowList") as { add(v: string): void }).add(host.origin);
      writeFileSync(demoConfig, String(doc));
      const admin = { authorization: `Bearer ${ADMIN_KEY}` };
      const allowList = async () => {
        const section = (await (
          await fetch(`${porticoUrl}/admin/api/v1/config/virtualProxies`, { headers: admin })
        ).json()) as { virtualProxies: Array<{ prefix: string; hostAllowList: string[] }> };
        return section.virtualProxies.find((p) => p.prefix === "anon")?.hostAllowList ?? [];
      };
      await expect.poll(allowList, { timeout: 15_000 }).toContain(host.origin);
      // The port of this run stays in place of the default one.
      expect(await allowList()).toContain(demoUrl);

      const page = await browser.newPage();
      await page.goto(
        host.page(
          "/custom-ports",
          `<script type="module" src="/sdk/define.js"></script>
<portico-embed id="spending" server="${porticoUrl}" proxy="anon" app="spending" sheet="overview" style="height:500px"></portico-embed>`,
        ),
      );
      const frame = await embedFrame(page, "spending");
      await expect.poll(() => frame.locator("svg rect").count(), { timeout: 20_000 }).toBeGreaterThan(3);
      await page.close();
    } finally {
      await host.close();
    }
  });

  it("stops both servers cleanly on Ctrl-C", async () => {
    // Closing the browser first ends its keep-alive connections, so the server needs no grace period.
    await browser.close();
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(0);
    await expect(fetch(`${porticoUrl}/healthz`)).rejects.toThrow();
    await expect(fetch(`${demoUrl}/`)).rejects.toThrow();
  });
});
