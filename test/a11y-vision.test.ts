// What low-vision visitors meet, in real Chromium: the pages reflow at 320 CSS px (1280 px at 400% zoom)
// and at 640 px (200%) without scrolling sideways or losing content; forced colours (Windows High
// Contrast) keep selections, marks and focus visible; reduced motion stops the marks' transitions.
// Screenshots of each go to PORTICO_SHOTS_DIR when it is set, for a person to look at.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useCityWorld } from "./support/a11y-fixture.js";
import { screenshot } from "./support/screenshot.js";

const { world, city } = useCityWorld();

const SHEET = "/anon/embed?app=spending&sheet=overview&opt=currsel,ctxmenu";

/** Opens `path` at a zoom of `zoom` on a 1280 x 1024 screen: the CSS viewport shrinks, pixels grow. */
async function openZoomed(path: string, zoom: number): Promise<Page> {
  const page = await world.browser.newPage({
    viewport: { width: 1280 / zoom, height: 1024 / zoom },
    deviceScaleFactor: zoom,
  });
  await page.goto(`${city.server.url}${path}`);
  await page.locator("portico-frame-app, portico-hub, portico-login").first().waitFor({ state: "attached" });
  await expect.poll(() => page.locator("[aria-busy=true]").count(), { timeout: 15_000 }).toBe(0);
  await page.waitForTimeout(400);
  return page;
}

/** What spills out sideways: the page's horizontal overflow and any element whose box ends past the edge. */
function overflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const spilled: string[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll("*")) {
        const box = el.getBoundingClientRect();
        // Inside a scrolling table or list is fine (WCAG 1.4.10 exempts data tables); the card must fit.
        if (box.width > 0 && box.right > width + 1 && !el.closest(".scroll, .chart-table, [role=listbox]"))
          spilled.push(`${el.localName}.${el.className}`);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    return { scroll: document.documentElement.scrollWidth - width, spilled: spilled.slice(0, 5) };
  });
}

describe("zoom", () => {
  for (const zoom of [2, 4])
    it(`reflows the sheet, a single object, the hub and the login page at ${zoom * 100}%`, async () => {
      for (const [name, path] of [
        ["sheet", SHEET],
        ["object", "/anon/embed?app=spending&object=by-department"],
        ["hub", "/anon/hub"],
        ["login", "/partner/hub?login=1"],
      ] as const) {
        const page = await openZoomed(path, zoom);
        expect(await overflow(page), `${name} at ${zoom * 100}%`).toEqual({ scroll: 0, spilled: [] });
        // Every object is there, one under the other (at 200% the sheet keeps its grid).
        if (name === "sheet" && zoom === 4) {
          const lefts = await page
            .locator("portico-object")
            .evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().left)));
          expect(lefts.length).toBe(6);
          expect(new Set(lefts).size).toBe(1);
        }
        await screenshot(page, `a11y-zoom${zoom * 100}-${name}`);
        if (name === "sheet" && zoom === 4)
          for (const object of ["by-department", "by-fund", "filters", "payments"])
            await screenshot(page.locator(`portico-object[data-object=${object}]`), `a11y-zoom400-${object}`);
        await page.close();
      }
    }, 60_000);
});

describe("forced colours and reduced motion", () => {
  it("keeps selected values, marks and the focus visible in forced colours", async () => {
    const page = await world.browser.newPage({ viewport: { width: 1100, height: 1500 } });
    await page.emulateMedia({ forcedColors: "active" });
    await page.goto(`${city.server.url}${SHEET}`);
    await expect.poll(() => page.locator("rect.mark").count(), { timeout: 15_000 }).toBe(8);
    await page.locator("portico-listbox [role=option]", { hasText: "Parks" }).click();
    await expect.poll(() => page.locator("rect.mark").count()).toBe(1);
    await page.waitForTimeout(300);
    const styles = await page.evaluate(() => {
      const deep = (sel: string, root: Document | ShadowRoot = document): Element | undefined => {
        const hit = root.querySelector(sel);
        if (hit) return hit;
        for (const el of root.querySelectorAll("*"))
          if (el.shadowRoot) {
            const found = deep(sel, el.shadowRoot);
            if (found) return found;
          }
        return undefined;
      };
      const css = (sel: string) => {
        const el = deep(sel);
        return el ? getComputedStyle(el) : undefined;
      };
      const selected = deep("[role=option][data-state=selected] > span");
      return {
        forced: matchMedia("(forced-colors: active)").matches,
        selectedMark: css("rect.mark.selected")?.stroke,
        selectedOption: selected ? getComputedStyle(selected, "::before").content : "",
        selectedOptionBg: css("[role=option][data-state=selected]")?.backgroundColor,
        possibleOptionBg: css("[role=option][data-state=possible]")?.backgroundColor,
      };
    });
    await page.keyboard.press("Tab");
    await screenshot(page, "a11y-forced-colors-sheet");
    expect(styles.forced).toBe(true);
    // The selected option keeps a colour of its own (the system's highlight) and its tick.
    expect(styles, JSON.stringify(styles)).toMatchObject({ selectedOption: expect.stringContaining("✓") });
    expect(styles.selectedOptionBg).not.toBe(styles.possibleOptionBg);
    expect(styles.selectedMark).not.toBe("none");
    await page.close();
  });

  it("keeps white labels inside marks readable on the dark theme's light palette (a dark halo)", async () => {
    const page = await world.browser.newPage({ viewport: { width: 1100, height: 900 } });
    await page.goto(`${city.server.url}${SHEET}&theme=dark`);
    const label = page.locator("portico-object[data-object=by-fund] text.slice-label").first();
    await label.waitFor();
    expect(await label.evaluate((e) => getComputedStyle(e).paintOrder)).toMatch(/^stroke/);
    await screenshot(page.locator("portico-object[data-object=by-fund]"), "a11y-dark-pie");
    await page.close();
  });

  it("drops the marks' transitions for visitors who ask for less motion", async () => {
    const page = await world.browser.newPage();
    await page.emulateMedia({ reducedMotion: "reduce" });
    await page.goto(`${city.server.url}${SHEET}`);
    await page.locator("rect.mark").first().waitFor();
    expect(
      await page
        .locator("rect.mark")
        .first()
        .evaluate((e) => getComputedStyle(e).transitionDuration),
    ).toBe("0s");
    await page.emulateMedia({ reducedMotion: "no-preference" });
    expect(
      await page
        .locator("rect.mark")
        .first()
        .evaluate((e) => getComputedStyle(e).transitionDuration),
    ).toBe("0.12s");
    await page.close();
  });
});
