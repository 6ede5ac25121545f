// Login CSRF in a real browser: a page on another site auto-submits a `text/plain` form (the one body a
// cross-site form can shape as JSON) to the login endpoint. The victim's browser must not end up logged in
// to the attacker's account; Portico's own login still works from its own origin.
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/browser.js";
import { ensureEmbedBundle, ensureTestFrame } from "./support/build-bundles.js";
import { type HostPageServer, startHostPageServer } from "./support/host-page-server.js";
import {
  E2E_FILES,
  E2E_SECRETS,
  e2eConfig,
  type PorticoTestServer,
  startPortico,
} from "./support/portico-server.js";
import { testFrameFiles } from "./support/test-frame/test-frame-files.js";

let attacker: HostPageServer;
let portico: PorticoTestServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  const [sdkDir, frameDir] = await Promise.all([ensureEmbedBundle(), ensureTestFrame()]);
  // The attacker's site (http://localhost:<port>) is not on any allow list of the server on 127.0.0.1.
  attacker = await startHostPageServer(sdkDir);
  portico = await startPortico({
    yaml: await e2eConfig(["https://portal.example"]),
    frame: testFrameFiles(frameDir),
    files: E2E_FILES,
  });
  browser = await launchChromium({ blockThirdPartyCookies: false });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await portico?.close();
  await attacker?.close();
});

/** The JSON the form's `name=value` pair spells: `{"userId":"alice","password":"…","origin":"="}`. */
function csrfForm(action: string): string {
  const name = `{"userId":"alice","password":"${E2E_SECRETS.alicePassword}","origin":"`;
  return `<!doctype html>
<form id="f" method="post" enctype="text/plain" action="${action}">
  <input type="hidden" name='${name}' value='"}'>
</form>
<script>document.getElementById("f").submit();</script>`;
}

async function sessionCookies(): Promise<string[]> {
  // The session cookie's path is the proxy's (`/partner`): only URLs under it list it.
  return (await context.cookies(`${portico.url}/partner/api/v1/sessions/current`))
    .map((cookie) => cookie.name)
    .filter((name) => name.startsWith("X-Portico-Session"));
}

describe("login CSRF", () => {
  it("an auto-submitted cross-site text/plain form does not log the victim in", async () => {
    context = await browser.newContext();
    const page = await context.newPage();
    const action = `${portico.url}/partner/api/v1/sessions/login`;
    const landed = page.waitForURL(action);
    const answer = page.waitForResponse(action);
    await page.goto(attacker.page("/csrf", csrfForm(action)));
    await landed;
    const response = await answer;
    expect(response.status()).toBe(403);
    expect(await sessionCookies()).toEqual([]);
    const current = await page.goto(`${portico.url}/partner/api/v1/sessions/current`);
    expect(current?.status()).toBe(401);
  });

  it("Portico's own page still logs in with JSON from its own origin", async () => {
    const page = await context.newPage();
    await page.goto(`${portico.url}/healthz`);
    const status = await page.evaluate(
      async ([password]) =>
        (
          await fetch("/partner/api/v1/sessions/login", {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ userId: "alice", password }),
          })
        ).status,
      [E2E_SECRETS.alicePassword],
    );
    expect(status).toBe(201);
    expect(await sessionCookies()).toEqual(["X-Portico-Session-partner"]);
    const current = await page.goto(`${portico.url}/partner/api/v1/sessions/current`);
    expect(current?.status()).toBe(200);
  });
});
