// The frame asks once: on the demo's spending sheet (demo/portico.yaml as `npm start` serves it, on the real
// server), a selection costs one data request for every object and filter-pane field of the sheet, and a
// cold embed asks for no data after the session answer, which carries the app and the first view's results.
// The embedding site and the server are two origins (localhost and 127.0.0.1) in real Chromium.
import type { Browser, BrowserContext, Frame, Page, Request } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchChromium } from "./support/browser.js";
import { ensureEmbedBundle, ensureFrameBuild } from "./support/build-bundles.js";
import { startDemoPortico } from "./support/demo-portico.js";
import { embedFrame, hostPageHtml, waitForEvent } from "./support/host-page.js";
import { type HostPageServer, startHostPageServer } from "./support/host-page-server.js";
import type { PorticoTestServer } from "./support/portico-server.js";

let host: HostPageServer;
let portico: PorticoTestServer;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;

beforeAll(async () => {
  const [sdkDir, frameDir] = await Promise.all([ensureEmbedBundle(), ensureFrameBuild()]);
  host = await startHostPageServer(sdkDir);
  portico = await startDemoPortico(host.origin, frameDir);
  browser = await launchChromium({ blockThirdPartyCookies: true });
});

afterAll(async () => {
  await browser?.close();
  await portico?.close();
  await host?.close();
});

beforeEach(async () => {
  await context?.close();
  context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  page = await context.newPage();
});

/** Every request the page and its frames send to the Portico server's API, in order (`POST /sessions`...). */
function apiRequests(): string[] {
  const seen: string[] = [];
  page.on("request", (request: Request) => {
    const url = new URL(request.url());
    if (url.origin === portico.url && url.pathname.includes("/api/v1/"))
      seen.push(`${request.method()} ${url.pathname.replace(/^.*\/api\/v1/, "")}`);
  });
  return seen;
}

/** Requests for data: an app's query or batch of queries. */
const isDataRequest = (request: string) => /\/apps\/[^/]+\/quer(y|ies)$/.test(request);

/** The demo's spending sheet in `<portico-embed>` on the embedding site; resolves once it has painted. */
async function openSpendingSheet(): Promise<Frame> {
  const body = `<portico-embed id="a" server="${portico.url}" proxy="anon" app="spending" sheet="overview" style="height:900px"></portico-embed>`;
  await page.goto(host.page("/spending", hostPageHtml(body)));
  await waitForEvent(page, "portico-ready", "a");
  const frame = await embedFrame(page, "a");
  await expect
    .poll(() => frame.locator("portico-object[data-object=by-department] rect.mark").count())
    .toBeGreaterThan(0);
  await expect.poll(() => frame.getByRole("option", { name: /2023/ }).count()).toBe(1);
  return frame;
}

const kpi = (frame: Frame) => frame.locator("portico-object[data-object=total] .kpi-value");

describe("the frame asks once", () => {
  it("a cold embed sends no data request after the session answer", async () => {
    const requests = apiRequests();
    const frame = await openSpendingSheet();
    await expect.poll(async () => (await kpi(frame).textContent())?.trim()).toMatch(/^\$/);
    // Long enough for any late query of the first view to have gone out.
    await page.waitForTimeout(500);
    const session = requests.indexOf("POST /sessions");
    expect(session).toBeGreaterThanOrEqual(0);
    expect(requests.slice(session + 1).filter((r) => r.includes("/apps/"))).toEqual([]);
    expect(requests.filter(isDataRequest)).toEqual([]);
  });

  it("clicking a year sends exactly one data request, for every object of the sheet", async () => {
    const frame = await openSpendingSheet();
    const before = await kpi(frame).textContent();
    const requests = apiRequests();
    const bodies: unknown[] = [];
    page.on("request", (request) => {
      if (isDataRequest(new URL(request.url()).pathname)) bodies.push(request.postDataJSON());
    });
    await frame.getByRole("option", { name: /2023/ }).click();
    await expect.poll(() => kpi(frame).textContent()).not.toBe(before);
    await expect
      .poll(() => frame.getByRole("option", { name: /2023/ }).getAttribute("data-state"))
      .toBe("selected");
    await page.waitForTimeout(500);
    expect(requests.filter(isDataRequest)).toEqual(["POST /apps/spending/queries"]);
    // KPI, bar chart, line chart and the filter pane's two fields.
    expect(bodies).toEqual([
      expect.objectContaining({ selections: { Year: [2023] }, requests: expect.any(Array) }),
    ]);
    expect((bodies[0] as { requests: unknown[] }).requests).toHaveLength(5);
  });
});
