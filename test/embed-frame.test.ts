// The SDK with the REAL frame (packages/frame, built on demand) and the real server, in real Chromium with
// two origins and third-party cookies blocked: what a web developer's visitors see.
import type { SessionUser } from "@portico/protocol";
import { NO_ACCESS_PASS_MESSAGE } from "@portico/protocol";
import type { Browser, BrowserContext, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { launchChromium } from "./support/browser.js";
import { ensureEmbedBundle, ensureFrameBuild } from "./support/build-bundles.js";
import { embedFrame, events, hostPageHtml, waitForEvent } from "./support/host-page.js";
import { type HostPageServer, startHostPageServer } from "./support/host-page-server.js";
import {
  E2E_FILES,
  E2E_SECRETS,
  e2eConfig,
  NO_PASSES_LICENSES,
  type PorticoTestServer,
  startPortico,
} from "./support/portico-server.js";

let browser: Browser;
let host: HostPageServer;
let stranger: HostPageServer;
let portico: PorticoTestServer;
let noPasses: PorticoTestServer;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  const [sdkDir, frameDir] = await Promise.all([ensureEmbedBundle(), ensureFrameBuild()]);
  host = await startHostPageServer(sdkDir);
  stranger = await startHostPageServer(sdkDir);
  portico = await startPortico({ yaml: await e2eConfig([host.origin]), frame: frameDir, files: E2E_FILES });
  noPasses = await startPortico({
    yaml: await e2eConfig([host.origin], { licenses: NO_PASSES_LICENSES }),
    frame: frameDir,
    files: E2E_FILES,
  });
  browser = await launchChromium({ blockThirdPartyCookies: true });
});

afterAll(async () => {
  await browser?.close();
  await portico?.close();
  await noPasses?.close();
  await host?.close();
  await stranger?.close();
});

beforeEach(async () => {
  await context?.close();
  context = await browser.newContext();
  page = await context.newPage();
});

function element(id: string, attributes: Record<string, string>, server = portico): string {
  const attrs = Object.entries(attributes)
    .map(([k, v]) => `${k}='${v}'`)
    .join(" ");
  return `<portico-embed id="${id}" server="${server.url}" ${attrs} style="height:600px"></portico-embed>`;
}

async function open(pathname: string, body: string, on = host): Promise<void> {
  await page.goto(on.page(pathname, hostPageHtml(body)));
}

const frameOf = (id: string): Promise<Frame> => embedFrame(page, id);

const kpi = (frame: Frame) => frame.locator(".kpi-value").first();
const lastSelections = async () =>
  (await events(page))
    .filter((e) => e.type === "portico-selections-changed")
    .map((e) => (e.detail as { selections: unknown }).selections)
    .at(-1);

describe("<portico-embed> with the real frame", () => {
  it("renders the sheet: text, the KPI from the app's data, the filter pane", async () => {
    await open("/sheet", element("a", { proxy: "anon", app: "spending", sheet: "overview" }));
    const ready = await waitForEvent(page, "portico-ready", "a");
    expect((ready.detail as { user: SessionUser }).user).toMatchObject({
      userDirectory: "NONE",
      anonymous: true,
    });
    const frame = await frameOf("a");
    await expect.poll(() => frame.getByText("City spending at a glance").count()).toBeGreaterThan(0);
    await expect.poll(async () => (await kpi(frame).textContent())?.trim()).toBe("750");
    await expect.poll(() => frame.getByRole("option").count()).toBe(3);
  });

  it("applies a host selection in the frame, and reports a selection made in the frame to the host", async () => {
    await open("/select", element("a", { proxy: "anon", app: "spending", sheet: "overview" }));
    await waitForEvent(page, "portico-ready", "a");
    const frame = await frameOf("a");
    await expect.poll(async () => (await kpi(frame).textContent())?.trim()).toBe("750");

    await page.evaluate(() =>
      document.getElementById("a")?.setAttribute("selections", '{"Region":["North"]}'),
    );
    await expect.poll(async () => (await kpi(frame).textContent())?.trim()).toBe("100");

    await frame.getByRole("option", { name: /South/ }).click();
    await expect.poll(lastSelections).toEqual({ Region: ["North", "South"] });
    await expect.poll(async () => (await kpi(frame).textContent())?.trim()).toBe("350");
  });

  it("shares one session between two embeds on the page", async () => {
    await open(
      "/two",
      element("a", { proxy: "anon", app: "spending", sheet: "overview" }) +
        element("b", { proxy: "anon", app: "spending", sheet: "details" }),
    );
    const [a, b] = await Promise.all([
      waitForEvent(page, "portico-ready", "a"),
      waitForEvent(page, "portico-ready", "b"),
    ]);
    const user = (a.detail as { user: SessionUser }).user;
    expect((b.detail as { user: SessionUser }).user).toEqual(user);
    const sessions = await portico.storage.listSessions({ proxy: "anon", activeAt: portico.now() });
    expect(sessions.filter((s) => s.userId === user.userId)).toHaveLength(1);
  });

  it("shows nothing to a page whose origin is not on the allow list, and tells it why", async () => {
    await open("/stranger", element("a", { proxy: "anon", app: "spending", sheet: "overview" }), stranger);
    const error = await waitForEvent(page, "portico-error", "a");
    expect(error.detail).toMatchObject({ code: "ORIGIN_NOT_ALLOWED" });
    expect(
      await page.evaluate(() => document.getElementById("a")?.shadowRoot?.querySelector("iframe")?.hidden),
    ).toBe(true);
  });

  it("recovers an expired session with the selections restored", async () => {
    await open(
      "/expiry",
      element("a", { proxy: "anon", app: "spending", sheet: "overview", selections: '{"Region":["East"]}' }),
    );
    const ready = await waitForEvent(page, "portico-ready", "a");
    const frame = await frameOf("a");
    await expect.poll(async () => (await kpi(frame).textContent())?.trim()).toBe("400");
    portico.advance(31 * 60_000);
    // The visitor's next action finds the session gone; the frame gets a fresh ticket through the SDK.
    await frame.getByRole("option", { name: /North/ }).click();
    await waitForEvent(page, "portico-session-expired", "a");
    await expect.poll(lastSelections).toEqual({ Region: ["East", "North"] });
    await expect.poll(async () => (await kpi(frame).textContent())?.trim()).toBe("500");
    const sessions = await portico.storage.listSessions({ proxy: "anon", activeAt: portico.now() });
    const previous = (ready.detail as { user: SessionUser }).user.userId;
    expect(sessions.some((s) => s.userId !== previous && s.origin === host.origin)).toBe(true);
  });

  it("switches an allow proxy's visitor to a logged-in user", async () => {
    await open("/login", element("a", { proxy: "partner", app: "spending", sheet: "overview" }));
    await waitForEvent(page, "portico-ready", "a");
    const response = await fetch(`${portico.url}/partner/api/v1/tickets`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer portal-backend:${E2E_SECRETS.clientSecret}`,
      },
      body: JSON.stringify({ userDirectory: "PORTAL", userId: "alice" }),
    });
    const { ticket } = (await response.json()) as { ticket: string };
    const user = await page.evaluate(
      (t) =>
        (
          document.getElementById("a") as unknown as {
            embedView: { authenticate(t: string): Promise<unknown> };
          }
        ).embedView.authenticate(t),
      ticket,
    );
    expect(user).toMatchObject({ userDirectory: "PORTAL", userId: "alice", anonymous: false });
    const frame = await frameOf("a");
    await expect.poll(async () => (await kpi(frame).textContent())?.trim()).toBe("750");
  });

  it("moves every embed of an allow proxy to the session of a login made inside one frame", async () => {
    await open(
      "/login-form",
      element("a", { proxy: "partner", app: "spending", sheet: "overview" }) +
        element("b", { proxy: "partner", app: "spending", sheet: "details" }),
    );
    const [readyA, readyB] = await Promise.all([
      waitForEvent(page, "portico-ready", "a"),
      waitForEvent(page, "portico-ready", "b"),
    ]);
    const anonymous = (readyA.detail as { user: SessionUser }).user;
    expect(anonymous.anonymous).toBe(true);
    expect((readyB.detail as { user: SessionUser }).user).toEqual(anonymous);
    // Earlier tests may have left alice sessions of their own: count only what this page creates.
    const aliceSessions = async () =>
      (await portico.storage.listSessions({ proxy: "partner", activeAt: portico.now() }))
        .filter((s) => s.endedAt === null && s.userId === "alice")
        .map((s) => s.id);
    const before = new Set(await aliceSessions());

    const [a, b] = [await frameOf("a"), await frameOf("b")];
    await expect.poll(() => b.getByText("Anonymous visitor").count()).toBe(1);
    await a.getByRole("button", { name: "Log in" }).click();
    await a.getByLabel("User name").fill("alice");
    await a.getByLabel("Password").fill(E2E_SECRETS.alicePassword);
    await a.getByRole("button", { name: "Log in" }).click();

    await expect.poll(() => a.getByText(/^Signed in as /).count()).toBe(1);
    const changed = await waitForEvent(page, "portico-session-changed", "a");
    expect((changed.detail as { user: SessionUser }).user).toMatchObject({
      userId: "alice",
      anonymous: false,
    });
    const signedIn = (await a.getByText(/^Signed in as /).textContent())?.trim();
    // Frame b never saw the form: it follows through the SDK with a join ticket from frame a.
    await expect.poll(async () => (await b.getByText(/^Signed in as /).textContent())?.trim()).toBe(signedIn);
    await expect.poll(async () => (await kpi(a).textContent())?.trim()).toBe("750");
    expect((await aliceSessions()).filter((id) => !before.has(id))).toHaveLength(1);
    // The anonymous session both frames shared was ended by the switch, not left running beside it.
    const stillAnonymous = (
      await portico.storage.listSessions({ proxy: "partner", activeAt: portico.now() })
    ).filter((s) => s.endedAt === null && s.userId === anonymous.userId);
    expect(stillAnonymous).toHaveLength(0);
  });

  it("follows the content's height with auto-resize", async () => {
    await page.goto(
      host.page(
        "/resize",
        hostPageHtml(
          `<portico-embed id="a" server="${portico.url}" proxy="anon" app="spending" sheet="overview" auto-resize></portico-embed>`,
        ),
      ),
    );
    await waitForEvent(page, "portico-ready", "a");
    const height = await page.waitForFunction(() => {
      const frame = document.getElementById("a")?.shadowRoot?.querySelector("iframe");
      return frame && /^\d+px$/.test(frame.style.height) ? frame.style.height : undefined;
    });
    const px = Number.parseInt((await height.jsonValue()) as string, 10);
    expect(px).toBeGreaterThan(100);
    const box = await page.evaluate(() => document.getElementById("a")?.getBoundingClientRect().height);
    expect(Math.round(box ?? 0)).toBeGreaterThanOrEqual(px);
  });

  it("delivers NO_ACCESS_PASS to the host and shows it in the frame", async () => {
    await open("/nopass", element("a", { proxy: "anon", app: "spending", sheet: "overview" }, noPasses));
    const error = await waitForEvent(page, "portico-error", "a");
    expect(error.detail).toMatchObject({ code: "NO_ACCESS_PASS", message: NO_ACCESS_PASS_MESSAGE });
    const frame = await frameOf("a");
    await expect.poll(() => frame.getByText("No access pass").count()).toBeGreaterThan(0);
  });
});
