// Screenshots of every demo page: starts what `npm start` starts (scripts/start.mjs on free ports, a
// throwaway data directory), visits each page in the system Chromium and writes .tmp/screenshots/demo-*.png.
//
//   node demo/scripts/screenshots.mjs        (CHROME_PATH overrides /usr/bin/chromium)
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OUT = path.join(ROOT, ".tmp", "screenshots");
/** Charts settle (resize observers, fonts) in well under this after the last response. */
const SETTLE_MS = 1_500;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const [port, demoPort] = await Promise.all([freePort(), freePort()]);
const dataDir = mkdtempSync(path.join(tmpdir(), "portico-demo-shots-"));
const child = spawn("node", ["scripts/start.mjs"], {
  cwd: ROOT,
  env: {
    ...process.env,
    PORT: String(port),
    DEMO_PORT: String(demoPort),
    PORTICO_DATA_DIR: dataDir,
    PORTICO_BUILD: process.env.PORTICO_BUILD ?? "missing",
  },
  stdio: ["ignore", "pipe", "inherit"],
});
let output = "";
child.stdout.on("data", (chunk) => {
  output += String(chunk);
});
const started = Date.now();
while (!output.includes("Ctrl-C stops both")) {
  if (child.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
  if (Date.now() - started > 240_000) throw new Error(`npm start did not come up:\n${output}`);
  await new Promise((resolve) => setTimeout(resolve, 200));
}

const demo = `http://localhost:${demoPort}`;
mkdirSync(OUT, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--headless", "--disable-gpu"],
});

/**
 * Chromium does not render cross-origin frames outside the viewport, and a full-page capture resizes the
 * viewport under them: scroll everything into view once, then grow the viewport to the page and shoot.
 */
async function shoot(page, name) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  for (let y = 0; y < height; y += 600) {
    await page.evaluate((top) => window.scrollTo(0, top), y);
    await page.waitForTimeout(250);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
  const width = page.viewportSize().width;
  await page.setViewportSize({
    width,
    height: await page.evaluate(() => document.documentElement.scrollHeight),
  });
  await page.waitForTimeout(SETTLE_MS);
  const file = path.join(OUT, `demo-${name}.png`);
  await page.screenshot({ path: file });
  console.log(`wrote ${path.relative(ROOT, file)}`);
}

async function open(url, width = 1280) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(url);
  await page.waitForTimeout(3_000);
  return page;
}

try {
  let page = await open(`${demo}/`);
  await shoot(page, "home");
  await page.getByRole("button", { name: "2024" }).click();
  await shoot(page, "home-2024");
  await page.close();

  page = await open(`${demo}/`, 400);
  await shoot(page, "home-narrow");
  await page.close();

  for (const name of ["chart", "hub"]) {
    page = await open(`${demo}/${name}.html`);
    await shoot(page, name);
    await page.close();
  }

  page = await open(`${demo}/partner.html`);
  await shoot(page, "partner-anonymous");
  await page.getByRole("button", { name: /Log in as Alice/ }).click();
  await page.locator("#partner-reports").waitFor();
  await page.waitForTimeout(2_000);
  await shoot(page, "partner-alice");
  await page.close();

  page = await open(`${demo}/admin.html`);
  await page.locator("#log tbody tr").first().waitFor();
  await shoot(page, "admin");
  await page.close();
} finally {
  await browser.close();
  child.kill("SIGINT");
  await new Promise((resolve) => child.once("exit", resolve));
  rmSync(dataDir, { recursive: true, force: true });
}
