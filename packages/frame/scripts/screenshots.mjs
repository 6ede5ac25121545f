// Screenshots of the frame for people to look at: a sheet in light and dark, at desktop width and 400 px,
// the hub page and an error screen. Builds the frame, serves it with the test contract server (real engine
// data), and writes PNGs to .tmp/screenshots/ at the repository root.
//   node --conditions=source --import tsx packages/frame/scripts/screenshots.mjs
import { mkdir, rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { buildFrameForTests } from "../src/testing/build-for-tests.ts";
import { startContractServer } from "../src/testing/contract-server.ts";
import { launchChromium } from "../src/testing/launch-chromium.ts";

const out = fileURLToPath(new URL("../../../.tmp/screenshots/", import.meta.url));
await mkdir(out, { recursive: true });
const dist = await buildFrameForTests();
const server = await startContractServer(dist);
server.proxies.set("anon", { anonymousAccess: "always", hostAllowList: [server.hostOrigin] });
const browser = await launchChromium();

const sheet = (theme) =>
  `${server.origin}/anon/embed?app=spending&sheet=overview&opt=currsel,ctxmenu&theme=${theme}&selections=${encodeURIComponent(
    JSON.stringify({ Year: [2024] }),
  )}`;
const shots = [
  { name: "sheet-light-desktop", url: sheet("light"), width: 1280 },
  { name: "sheet-dark-desktop", url: sheet("dark"), width: 1280 },
  { name: "sheet-light-400", url: sheet("light"), width: 400 },
  { name: "sheet-dark-400", url: sheet("dark"), width: 400 },
  { name: "hub", url: `${server.origin}/anon/hub?theme=light`, width: 1280, openApp: true },
  { name: "error-no-access-pass", url: sheet("light"), width: 800, denyLicense: true },
];
try {
  for (const shot of shots) {
    server.knobs.denyLicense = Boolean(shot.denyLicense);
    const page = await browser.newPage({ viewport: { width: shot.width, height: 900 }, locale: "en-US" });
    await page.goto(shot.url);
    if (shot.openApp) {
      await page.locator("portico-hub button.toggle").click();
      await page.locator("portico-hub a.sheet").first().waitFor();
    } else if (shot.denyLicense) {
      await page.locator("portico-error-screen .card").waitFor();
    } else {
      await page.locator("portico-object[data-object=trend] path.line").waitFor();
    }
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${out}${shot.name}.png`, fullPage: true });
    await page.close();
    console.log(`${out}${shot.name}.png`);
  }
} finally {
  await browser.close();
  await server.close();
  await rm(dist, { recursive: true, force: true });
}
