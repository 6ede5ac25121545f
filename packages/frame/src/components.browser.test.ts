import { rm } from "node:fs/promises";
import { type DataModel, loadTables } from "@portico/engine";
import type { QueryResult, Selections, SheetObjectDef } from "@portico/protocol";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFrameForTests } from "./testing/build-for-tests.js";
import { type ContractServer, startContractServer } from "./testing/contract-server.js";
import { launchChromium } from "./testing/launch-chromium.js";
import { OVERVIEW, SECOND, spendingRows } from "./testing/spending-fixture.js";

// Each object type rendered in real Chromium from real engine results (the same engine the server uses).

let dist: string;
let server: ContractServer;
let browser: Browser;
let page: Page;
let model: DataModel;

const objects = [...OVERVIEW.objects, ...SECOND.objects];
const def = (id: string) => objects.find((o) => o.id === id) as SheetObjectDef;

function query(object: SheetObjectDef, selections: Selections = {}): QueryResult[] {
  if (object.type === "filterpane")
    return (object.fields ?? []).map((field) => model.query({ field, selections }, objects));
  if (object.type === "text") return [];
  return [model.query({ object: object.id, selections }, objects)];
}

async function mount(
  id: string,
  options: {
    selections?: Selections;
    locale?: string;
    width?: number;
    height?: number;
    selectable?: boolean;
  } = {},
) {
  const object = def(id);
  await page.evaluate((o) => window.harness.mountObject(o), {
    def: object,
    results: query(object, options.selections),
    ...options,
  });
}

const harnessEvents = () => page.evaluate(() => window.harness.events);

beforeAll(async () => {
  model = await loadTables([{ name: "spending", rows: spendingRows() }]);
  dist = await buildFrameForTests();
  server = await startContractServer(dist);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 900, height: 700 } });
  await page.goto(`${server.origin}/test-harness/harness.html`);
  await page.waitForFunction(() => window.harness !== undefined);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (dist) await rm(dist, { recursive: true, force: true });
});

describe("charts", () => {
  it("bar: one bar per value, readable ticks, an accessible name, click toggles a selection", async () => {
    await mount("by-department");
    const bars = page.locator("portico-object rect.mark");
    expect(await bars.count()).toBe(6);
    expect(await page.locator("portico-object svg.chart").getAttribute("aria-label")).toBe(
      "Bar chart of Spend by Department",
    );
    const ticks = await page.locator("portico-object .axis .axis-label").allTextContents();
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    // Ticks are short and round: "0", "500K", "1M" style, never long raw numbers.
    for (const tick of ticks) expect(tick).toMatch(/^-?[\d.]+[KMB]?$/);
    // Value labels do not overlap each other.
    const boxes = await page
      .locator("portico-object .value-label")
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.left, r.right]));
    for (let i = 1; i < boxes.length; i++)
      expect((boxes[i] as number[])[0]).toBeGreaterThanOrEqual((boxes[i - 1] as number[])[1] as number);
    await page.locator('portico-object rect.mark[aria-label^="Roads"]').click();
    expect(await harnessEvents()).toEqual([
      { type: "portico-select", detail: { field: "Department", value: "Roads" } },
    ]);
  });

  it("bar: selected values stay bright and the others dim; Enter selects from the keyboard", async () => {
    await mount("by-department", { selections: { Department: ["Police"] } });
    expect(await page.locator("portico-object rect.mark.dim").count()).toBe(0);
    // Under a selection the engine returns only the selected value; all bars shown are selected.
    await mount("by-department");
    const first = page.locator("portico-object rect.mark").first();
    await first.focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Enter");
    const [event] = await harnessEvents();
    expect(event?.type).toBe("portico-select");
    const focused = await page.evaluate(
      () =>
        document.querySelector("portico-object")?.shadowRoot?.activeElement?.getAttribute("aria-label") ?? "",
    );
    const selected = event?.detail as { value: string };
    expect(focused.startsWith(selected.value)).toBe(true);
  });

  it("a top-N chart folds the rest into Others, named in the visitor's language, and not selectable", async () => {
    const topN = { ...def("by-department"), id: "top3", topN: 3 };
    const result = model.query({ object: "top3" }, [topN]);
    await page.evaluate((o) => window.harness.mountObject(o), {
      def: topN,
      results: [result],
      locale: "de-DE",
    });
    const labels = await page.locator("portico-object text.axis-label").allTextContents();
    expect(labels.map((l) => l.trim())).toContain("Andere");
    const others = page.locator('portico-object rect.mark[aria-label^="Andere"]');
    expect(await others.getAttribute("role")).toBe("img");
    await others.click();
    expect(await harnessEvents()).toEqual([]);
  });

  it("grouped bars get a legend (more than one series)", async () => {
    await mount("region-year", { width: 900 });
    expect(
      (await page.locator("portico-object .legend-item").allTextContents()).map((t) => t.trim()),
    ).toEqual(["2022", "2023", "2024"]);
    expect(await page.locator("portico-object rect.mark").count()).toBe(12);
  });

  it("line: a path and one point per month, dates in the locale, points select", async () => {
    await mount("trend", { width: 900, height: 300 });
    expect(await page.locator("portico-object path.line").count()).toBe(1);
    expect(await page.locator("portico-object circle.mark").count()).toBe(36);
    const labels = await page.locator("portico-object text.axis-label").allTextContents();
    expect(labels.some((l) => /Jan 1, 2022/.test(l))).toBe(true);
    await mount("trend", { width: 900, height: 300, locale: "de-DE" });
    const german = await page.locator("portico-object text.axis-label").allTextContents();
    expect(german.some((l) => /01\.01\.2022/.test(l))).toBe(true);
    await page.locator("portico-object circle.mark").nth(2).click({ force: true });
    expect((await harnessEvents())[0]).toEqual({
      type: "portico-select",
      detail: { field: "Month", value: "2022-03-01" },
    });
  });

  it("pie: slices with shares, a legend, and a tooltip on hover", async () => {
    await mount("by-region", { width: 420, height: 280 });
    expect(await page.locator("portico-object path.slice").count()).toBe(4);
    const shares = await page.locator("portico-object text.slice-label").allTextContents();
    expect(shares.every((s) => /%$/.test(s))).toBe(true);
    expect(await page.locator("portico-object .legend text").count()).toBe(4);
    await page.locator("portico-object path.slice").first().hover();
    await expect.poll(() => page.locator("portico-object .tooltip").textContent()).toMatch(/\d/);
  });

  it("kpi: the total in the locale's format", async () => {
    await mount("total");
    const [result] = query(def("total"));
    const total = (result as { totals: number[] }).totals[0] as number;
    expect(await page.locator("portico-object .kpi-value").textContent()).toBe(
      new Intl.NumberFormat("en", { maximumFractionDigits: 2 }).format(total),
    );
    await mount("total", { locale: "de-DE" });
    expect(await page.locator("portico-object .kpi-value").textContent()).toBe(
      new Intl.NumberFormat("de-DE", { maximumFractionDigits: 2 }).format(total),
    );
  });

  it("text: plain text, no markup interpreted", async () => {
    await page.evaluate((o) => window.harness.mountObject(o), {
      def: { ...def("about"), text: "<img src=x onerror=alert(1)> plain" },
      results: [],
    });
    expect(await page.locator("portico-object p.text").textContent()).toBe(
      "<img src=x onerror=alert(1)> plain",
    );
    expect(await page.locator("portico-object img").count()).toBe(0);
  });
});

describe("table", () => {
  it("sortable headers and paging ask for new data; cells select", async () => {
    await mount("detail", { width: 800, height: 400 });
    expect((await page.locator("portico-object thead th").allTextContents()).map((t) => t.trim())).toEqual([
      "Department",
      "Region",
      "Spend",
      "Payments",
    ]);
    expect(await page.locator("portico-object tbody tr").count()).toBe(23);
    await page.locator("portico-object th button", { hasText: "Spend" }).click();
    expect((await harnessEvents())[0]).toEqual({
      type: "portico-table-change",
      detail: { objectId: "detail", sort: { column: 2, descending: true }, offset: 0 },
    });
    await page.locator("portico-object tbody td.selectable").first().press("Enter");
    expect((await harnessEvents())[1]?.type).toBe("portico-select");
  });

  it("fits four columns in a phone-width card, and scrolls what does not fit", async () => {
    const widths = async () =>
      page.locator("portico-object portico-table").evaluate((el) => {
        const scroll = el.shadowRoot?.querySelector(".scroll") as HTMLElement;
        return { content: scroll.scrollWidth, box: scroll.clientWidth };
      });
    await mount("detail", { width: 380, height: 400 });
    const narrow = await widths();
    expect(narrow.content).toBeLessThanOrEqual(narrow.box);
    // Narrower than its columns can go: the table scrolls inside its card instead of spilling out.
    await mount("detail", { width: 240, height: 400 });
    const tight = await widths();
    expect(tight.content).toBeGreaterThan(tight.box);
    expect(await page.locator("portico-object").evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(
      true,
    );
  });
});

describe("filter pane", () => {
  it("shows selected, possible, alternative and excluded values in their colours", async () => {
    const selections = { Region: ["West"] };
    await mount("filters", { selections, height: 500 });
    const state = (text: string) =>
      page.locator('portico-object [role="option"]', { hasText: text }).first().getAttribute("data-state");
    expect(await state("West")).toBe("selected");
    expect(await state("North")).toBe("alternative");
    expect(await state("2023")).toBe("possible");
    const colour = (text: string) =>
      page
        .locator('portico-object [role="option"]', { hasText: text })
        .first()
        .evaluate((e) => getComputedStyle(e).backgroundColor);
    expect(await colour("West")).toBe("rgb(0, 152, 69)");
    expect(await colour("2023")).toBe("rgb(255, 255, 255)");
    expect(await colour("North")).toBe("rgb(228, 228, 228)");
    // Schools never spend in the West: with Schools selected elsewhere, West is excluded, dark grey.
    await mount("filters", { selections: { Department: ["Schools"] }, height: 500 });
    expect(await state("West")).toBe("excluded");
    expect(await colour("West")).toBe("rgb(169, 169, 169)");
  });

  it("is a keyboard listbox: arrows move, Space toggles", async () => {
    await mount("filters", { height: 500 });
    const listbox = page.locator('portico-object portico-listbox [role="listbox"]').first();
    expect(await listbox.getAttribute("aria-multiselectable")).toBe("true");
    await listbox.focus();
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press(" ");
    expect((await harnessEvents())[0]).toEqual({
      type: "portico-select",
      detail: { field: "Year", value: 2023 },
    });
  });

  it("does not select when selections are off", async () => {
    await mount("filters", { height: 500, selectable: false });
    // aria-disabled: a real click still reaches the element (force skips Playwright's enabled wait).
    await page.locator('portico-object [role="option"]').first().click({ force: true });
    expect(await harnessEvents()).toEqual([]);
  });
});

describe("selections bar and error screens", () => {
  it("lists selections with per-field clear and clear all", async () => {
    await page.evaluate(() => window.harness.mountSelectionsBar({ Region: ["North", "East"], Year: [2024] }));
    expect(await page.locator("portico-selections-bar .chip").count()).toBe(2);
    await page.locator('portico-selections-bar button[aria-label="Clear selection in Year"]').click();
    await page.locator("portico-selections-bar button.clear-all").click();
    expect(await harnessEvents()).toEqual([
      { type: "portico-clear", detail: { field: "Year" } },
      { type: "portico-clear", detail: {} },
    ]);
  });

  it("explains each failure in English and German", async () => {
    for (const [code, en, de] of [
      ["NO_ACCESS_PASS", "No access pass", "Kein Zugangspass"],
      ["APP_NOT_FOUND", "App not available", "App nicht verfügbar"],
      ["ANONYMOUS_DISABLED", "Sign-in required", "Anmeldung erforderlich"],
      ["ORIGIN_NOT_ALLOWED", "Embedding not allowed", "Einbetten nicht erlaubt"],
      ["SESSION_EXPIRED", "Session expired", "Sitzung abgelaufen"],
      ["UNAVAILABLE", "Server unreachable", "Server nicht erreichbar"],
    ] as const) {
      await page.evaluate((c) => window.harness.mountErrorScreen(c, "en"), code);
      expect(await page.locator("portico-error-screen h1").textContent()).toBe(en);
      expect(await page.locator("portico-error-screen .card").getAttribute("role")).toBe("alert");
      await page.evaluate((c) => window.harness.mountErrorScreen(c, "de-DE"), code);
      expect(await page.locator("portico-error-screen h1").textContent()).toBe(de);
    }
  });

  it("dark theme changes the tokens the components read", async () => {
    await mount("total");
    const surface = () => page.locator("portico-object").evaluate((e) => getComputedStyle(e).backgroundColor);
    const light = await surface();
    await page.evaluate(() => window.harness.theme("dark"));
    expect(await surface()).not.toBe(light);
    await page.evaluate(() => window.harness.theme("light"));
    expect(await surface()).toBe(light);
  });
});
