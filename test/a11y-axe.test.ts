// Every page and state Portico serves, audited by axe-core in real Chromium at the WCAG 2.0, 2.1 and 2.2
// A and AA rules: the embed page (sheet, single object, hub view) in both themes and both languages, with a
// filter pane in use, a paged table, the object menu, the expiry banner and the error screens; the login
// page, the hub page and the Visitor analytics app; and the host page with `<portico-embed>` (its iframe's
// title). Zero violations; a rule disabled anywhere below says why.
import type { Frame, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { analyticsApp } from "../packages/server/src/visits/visitor-analytics.js";
import { useCityWorld } from "./support/a11y-fixture.js";
import { axeViolations } from "./support/axe.js";
import { E2E_SECRETS } from "./support/portico-server.js";
import { screenshot } from "./support/screenshot.js";

const { world, city } = useCityWorld();

/** Waits until the page's app (frame, hub or login) has left its loading view and its charts have drawn. */
async function settled(target: Page | Frame): Promise<void> {
  await target
    .locator("portico-frame-app, portico-hub, portico-login, portico-qmc")
    .first()
    .waitFor({ state: "attached", timeout: 15_000 });
  await expect
    .poll(() => target.locator("portico-frame-app [aria-busy=true]").count(), { timeout: 15_000 })
    .toBe(0);
  // Objects size themselves on the next frames (ResizeObserver), then draw; transitions run 120 ms.
  await target.waitForTimeout(400);
}

/** Opens `path` of the city server first-party (the page makes its own session) and waits for it. */
async function open(path: string, server = city.server): Promise<Page> {
  await world.page.goto(`${server.url}${path}`);
  await settled(world.page);
  return world.page;
}

/** Signs alice (RootAdmin here) in on the login page of `/partner`; resolves on the hub she lands on. */
async function logIn(): Promise<Page> {
  const page = await open("/partner/hub?login=1");
  await page.locator("portico-login input[name=userId]").fill("alice");
  await page.locator("portico-login input[name=password]").fill(E2E_SECRETS.alicePassword);
  await page.locator("portico-login button[type=submit]").click();
  await page.waitForURL(/\/partner\/hub$/);
  await settled(page);
  return page;
}

const SHEET = "/anon/embed?app=spending&sheet=overview&opt=currsel,ctxmenu";

/** The `title` of the iframe inside `<portico-embed id>` on the host page. */
const iframeTitle = (id: string) =>
  world.page.evaluate((i) => document.getElementById(i)?.shadowRoot?.querySelector("iframe")?.title, id);

async function expectNoViolations(target: Page | Frame, options?: Parameters<typeof axeViolations>[1]) {
  expect(await axeViolations(target, options)).toEqual([]);
}

describe("the embed page", () => {
  it("a sheet in the light theme, English", async () => {
    await expectNoViolations(await open(SHEET));
  });

  it("a sheet in the dark theme, German", async () => {
    await expectNoViolations(await open(`${SHEET}&theme=dark&locale=de`));
  });

  it("a filter pane in use: a value selected, the others excluded, charts dimmed, the selections bar", async () => {
    for (const theme of ["light", "dark"]) {
      const page = await open(`${SHEET}&theme=${theme}`);
      await page.locator("portico-listbox [role=option]", { hasText: "Finance" }).click();
      await expect.poll(() => page.locator("portico-selections-bar .chip").count()).toBe(1);
      await page.waitForTimeout(300);
      await expectNoViolations(page);
    }
  });

  it("a paged table, sorted, on its second page; the object menu open; charts shown as tables", async () => {
    const page = await open(SHEET);
    for (const object of ["by-department", "by-fund", "by-month"])
      await page.locator(`portico-object[data-object=${object}] button.table-toggle`).click();
    await page.locator("portico-object[data-object=by-fund] .chart-table table").waitFor();
    const table = page.locator("portico-object[data-object=payments] portico-table");
    await table.locator("th button").nth(2).click();
    await table.getByRole("button", { name: "Next page" }).click();
    await expect.poll(() => table.locator(".pager").textContent()).toContain("26–50");
    await page.locator("portico-object[data-object=payments] button[aria-haspopup=menu]").click();
    await page.locator("[role=menu]").waitFor();
    await expectNoViolations(page);
  });

  it("single objects: bars, a donut, a line, a table, a filter pane", async () => {
    for (const object of ["by-department", "by-fund", "by-month", "payments", "filters"])
      await expectNoViolations(await open(`/anon/embed?app=spending&object=${object}`));
  });

  it("the hub view, before and after an app's sheets are listed", async () => {
    const page = await open("/anon/embed?view=hub");
    await expectNoViolations(page);
    await page.locator("portico-hub button.toggle").first().click();
    await page.locator("portico-hub a.sheet").first().waitFor();
    await expectNoViolations(page);
  });

  it("the session-expiry banner", async () => {
    await world.page.clock.install();
    const page = await open(SHEET);
    // The warning comes shortly before the 30 minutes of inactivity are up.
    await world.page.clock.fastForward(29.5 * 60_000);
    await page.locator(".banner").waitFor();
    await expectNoViolations(page);
  });

  it("error screens: no access pass, app not found, sign-in required (with Log in)", async () => {
    for (const [path, server, code] of [
      ["/anon/embed?app=spending&sheet=overview", world.noPasses, "NO_ACCESS_PASS"],
      ["/anon/embed?app=no-such-app", city.server, "APP_NOT_FOUND"],
      ["/closed/embed?app=spending", city.server, "UNAUTHENTICATED"],
    ] as const) {
      const page = await open(path, server);
      await expect
        .poll(() => page.locator("portico-error-screen [data-code]").getAttribute("data-code"))
        .toBe(code);
      for (const theme of ["light", "dark"]) {
        await page.evaluate((t) => document.documentElement.setAttribute("data-theme", t), theme);
        await expectNoViolations(page);
      }
    }
  });
});

describe("first-party pages", () => {
  it("the login page, before and after a wrong password", async () => {
    const page = await open("/partner/hub?login=1");
    await expectNoViolations(page);
    await page.locator("portico-login input[name=userId]").fill("alice");
    await page.locator("portico-login input[name=password]").fill("wrong");
    await page.locator("portico-login button[type=submit]").click();
    await page.locator("portico-login .error").waitFor();
    await expectNoViolations(page);
  });

  it("the hub page, anonymous", async () => {
    await expectNoViolations(await open("/anon/hub"));
  });

  it("the hub page signed in, an app's sheets listed", async () => {
    const page = await logIn();
    await page.locator("portico-hub button.toggle").first().click();
    await page.locator("portico-hub a.sheet").first().waitFor();
    await expectNoViolations(page);
  });

  it("the Visitor analytics app, every sheet", async () => {
    await logIn();
    for (const sheet of analyticsApp().sheets.map((s) => s.id)) {
      const page = await open(`/partner/embed?app=visitor-analytics&sheet=${sheet}&opt=currsel`);
      expect(await page.locator("portico-error-screen").count()).toBe(0);
      expect(await page.locator("portico-object").count()).toBeGreaterThan(0);
      await screenshot(page, `analytics-${sheet}`);
      await expectNoViolations(page);
    }
  }, 60_000);
});

describe("the management console", () => {
  it("the sign-in page, then every section a RootAdmin sees", async () => {
    const page = await open("/partner/qmc");
    await page.locator("portico-qmc form").waitFor();
    await expectNoViolations(page);
    await page.locator("portico-qmc input[name=userDirectory]").fill("PORTAL");
    await page.locator("portico-qmc input[name=userId]").fill("alice");
    await page.locator("portico-qmc input[name=password]").fill(E2E_SECRETS.alicePassword);
    await page.locator("portico-qmc button[type=submit]").click();
    const sections = ["", "proxies", "licenses", "streams", "apps", "rules", "users", "visits", "check"];
    await expect.poll(() => page.locator("portico-qmc nav a").count()).toBe(sections.length);
    for (const section of sections) {
      await page.evaluate((s) => {
        location.hash = `#/${s}`;
      }, section);
      await expect
        .poll(() => page.locator("portico-qmc nav a[aria-current=page]").getAttribute("href"))
        .toBe(`#/${section}`);
      await page.waitForTimeout(600);
      expect(await axeViolations(page), `section "${section}"`).toEqual([]);
    }
  }, 90_000);
});

describe("the host page", () => {
  it("names the embed's iframe; the frame inside it passes too", async () => {
    await world.open(
      "/a11y-host",
      `<main><h1>City budget</h1>${world.embed("city", { proxy: "anon", app: "spending", sheet: "overview", style: "height:900px" }, city.server)}</main>`,
    );
    await world.waitFor("portico-rendered", "city");
    // Named after the app once the frame is ready (the page gave no label).
    expect(await iframeTitle("city")).toBe("City spending");
    await expectNoViolations(world.page, { skipFrames: true });
    const frame = await world.frameOf("city");
    await settled(frame);
    await expectNoViolations(frame);
  });

  it("the element's own message on a page off the allow list", async () => {
    await world.open(
      "/a11y-stranger",
      `<main><h1>Not allowed here</h1>${world.embed("refused", { proxy: "anon", app: "spending", sheet: "overview" }, city.server)}</main>`,
      { on: world.stranger },
    );
    await world.waitFor("portico-error", "refused");
    await expect
      .poll(() =>
        world.page.evaluate(
          () => document.getElementById("refused")?.shadowRoot?.querySelector("p")?.textContent,
        ),
      )
      .toBeTruthy();
    await expectNoViolations(world.page, { skipFrames: true });
  });

  it("names an object's iframe after the object, and a labelled one after its label, live", async () => {
    await world.open(
      "/a11y-names",
      world.embed("bars", { proxy: "anon", app: "spending", object: "by-department" }, city.server) +
        world.embed(
          "named",
          { proxy: "anon", app: "spending", sheet: "overview", label: "Our budget" },
          city.server,
        ),
    );
    await world.readyUsers("bars", "named");
    expect(await iframeTitle("bars")).toBe("Spend by department");
    expect(await iframeTitle("named")).toBe("Our budget");
    await world.page.evaluate(() => document.getElementById("named")?.setAttribute("label", "Budget 2026"));
    await expect.poll(() => iframeTitle("named")).toBe("Budget 2026");
  });
});
