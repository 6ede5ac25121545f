import { readdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { type FrameEvent, PROTOCOL_VERSION } from "@portico/protocol";
import type { Browser, BrowserContext, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { buildFrameForTests } from "./testing/build-for-tests.js";
import { type ContractServer, startContractServer } from "./testing/contract-server.js";
import { launchChromium } from "./testing/launch-chromium.js";

// The embed page end to end in real Chromium: a host page on one origin (localhost) frames the built
// frame on another (127.0.0.1), both speaking penpal; the server side answers with the real engine.

let dist: string;
let server: ContractServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  dist = await buildFrameForTests();
  server = await startContractServer(dist);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dist) await rm(dist, { recursive: true, force: true });
});

beforeEach(async () => {
  server.proxies.clear();
  server.proxies.set("anon", { anonymousAccess: "always", hostAllowList: [server.hostOrigin] });
  server.proxies.set("", { anonymousAccess: "none", hostAllowList: [] });
  Object.assign(server.knobs, {
    denyLicense: false,
    down: false,
    inactivityTimeoutMs: 30 * 60_000,
    sessionDelayMs: 0,
  });
  server.requests.length = 0;
  server.beacons.length = 0;
  await context?.close();
  context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
});

type HostOptions = { embed?: string; proxy?: string; ticket?: string; hostOrigin?: string };

async function openHost(options: HostOptions = {}): Promise<{ page: Page; frame: () => Frame }> {
  const page = await context.newPage();
  const query = new URLSearchParams({
    server: server.origin,
    proxy: options.proxy ?? "anon",
    embed: options.embed ?? "app=spending&sheet=overview&opt=currsel",
    ...(options.ticket ? { ticket: options.ticket } : {}),
  });
  await page.goto(`${options.hostOrigin ?? server.hostOrigin}/test-harness/host.html?${query}`);
  const frame = () => {
    const found = page.frames().find((f) => f.url().startsWith(server.origin));
    if (!found) throw new Error("the frame is not there");
    return found;
  };
  return { page, frame };
}

function events(page: Page): Promise<FrameEvent[]> {
  return page.evaluate(() => window.hostTest.events);
}

async function waitForEvent(page: Page, type: FrameEvent["type"], count = 1): Promise<FrameEvent[]> {
  await page.waitForFunction(
    ([t, n]) => window.hostTest.events.filter((e) => e.type === t).length >= (n as number),
    [type, count] as const,
    { timeout: 15_000 },
  );
  return (await events(page)).filter((e) => e.type === type);
}

/** Calls a frame method from the host page; resolves to `{ok, value}` or `{ok: false, error}`. */
function call(page: Page, method: string, ...args: unknown[]) {
  return page.evaluate(
    async ([m, a]) => {
      const frame = (await window.hostTest.frame) as unknown as Record<
        string,
        (...x: unknown[]) => Promise<unknown>
      >;
      try {
        return { ok: true, value: await frame[m as string]?.(...(a as unknown[])) };
      } catch (error) {
        return { ok: false, error };
      }
    },
    [method, args] as const,
  );
}

describe("the build", () => {
  it("is lit's production build, also when a test builds it (vitest sets NODE_ENV=test)", async () => {
    expect(process.env.NODE_ENV).toBe("test");
    const scripts = (await readdir(join(dist, "assets"))).filter((file) => file.endsWith(".js"));
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts)
      expect(await readFile(join(dist, "assets", file), "utf8"), file).not.toContain("Lit is in dev mode");
  });

  it("gives each page its own files: the embed page loads its entry, the UI and one stylesheet", async () => {
    const assetsOf = async (page: string) =>
      [...(await readFile(join(dist, page), "utf8")).matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map(
        (m) => m[1],
      );
    const embed = await assetsOf("embed.html");
    expect(embed).toHaveLength(3);
    expect(embed.filter((file) => file?.startsWith("define-"))).toHaveLength(1);
    for (const page of ["hub.html", "login.html"])
      expect((await assetsOf(page)).filter((file) => !embed.includes(file))).toHaveLength(2);
  });

  it("asks V8 to compile the UI chunk eagerly, and only the UI chunk (entries start at once)", async () => {
    const scripts = (await readdir(join(dist, "assets"))).filter((file) => file.endsWith(".js"));
    const hinted = [];
    for (const file of scripts)
      if ((await readFile(join(dist, "assets", file), "utf8")).startsWith("//# allFunctionsCalledOnLoad\n"))
        hinted.push(file);
    expect(hinted).toHaveLength(1);
    expect(hinted[0]).toMatch(/^define-/);
  });
});

describe("embedding through the RPC", () => {
  it("renders the sheet after the handshake, the ticket and the session, and says so", async () => {
    const { page, frame } = await openHost();
    const [ready] = await waitForEvent(page, "ready");
    expect(ready).toMatchObject({
      type: "ready",
      protocolVersion: PROTOCOL_VERSION,
      view: "sheet",
      app: "spending",
      sheet: "overview",
    });
    expect(ready?.type === "ready" && ready.user.anonymous).toBe(true);
    await waitForEvent(page, "rendered");
    expect(await page.evaluate(() => window.hostTest.ticketReasons)).toEqual(["initial"]);
    expect(await page.evaluate(() => window.hostTest.rejected)).toEqual([]);
    // Every object of the sheet is on screen, the bar chart with one bar per department.
    const bars = frame().locator("portico-object[data-object=by-department] rect.mark");
    await expect.poll(() => bars.count()).toBe(6);
    expect(await frame().locator("portico-object").count()).toBe(7);
    // The session token travels as a Bearer header, never in the URL.
    expect(server.requests.filter((r) => r.includes("sessions"))).toEqual(["POST /anon/api/v1/sessions"]);
    await expect
      .poll(() => server.beacons)
      .toContainEqual({ type: "sheetView", app: "spending", sheet: "overview" });
  });

  it("shows the loading view while a slow server answers, then the sheet", async () => {
    // The UI goes on the page when the view is ready, or after UI_WAIT_MS when it is not by then.
    // Long enough that the loading view is found well before the answer even on a slow machine.
    server.knobs.sessionDelayMs = 3000;
    const { page, frame } = await openHost();
    await expect.poll(() => frame().locator(".loading[aria-busy=true]").count(), { timeout: 2500 }).toBe(1);
    // The host hears the loading view's height already (it sizes the iframe from it).
    await expect
      .poll(async () => (await events(page)).map((e) => e.type), { timeout: 2000 })
      .toContain("resize");
    expect((await events(page)).map((e) => e.type)).not.toContain("ready");
    await waitForEvent(page, "rendered");
    expect(await frame().locator(".loading").count()).toBe(0);
    await expect
      .poll(() => frame().locator("portico-object[data-object=by-department] rect.mark").count())
      .toBe(6);
  });

  it("reports the sheet view of a frame the browser does not render (no animation frames)", async () => {
    // The beacon waits for the frame after the data's; a hidden iframe never gets one.
    server.knobs.sessionDelayMs = 1500;
    const { page } = await openHost();
    await page.evaluate(() => {
      window.hostTest.iframe.style.display = "none";
    });
    await waitForEvent(page, "ready");
    await expect
      .poll(() => server.beacons, { timeout: 5000 })
      .toContainEqual({ type: "sheetView", app: "spending", sheet: "overview" });
    // It was the fallback: the hidden frame has painted nothing (`rendered` waits for two frames).
    expect((await events(page)).map((e) => e.type)).not.toContain("rendered");
  });

  it("negotiates the protocol version", async () => {
    const { page } = await openHost();
    await waitForEvent(page, "ready");
    expect(await call(page, "hello", 1)).toEqual({
      ok: true,
      value: { protocolVersion: 1, compatible: true },
    });
    expect(await call(page, "hello", 2)).toEqual({
      ok: true,
      value: { protocolVersion: 1, compatible: false },
    });
  });

  it("takes selections from the host and reports the visitor's own", async () => {
    const { page, frame } = await openHost();
    await waitForEvent(page, "rendered");
    const selected = await call(page, "select", "Region", ["North"]);
    expect(selected).toEqual({ ok: true, value: { Region: ["North"] } });
    await waitForEvent(page, "selectionsChanged");
    // The filter pane shows North selected (green) and the selections bar lists it.
    const north = frame().locator('portico-listbox [role="option"]', { hasText: "North" });
    await expect.poll(() => north.getAttribute("data-state")).toBe("selected");
    await expect.poll(() => frame().locator("portico-selections-bar .chip").textContent()).toContain("North");
    // A click on a bar selects its department; the host hears it.
    await frame().locator('portico-object[data-object=by-department] rect.mark[aria-label^="Parks"]').click();
    const changes = await waitForEvent(page, "selectionsChanged", 2);
    expect(changes[1]).toEqual({
      type: "selectionsChanged",
      selections: { Region: ["North"], Department: ["Parks"] },
    });
    expect(await call(page, "getSelections")).toEqual({
      ok: true,
      value: { Region: ["North"], Department: ["Parks"] },
    });
    // The KPI now shows the total of Parks in the North, as the engine computes it.
    const data = await call(page, "getData", "total");
    const total = (data.value as { totals: number[] }).totals[0] as number;
    await expect
      .poll(() => frame().locator("portico-object[data-object=total] .kpi-value").textContent())
      .toBe(new Intl.NumberFormat("en", { maximumFractionDigits: 2 }).format(total));
    expect(await call(page, "clearSelections", "Region")).toEqual({
      ok: true,
      value: { Department: ["Parks"] },
    });
    expect(await call(page, "clearSelections")).toEqual({ ok: true, value: {} });
  });

  it("lists and opens sheets, exports CSV, and refuses malformed calls", async () => {
    const { page, frame } = await openHost();
    await waitForEvent(page, "rendered");
    expect(await call(page, "getSheets")).toEqual({
      ok: true,
      value: [
        { id: "overview", title: "Overview" },
        { id: "regions", title: "Regions" },
      ],
    });
    expect(await call(page, "openSheet", "regions")).toEqual({ ok: true });
    const [, changed] = await waitForEvent(page, "sheetChanged", 2);
    expect(changed).toEqual({ type: "sheetChanged", sheet: "regions", title: "Regions" });
    // Two dimensions, one measure: one series per year, so a legend.
    await expect.poll(() => frame().locator("portico-object .legend-item").count()).toBe(3);
    const csv = await call(page, "exportData", "detail", "csv");
    const content = (csv.value as { content: string }).content;
    expect(content.split("\r\n")[0]).toBe("Department,Region,Spend,Payments");
    expect(content.split("\r\n").length).toBeGreaterThan(20);
    // Beacons are fire-and-forget: they arrive shortly after the call that caused them.
    await expect
      .poll(() => server.beacons)
      .toContainEqual(expect.objectContaining({ type: "export", app: "spending" }));
    // Untrusted arguments are refused with a code, not passed on.
    expect(await call(page, "select", "Region", [{ toString: "x" }])).toMatchObject({
      ok: false,
      error: { code: "BAD_REQUEST" },
    });
    expect(await call(page, "openSheet", "nope")).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    expect(await call(page, "setTheme", { base: "dark", tokens: { "--portico-bg": "red;}" } })).toMatchObject(
      {
        ok: false,
        error: { code: "BAD_REQUEST" },
      },
    );
    expect(await call(page, "exportData", "detail", "xlsx")).toMatchObject({
      ok: false,
      error: { code: "BAD_REQUEST" },
    });
  });

  it("switches theme and locale on request", async () => {
    const { page, frame } = await openHost();
    await waitForEvent(page, "rendered");
    const bg = () => frame().evaluate(() => getComputedStyle(document.body).backgroundColor);
    // Form controls and scrollbars follow the theme too.
    const scheme = () => frame().evaluate(() => getComputedStyle(document.documentElement).colorScheme);
    const light = await bg();
    expect(await scheme()).toBe("light");
    expect(await call(page, "setTheme", "dark")).toEqual({ ok: true });
    expect(await frame().evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    expect(await bg()).not.toBe(light);
    expect(await scheme()).toBe("dark");
    // Host overrides reach the custom properties, and a new theme drops the old one's.
    await call(page, "setTheme", { base: "light", tokens: { "--portico-bg": "rgb(1, 2, 3)" } });
    expect(await bg()).toBe("rgb(1, 2, 3)");
    expect(await scheme()).toBe("light");
    await call(page, "setTheme", { base: "light", tokens: { "--portico-surface": "rgb(4, 5, 6)" } });
    expect(await bg()).toBe(light);
    await call(page, "setLocale", "de-DE");
    await expect.poll(() => frame().locator("portico-selections-bar .label").textContent()).toBe("Auswahlen");
    const kpi = await frame().locator("portico-object[data-object=total] .kpi-value").textContent();
    expect(kpi).toMatch(/^\d{1,3}(\.\d{3})+$/);
  });

  it("view=object shows one object across the frame's width", async () => {
    const { page, frame } = await openHost({ embed: "app=spending&object=by-region" });
    const [ready] = await waitForEvent(page, "ready");
    expect(ready).toMatchObject({ view: "object", app: "spending" });
    await waitForEvent(page, "rendered");
    expect(await frame().locator("portico-object").count()).toBe(1);
    const width = await frame()
      .locator("portico-object")
      .evaluate((e) => e.getBoundingClientRect().width);
    expect(width).toBeGreaterThan(1000);
    expect(await frame().locator("portico-object path.slice").count()).toBe(4);
  });

  it("view=hub lists the apps inside the frame and opens a sheet in place", async () => {
    const { page, frame } = await openHost({ embed: "view=hub" });
    const [ready] = await waitForEvent(page, "ready");
    expect(ready).toMatchObject({ view: "hub" });
    await frame().locator("portico-hub button.toggle").click();
    await frame().locator("portico-hub a.sheet", { hasText: "Regions" }).click();
    const [changed] = await waitForEvent(page, "sheetChanged");
    expect(changed).toEqual({ type: "sheetChanged", sheet: "regions", title: "Regions" });
    await expect
      .poll(() => frame().locator("portico-object[data-object=region-year] rect.mark").count())
      .toBe(12);
    // Still the same frame document: the RPC connection lives on.
    expect(await call(page, "getSelections")).toEqual({ ok: true, value: {} });
  });

  it("reports its content height, and stops once the host has applied it", async () => {
    const { page } = await openHost();
    await waitForEvent(page, "rendered");
    // The loading skeleton reports first; wait for the sheet's full height (a loaded machine is slow).
    await page.waitForFunction(
      () => {
        const sizes = window.hostTest.events.filter((e) => e.type === "resize");
        const latest = sizes[sizes.length - 1];
        return latest?.type === "resize" && latest.height > 900;
      },
      undefined,
      { timeout: 15_000 },
    );
    const resizes = (await events(page)).filter((e) => e.type === "resize");
    const last = resizes[resizes.length - 1];
    expect(last?.type === "resize" && last.height).toBeGreaterThan(900);
    const count = resizes.length;
    await page.waitForTimeout(600);
    // The iframe took the height; no further reports (no feedback loop).
    expect((await events(page)).filter((e) => e.type === "resize").length).toBe(count);
    const iframeHeight = await page.evaluate(() => window.hostTest.iframe.getBoundingClientRect().height);
    expect(last?.type === "resize" && last.height).toBe(iframeHeight);
  });
});

describe("options", () => {
  it("selections from the URL; nointeraction: no clicks, no menu", async () => {
    const selections = encodeURIComponent(JSON.stringify({ Region: ["East"] }));
    const { page, frame } = await openHost({
      embed: `app=spending&sheet=overview&opt=currsel,nointeraction,ctxmenu&selections=${selections}`,
    });
    await waitForEvent(page, "rendered");
    expect(await call(page, "getSelections")).toEqual({ ok: true, value: { Region: ["East"] } });
    await expect.poll(() => frame().locator("portico-selections-bar .chip").textContent()).toContain("East");
    await frame()
      .locator("portico-object[data-object=by-department] rect.mark")
      .first()
      .click({ force: true });
    await page.waitForTimeout(300);
    expect((await events(page)).filter((e) => e.type === "selectionsChanged")).toEqual([]);
    expect(await frame().locator('portico-object button[aria-haspopup="menu"]').count()).toBe(0);
    expect(await frame().locator("portico-selections-bar button").count()).toBe(0);
  });

  it("ctxmenu: export downloads a CSV; noselections keeps charts read-only", async () => {
    const { page, frame } = await openHost({ embed: "app=spending&sheet=overview&opt=ctxmenu,noselections" });
    await waitForEvent(page, "rendered");
    await frame().locator('portico-object[data-object=detail] button[aria-haspopup="menu"]').click();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      frame().locator('portico-object[data-object=detail] [role="menuitem"]', { hasText: "Export" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("Detail.csv");
    expect(await frame().locator("portico-object[data-object=by-department] rect.selectable").count()).toBe(
      0,
    );
  });
});

describe("errors people can read", () => {
  it("NO_ACCESS_PASS: shown in the frame and sent to the host", async () => {
    server.knobs.denyLicense = true;
    const { page, frame } = await openHost();
    const [error] = await waitForEvent(page, "error");
    expect(error).toMatchObject({ type: "error", code: "NO_ACCESS_PASS" });
    const screen = frame().locator("portico-error-screen .card");
    // A public page's visitor reads plain words; the hub's licence terms are the host's (the event).
    await expect.poll(() => screen.textContent()).toContain("This dashboard isn't available right now");
  });

  it("APP_NOT_FOUND for a missing or unreadable app", async () => {
    const { page, frame } = await openHost({ embed: "app=secret&sheet=overview" });
    const [error] = await waitForEvent(page, "error");
    expect(error).toMatchObject({ code: "APP_NOT_FOUND" });
    await expect
      .poll(() => frame().locator("portico-error-screen .card").textContent())
      .toContain("App not available");
  });

  it("ANONYMOUS_DISABLED when the host cannot get an anonymous ticket", async () => {
    const { page, frame } = await openHost({ ticket: "fail:ANONYMOUS_DISABLED" });
    await waitForEvent(page, "error");
    await expect
      .poll(() => frame().locator("portico-error-screen .card").textContent())
      .toContain("Sign-in required");
  });

  it("ORIGIN_NOT_ALLOWED: the frame itself refuses a parent off the allow list and talks to nobody", async () => {
    // Without frame-ancestors the browser would show the frame to anyone; the frame's own check still holds.
    server.proxies.set("anon", {
      anonymousAccess: "always",
      hostAllowList: [server.hostOrigin],
      omitFrameAncestors: true,
    });
    const { page, frame } = await openHost({ hostOrigin: server.strangerOrigin });
    await expect
      .poll(() => frame().locator("portico-error-screen .card").getAttribute("data-code"), {
        timeout: 10_000,
      })
      .toBe("ORIGIN_NOT_ALLOWED");
    await page.waitForTimeout(300);
    expect(await events(page)).toEqual([]);
    expect(await page.evaluate(() => window.hostTest.ticketReasons)).toEqual([]);
    expect(server.requests.some((r) => r.includes("/sessions"))).toBe(false);
  });

  it("the browser refuses to frame the embed on a page off the allow list (frame-ancestors)", async () => {
    const { page } = await openHost({ hostOrigin: server.strangerOrigin });
    await page.waitForTimeout(500);
    expect(server.requests.some((r) => r.includes("/api/v1/"))).toBe(false);
    expect(await events(page)).toEqual([]);
  });

  it("server unreachable: retries with backoff, then a message, and recovers on Try again", async () => {
    const { page, frame } = await openHost();
    await waitForEvent(page, "rendered");
    server.knobs.down = true;
    await call(page, "select", "Region", ["East"]).catch(() => undefined);
    await waitForEvent(page, "error");
    const attempts = server.requests.filter((r) => r.endsWith("/queries")).length;
    expect(attempts).toBeGreaterThanOrEqual(5);
    await expect
      .poll(() => frame().locator("portico-object[data-object=total] .message.error").textContent())
      .toContain("Server unreachable");
    server.knobs.down = false;
    await call(page, "select", "Region", ["West"]);
    await expect.poll(() => frame().locator("portico-object[data-object=total] .kpi-value").count()).toBe(1);
  });
});

describe("session expiry", () => {
  it("warns before the inactivity timeout, and recovers with the same sheet and selections", async () => {
    server.knobs.inactivityTimeoutMs = 2_500;
    const { page, frame } = await openHost({ embed: "app=spending&sheet=regions&opt=currsel" });
    await waitForEvent(page, "rendered");
    await call(page, "select", "Region", ["South"]);
    const [expiring] = await waitForEvent(page, "sessionExpiring");
    expect(expiring?.type === "sessionExpiring" && Date.parse(expiring.expiresAt)).toBeGreaterThan(
      Date.now() - 1000,
    );
    await waitForEvent(page, "sessionExpired");
    server.expireSessions();
    // The visitor comes back: the next action gets a fresh ticket and restores the view.
    await call(page, "getData", "region-year");
    const [recovered] = await waitForEvent(page, "sessionRecovered");
    expect(recovered).toEqual({
      type: "sessionRecovered",
      sheet: "regions",
      selections: { Region: ["South"] },
    });
    expect(await page.evaluate(() => window.hostTest.ticketReasons)).toEqual(["initial", "expired"]);
    await expect.poll(() => frame().locator("portico-selections-bar .chip").textContent()).toContain("South");
  });

  it("a lapsed session on the server is recovered transparently on the next request", async () => {
    const { page } = await openHost();
    await waitForEvent(page, "rendered");
    await call(page, "select", "Year", [2023]);
    server.expireSessions();
    const result = await call(page, "select", "Region", ["East"]);
    expect(result).toEqual({ ok: true, value: { Year: [2023], Region: ["East"] } });
    const [recovered] = await waitForEvent(page, "sessionRecovered");
    expect(recovered).toMatchObject({ selections: { Year: [2023], Region: ["East"] } });
  });
});

describe("session expiry without a new ticket", () => {
  it("shows the session-expired screen and tells the host", async () => {
    const { page, frame } = await openHost();
    await waitForEvent(page, "rendered");
    await page.evaluate(() => window.hostTest.setTicketMode("fail:UNAUTHENTICATED"));
    server.expireSessions();
    const result = await call(page, "select", "Region", ["East"]);
    expect(result).toMatchObject({ ok: false, error: { code: "SESSION_EXPIRED" } });
    const errors = await waitForEvent(page, "error");
    expect(errors[0]).toMatchObject({ code: "SESSION_EXPIRED" });
    await expect.poll(() => frame().locator("portico-error-screen h1").textContent()).toBe("Session expired");
  });
});

describe("first-party pages", () => {
  it("the hub lists streams, apps and their sheets", async () => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/anon/hub`);
    await page.locator("portico-hub article[data-app=spending]").waitFor();
    await page.locator("portico-hub button.toggle").click();
    const links = page.locator("portico-hub a.sheet");
    await expect.poll(() => links.count()).toBe(2);
    expect(await links.first().getAttribute("href")).toBe(
      "/anon/embed?app=spending&sheet=overview&opt=currsel,ctxmenu",
    );
    // The link opens the sheet first-party (cookie session, no host).
    await links.first().click();
    await page.locator("portico-object[data-object=by-department] rect.mark").first().waitFor();
  });

  it("a proxy without anonymous access sends hub visitors to the login form", async () => {
    const page = await context.newPage();
    await page.goto(`${server.origin}/hub`);
    await page.waitForURL(/login=1/);
    await page.locator("portico-login form").waitFor();
  });

  it("the login form signs in and leads to the hub; a wrong password reads as such", async () => {
    server.proxies.set("partner", { anonymousAccess: "allow", hostAllowList: [] });
    const page = await context.newPage();
    await page.goto(`${server.origin}/partner/hub?login=1`);
    await page.locator("portico-login input[name=userId]").fill("alice");
    await page.locator("portico-login input[name=password]").fill("wrong");
    await page.locator("portico-login button[type=submit]").click();
    await expect
      .poll(() => page.locator("portico-login .error").textContent())
      .toBe("The user name or password is not correct.");
    await page.locator("portico-login input[name=password]").fill("correct horse");
    await page.locator("portico-login button[type=submit]").click();
    await page.waitForURL(/\/partner\/hub$/);
    await expect.poll(() => page.locator(".user").textContent()).toContain("Signed in as Alice Example");
  });

  it("the login page never redirects off-site", async () => {
    server.proxies.set("partner", { anonymousAccess: "allow", hostAllowList: [] });
    const page = await context.newPage();
    await page.goto(`${server.origin}/partner/hub?login=1&next=${encodeURIComponent("//evil.example/")}`);
    await page.locator("portico-login input[name=userId]").fill("alice");
    await page.locator("portico-login input[name=password]").fill("correct horse");
    await page.locator("portico-login button[type=submit]").click();
    await page.waitForURL(/\/partner\/hub$/);
    expect(new URL(page.url()).origin).toBe(server.origin);
  });

  it("one column under 600 px", async () => {
    const { page, frame } = await openHost();
    await page.setViewportSize({ width: 400, height: 800 });
    await waitForEvent(page, "rendered");
    await page.waitForTimeout(200);
    const lefts = await frame()
      .locator("portico-object")
      .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().left)));
    expect(new Set(lefts).size).toBe(1);
  });
});
