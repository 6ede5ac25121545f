// Charts, tables and single objects as a public library's site shows them: the real frame and server, the
// host page on localhost and the server on 127.0.0.1, in real Chromium (screenshots: support/screenshot.ts).
import type { SheetObjectDef } from "@portico/protocol";
import type { Frame, Locator } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFrameBuild } from "./support/build-bundles.js";
import { useEmbedWorld } from "./support/embed-world.js";
import { e2eConfig, type PorticoTestServer, startPortico } from "./support/portico-server.js";
import { screenshot } from "./support/screenshot.js";

const world = useEmbedWorld(ensureFrameBuild);

const BRANCHES = [
  "Central Library",
  "Northside Branch",
  "Riverside Reading Room",
  "Eastgate Community Library",
  "Old Town Branch",
  "Harbour View Library",
  "Westfield Children's Library",
];
// A fiscal year, as a finance export lists it: neither calendar nor alphabetical order.
const MONTHS = ["Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun"];
const WOCHENTAGE = ["Freitag", "Montag", "Sonntag", "Mittwoch", "Samstag", "Dienstag", "Donnerstag"];

/** 7 branches x 12 months x 3 survey rows; each month's Satisfaction averages to 81.9666... */
const LIBRARY_CSV = [
  "Branch,Month,Wochentag,Loans,Satisfaction",
  ...BRANCHES.flatMap((branch, b) =>
    MONTHS.flatMap((month, m) =>
      [81.9, 82, 82].map(
        (score, w) =>
          `"${branch}",${month},${WOCHENTAGE[(b + m + w) % 7]},${40 + b * 12 + ((m + 6) % 12) * 4 + w},${score}`,
      ),
    ),
  ),
].join("\n");

const at = (col: number, row: number, width: number, height: number) => ({ col, row, width, height });
const LIBRARY_OBJECTS: SheetObjectDef[] = [
  {
    id: "by-branch",
    type: "bar",
    title: "Loans by branch",
    dimensions: ["Branch"],
    measures: ["Sum(Loans)"],
    position: at(0, 0, 12, 8),
  },
  {
    id: "by-month",
    type: "line",
    title: "Loans by month",
    dimensions: ["Month"],
    measures: ["Sum(Loans)"],
    position: at(12, 0, 12, 8),
  },
  {
    id: "detail",
    type: "table",
    title: "Detail",
    dimensions: ["Branch", "Month"],
    measures: ["Sum(Loans)", { expression: "Avg(Satisfaction)", label: "Satisfaction" }],
    position: at(0, 8, 24, 8),
  },
];

let library: PorticoTestServer;
async function startLibrary(objects: SheetObjectDef[], options: { inactivityMinutes?: number } = {}) {
  const yaml = await e2eConfig([world.host.origin], { overviewObjects: objects, ...options });
  // Visitors may download what they see (the `exportdata` action on the app's objects).
  const exporting = yaml.replace(
    /actions: \[read\]\n(\s+)condition: \(resource\.resourcetype = "App"/,
    'actions: [read, exportdata]\n$1condition: (resource.resourcetype = "App"',
  );
  if (exporting === yaml) throw new Error("the e2e config's Stream rule has changed");
  return startPortico({
    yaml: exporting,
    frame: await ensureFrameBuild(),
    files: { "spending.csv": LIBRARY_CSV },
  });
}
beforeAll(async () => {
  library = await startLibrary(LIBRARY_OBJECTS);
});
afterAll(async () => {
  await library?.close();
});

const sheetEmbed = (style: string, extra: Record<string, string> = {}) =>
  world.embed("lib", { proxy: "anon", app: "spending", sheet: "overview", style, ...extra }, library);

async function openRendered(body: string): Promise<Frame> {
  await world.open(`/page-${Math.random().toString(36).slice(2)}`, body);
  await world.waitFor("portico-ready", "lib");
  const frame = await world.frameOf("lib");
  await expect.poll(() => frame.locator("svg.chart, table").count(), { timeout: 15_000 }).toBeGreaterThan(0);
  // The charts draw at their measured size on the next frames.
  await frame.waitForTimeout(300);
  return frame;
}

/** The category labels under a chart's plot, in drawing order: what is drawn and the full text. */
function categoryLabels(object: Locator) {
  // Direct children of the chart's svg (the value axis's labels sit in a group of their own).
  return object.locator("svg.chart > text.axis-label").evaluateAll((els) =>
    els.map((e) => ({
      drawn: e.textContent?.replace(e.querySelector("title")?.textContent ?? "", "").trim() ?? "",
      full: (
        e.querySelector("title")?.textContent ??
        e.getAttribute("aria-label") ??
        e.textContent ??
        ""
      ).trim(),
      x: Number(e.getAttribute("x")),
      angle: Number(/rotate\((-?[\d.]+)/.exec(e.getAttribute("transform") ?? "")?.[1] ?? 0),
      box: (() => {
        const r = e.getBoundingClientRect();
        return { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      })(),
    })),
  );
}

describe("a single object", () => {
  it("fills an element of 360 px instead of its sheet grid height", async () => {
    const frame = await openRendered(
      world.embed(
        "lib",
        { proxy: "anon", app: "spending", object: "by-branch", style: "height:360px" },
        library,
      ),
    );
    const object = frame.locator("portico-object");
    await expect.poll(() => object.locator("svg.chart").count()).toBe(1);
    const box = await object.evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, viewport: window.innerHeight };
    });
    expect(box.viewport).toBe(360);
    expect(box.bottom).toBeLessThanOrEqual(360);
    expect(box.bottom - box.top).toBeGreaterThan(300);
    // Nothing cut off: the chart's svg ends inside the card, and every branch has its label.
    const svgBottom = await object.locator("svg.chart").evaluate((e) => e.getBoundingClientRect().bottom);
    expect(svgBottom).toBeLessThanOrEqual(box.bottom);
    expect((await categoryLabels(object)).map((l) => l.full)).toHaveLength(BRANCHES.length);
    await screenshot(world.page, "single-object-360px");
  });

  it("with auto-resize takes a default aspect ratio from the page's width", async () => {
    await world.open(
      "/single-auto",
      `<div style="width:800px">${world.embed(
        "lib",
        { proxy: "anon", app: "spending", object: "by-month", "auto-resize": "" },
        library,
      )}</div>`,
    );
    await world.waitFor("portico-ready", "lib");
    const frame = await world.frameOf("lib");
    await expect.poll(() => frame.locator("portico-object svg.chart").count()).toBe(1);
    await world.page.waitForTimeout(300);
    const height = await world.page.evaluate(
      () => document.getElementById("lib")?.getBoundingClientRect().height,
    );
    expect(height).toBeGreaterThan(440);
    expect(height).toBeLessThan(460);
    const objectBottom = await frame
      .locator("portico-object")
      .evaluate((e) => ({ bottom: e.getBoundingClientRect().bottom, viewport: window.innerHeight }));
    expect(objectBottom.bottom).toBeLessThanOrEqual(objectBottom.viewport);
  });
});

describe("charts", () => {
  it("orders month names by the calendar on the line chart, in load order otherwise", async () => {
    const frame = await openRendered(sheetEmbed("height:1000px"));
    const labels = await categoryLabels(frame.locator("portico-object[data-object=by-month]"));
    expect(labels.map((l) => l.full)).toEqual([
      "Jan",
      "Feb",
      "Mar",
      "Apr",
      "May",
      "Jun",
      "Jul",
      "Aug",
      "Sep",
      "Oct",
      "Nov",
      "Dec",
    ]);
    await screenshot(frame.locator("portico-object[data-object=by-month]"), "line-chart-months");
  });

  it("shows every one of the bar chart's 7 labels at 1280 px, none overlapping, full text on hover", async () => {
    expect(world.page.viewportSize()?.width).toBe(1280);
    const frame = await openRendered(sheetEmbed("height:1000px"));
    const bar = frame.locator("portico-object[data-object=by-branch]");
    const labels = await categoryLabels(bar);
    expect(labels.map((l) => l.full).sort()).toEqual([...BRANCHES].sort());
    for (const label of labels) expect(label.drawn.length).toBeGreaterThan(0);
    // Legible: horizontal labels' boxes do not overlap; rotated ones run parallel at least a line apart.
    for (let i = 1; i < labels.length; i++) {
      const [a, b] = [labels[i - 1]!, labels[i]!];
      if (b.angle === 0)
        expect(Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left)).toBeLessThan(1);
      else expect((b.x - a.x) * Math.abs(Math.sin((b.angle * Math.PI) / 180))).toBeGreaterThanOrEqual(11);
    }
    // Inside the card: nothing cut off at its bottom.
    const cardBottom = await bar.evaluate((e) => e.getBoundingClientRect().bottom);
    for (const label of labels) expect(label.box.bottom).toBeLessThanOrEqual(cardBottom);
    // Assistive technology gets the whole name of an abbreviated label.
    for (const label of labels.filter((l) => l.drawn.endsWith("…")))
      expect(label.full.startsWith(label.drawn.slice(0, -1))).toBe(true);
    await screenshot(bar, "bar-chart-1280px");
  });

  it("exports CSV in the chart's order with numbers at the measure's precision", async () => {
    await openRendered(sheetEmbed("height:1000px"));
    const file = (await world.page.evaluate(() =>
      (
        document.getElementById("lib") as unknown as {
          embedView: { exportData(id: string, format: string): Promise<{ content: string }> };
        }
      ).embedView.exportData("detail", "csv"),
    )) as { content: string };
    const lines = file.content.trim().split("\r\n");
    expect(lines[0]).toBe("Branch,Month,Sum(Loans),Satisfaction");
    expect(lines.slice(1, 4).map((l) => l.split(",")[1])).toEqual(["Jan", "Feb", "Mar"]);
    expect(file.content).not.toMatch(/\d\.\d{3,}/);
    expect(file.content).toMatch(/,81\.97\r\n/);
  });

  it("takes a dimension's sort from the sheet config: German weekdays by number, branches by a measure", async () => {
    const sorted = await startLibrary([
      {
        id: "by-day",
        type: "bar",
        title: "Loans by weekday",
        dimensions: [{ field: "Wochentag", sort: "number" }],
        measures: ["Sum(Loans)"],
        position: at(0, 0, 24, 8),
      },
      {
        id: "by-branch",
        type: "line",
        title: "Least loans first",
        dimensions: [{ field: "Branch", sort: { by: "measure", measure: "Sum(Loans)" } }],
        measures: ["Sum(Loans)"],
        position: at(0, 8, 24, 8),
      },
    ]);
    try {
      await world.open(
        "/sorted",
        world.embed(
          "lib",
          { proxy: "anon", app: "spending", sheet: "overview", style: "height:900px" },
          sorted,
        ),
      );
      await world.waitFor("portico-ready", "lib");
      const frame = await world.frameOf("lib");
      const day = frame.locator("portico-object[data-object=by-day]");
      await expect.poll(async () => (await categoryLabels(day)).length).toBe(7);
      expect((await categoryLabels(day)).map((l) => l.full)).toEqual([
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
        "Sonntag",
      ]);
      const branches = (await categoryLabels(frame.locator("portico-object[data-object=by-branch]"))).map(
        (l) => l.full,
      );
      expect(branches).toEqual(BRANCHES);
    } finally {
      await sorted.close();
    }
  });
});

describe("small screens and banners", () => {
  it("keeps a table usable on a 375 px phone: every column on screen, the last row reachable", async () => {
    await world.page.setViewportSize({ width: 375, height: 740 });
    const frame = await openRendered(sheetEmbed("height:1400px"));
    const table = frame.locator("portico-object[data-object=detail]");
    await table.scrollIntoViewIfNeeded();
    // Playwright's locators reach into the open shadow roots.
    const scroll = table.locator("portico-table .scroll");
    // Four columns fit a phone's width: nothing to scroll sideways to, no header cut off.
    expect(await scroll.evaluate((e) => e.scrollWidth - e.clientWidth)).toBeLessThanOrEqual(1);
    const card = await table.evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { right: r.right, bottom: r.bottom, viewport: window.innerWidth };
    });
    // The card stays on the phone's screen and holds the scroll area and the pager.
    expect(card.right).toBeLessThanOrEqual(card.viewport);
    for (const part of [scroll, table.locator("portico-table .pager")]) {
      const box = await part.evaluate((e) => e.getBoundingClientRect().toJSON() as DOMRect);
      expect(box.bottom).toBeLessThanOrEqual(card.bottom);
      expect(box.right).toBeLessThanOrEqual(card.right);
    }
    // Scrolled to the far corner (what a visitor's finger does), the last row and column are in view.
    const corner = await scroll.evaluate((e) => {
      e.scrollTop = e.scrollHeight;
      e.scrollLeft = e.scrollWidth;
      const box = e.getBoundingClientRect();
      const cell = [...e.querySelectorAll("tr")]
        .at(-1)
        ?.querySelector("td:last-child")
        ?.getBoundingClientRect();
      return { box: box.toJSON() as DOMRect, cell: cell?.toJSON() as DOMRect | undefined };
    });
    expect(corner.cell).toBeDefined();
    expect(corner.cell!.bottom).toBeLessThanOrEqual(corner.box.bottom + 1);
    expect(corner.cell!.right).toBeLessThanOrEqual(corner.box.right + 1);
    expect(corner.cell!.left).toBeGreaterThanOrEqual(corner.box.left - 1);
    await scroll.evaluate((e) => e.scrollTo(0, 0));
    await screenshot(table, "table-375px");
  });

  it("overlays the session-expiry banner without moving the dashboard", async () => {
    const short = await startLibrary(LIBRARY_OBJECTS, { inactivityMinutes: 1 });
    try {
      await world.page.clock.install();
      await world.open(
        "/expiring",
        world.embed(
          "lib",
          { proxy: "anon", app: "spending", sheet: "overview", style: "height:900px" },
          short,
        ),
      );
      await world.waitFor("portico-ready", "lib");
      const frame = await world.frameOf("lib");
      const bar = frame.locator("portico-object[data-object=by-branch]");
      await expect.poll(() => bar.locator("svg.chart").count()).toBe(1);
      const before = await bar.evaluate((e) => e.getBoundingClientRect().top);
      // A fifth of a minute before the end, the frame warns.
      await world.page.clock.fastForward(50_000);
      const banner = frame.locator(".banner");
      await expect.poll(() => banner.count()).toBe(1);
      expect(await banner.isVisible()).toBe(true);
      const after = await bar.evaluate((e) => e.getBoundingClientRect().top);
      expect(after).toBe(before);
    } finally {
      await short.close();
    }
  });
});
