// Proves that the browser the embed tests use really blocks third-party cookies (so "works with
// third-party cookies blocked" means something), and that an embed still comes up there: Portico sessions
// travel as a Bearer token, never as a cookie. The control is a partitioned (CHIPS) cookie set by the same
// response: the probe sees it, so the probe can see cookies at all; the unpartitioned one never arrives.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/browser.js";
import { ensureEmbedBundle, ensureTestFrame } from "./support/build-bundles.js";
import { hostPageHtml, waitForEvent } from "./support/host-page.js";
import { type HostPageServer, startHostPageServer } from "./support/host-page-server.js";
import { E2E_FILES, e2eConfig, type PorticoTestServer, startPortico } from "./support/portico-server.js";
import { testFrameFiles } from "./support/test-frame/test-frame-files.js";

let probe: Server;
let probeOrigin: string;
let host: HostPageServer;
let portico: PorticoTestServer;
const browsers: Browser[] = [];

/** A cookie-setting page and an echo, on 127.0.0.1 (another site than the localhost host page). */
function startProbe(): Promise<void> {
  probe = createServer((req, res) => {
    if (req.url === "/set") {
      res.writeHead(200, {
        "content-type": "text/html",
        "set-cookie": [
          "probe=1; SameSite=None; Secure; Path=/",
          "control=1; SameSite=None; Secure; Path=/; Partitioned",
        ],
      });
      res.end(`<!doctype html><pre id="seen">pending</pre><script>
        fetch("/echo", { credentials: "include" }).then((r) => r.text()).then((t) => { document.getElementById("seen").textContent = t; });
      </script>`);
      return;
    }
    if (req.url === "/echo") {
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(req.headers.cookie ?? "");
      return;
    }
    res.writeHead(404);
    res.end();
  });
  return new Promise((resolve) =>
    probe.listen(0, "127.0.0.1", () => {
      probeOrigin = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
      resolve();
    }),
  );
}

beforeAll(async () => {
  const [sdkDir, frameDir] = await Promise.all([ensureEmbedBundle(), ensureTestFrame()]);
  await startProbe();
  host = await startHostPageServer(sdkDir);
  portico = await startPortico({
    yaml: await e2eConfig([host.origin]),
    frame: testFrameFiles(frameDir),
    files: E2E_FILES,
  });
});

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await portico?.close();
  await host?.close();
  await new Promise<void>((resolve) => (probe ? probe.close(() => resolve()) : resolve()));
});

async function cookiesSeenInThirdPartyFrame(): Promise<string> {
  const browser = await launchChromium({ blockThirdPartyCookies: true });
  browsers.push(browser);
  const page = await browser.newPage();
  await page.goto(host.page("/probe", `<!doctype html><iframe src="${probeOrigin}/set"></iframe>`));
  const frame = page.frames().find((f) => f.url().startsWith(probeOrigin));
  if (!frame) throw new Error("probe frame missing");
  await frame.waitForFunction(() => document.getElementById("seen")?.textContent !== "pending");
  return (await frame.locator("#seen").textContent()) ?? "";
}

describe("third-party cookies", () => {
  it("are blocked by the browser the embed tests run in (a partitioned control cookie still arrives)", async () => {
    const seen = await cookiesSeenInThirdPartyFrame();
    expect(seen).toContain("control=1");
    expect(seen).not.toContain("probe=1");
  });

  it("are not needed: an embed comes up with them blocked", async () => {
    const browser = await launchChromium({ blockThirdPartyCookies: true });
    browsers.push(browser);
    const page = await browser.newPage();
    await page.goto(
      host.page(
        "/cookieless",
        hostPageHtml(
          `<portico-embed id="a" server="${portico.url}" proxy="anon" app="spending" sheet="overview"></portico-embed>`,
        ),
      ),
    );
    const ready = await waitForEvent(page, "portico-ready", "a");
    expect(ready.detail).toMatchObject({ user: { userDirectory: "NONE", anonymous: true } });
  });
});
