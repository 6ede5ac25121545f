// The keyboard alone, in real Chromium, with the host page on one origin and the frame on the other: Tab
// enters and leaves the embed; a bar, a pie slice, a line point, a filter-pane value and a table cell are
// selected with arrows, type-ahead, Enter and Space, and the frame's selections (over the RPC, as the host
// sees them) say so; Escape leaves a chart; a selection chip is cleared from the keyboard.
import type { Frame } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useCityWorld } from "./support/a11y-fixture.js";

const { world, city } = useCityWorld();

/** Where the focus is inside `frame`, through the shadow roots: the element and its sheet object. */
function focused(frame: Frame) {
  return frame.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    let object: string | null = null;
    for (let n: Node | null = el; n; n = n instanceof ShadowRoot ? n.host : n.parentNode)
      if (n instanceof Element && n.localName === "portico-object") {
        object = n.getAttribute("data-object");
        break;
      }
    return {
      tag: el?.localName ?? "",
      role: el?.getAttribute("role") ?? "",
      label: el?.getAttribute("aria-label") ?? el?.textContent?.trim() ?? "",
      object,
    };
  });
}

/** The host page: a button, the city's sheet, another button. */
async function openSheet(): Promise<Frame> {
  await world.open(
    `/keys-${Math.random().toString(36).slice(2)}`,
    `<button id="before">Before</button>
     ${world.embed("city", { proxy: "anon", app: "spending", sheet: "overview", style: "height:1600px" }, city.server)}
     <button id="after">After</button>`,
  );
  await world.waitFor("portico-rendered", "city");
  const frame = await world.frameOf("city");
  await frame.waitForTimeout(300);
  await world.page.focus("#before");
  return frame;
}

/** Presses Tab until the focus inside the frame satisfies `done` (at most 60 times). */
async function tabTo(frame: Frame, done: (f: Awaited<ReturnType<typeof focused>>) => boolean) {
  for (let i = 0; i < 60; i++) {
    await world.page.keyboard.press("Tab");
    const now = await focused(frame);
    if (done(now)) return now;
  }
  throw new Error(`Tab never reached the element (last: ${JSON.stringify(await focused(frame))})`);
}

/** The frame's selections as the host reads them over the RPC. */
function frameSelections(): Promise<unknown> {
  return world.page.evaluate(() =>
    (
      document.getElementById("city") as unknown as { embedView: { getSelections(): Promise<unknown> } }
    ).embedView.getSelections(),
  );
}

async function expectSelections(expected: Record<string, unknown[]>) {
  await expect.poll(() => world.lastSelections(), { timeout: 10_000 }).toEqual(expected);
  expect(await frameSelections()).toEqual(expected);
}

/**
 * The id of the host page's focused element. Focus crossing into or out of the frame (another process)
 * arrives a moment after the key: while it is on its way the page's body holds it, so that is waited out.
 */
async function activeId(): Promise<string> {
  const read = () => world.page.evaluate(() => document.activeElement?.id ?? "");
  const end = Date.now() + 2000;
  let id = await read();
  while (id === "" && Date.now() < end) {
    await world.page.waitForTimeout(20);
    id = await read();
  }
  return id;
}

describe("the embed from the keyboard", () => {
  it("Tab enters the frame from the host page and leaves it to the host's next element; Shift+Tab back", async () => {
    const frame = await openSheet();
    await world.page.keyboard.press("Tab");
    expect(await activeId()).toBe("city");
    expect((await focused(frame)).tag).not.toBe("body");
    let inside = 1;
    while ((await activeId()) === "city") {
      await world.page.keyboard.press("Tab");
      inside += 1;
      if (inside > 80) throw new Error("Tab never left the frame");
    }
    expect(await activeId()).toBe("after");
    // Every chart is one tab stop (the bars, the slices and the points are reached with arrows).
    expect(inside).toBeLessThan(20);
    await world.page.keyboard.press("Shift+Tab");
    expect(await activeId()).toBe("city");
    let back = 1;
    while ((await activeId()) === "city" && back <= inside) {
      await world.page.keyboard.press("Shift+Tab");
      back += 1;
    }
    expect(await activeId()).toBe("before");
    expect(back).toBe(inside);
  });

  it("focus() on the element moves the focus into the frame; the next Tab reaches its first control", async () => {
    const frame = await openSheet();
    await world.page.evaluate(() => (document.getElementById("city") as HTMLElement).focus());
    expect(await world.page.evaluate(() => document.activeElement?.id)).toBe("city");
    await world.page.keyboard.press("Tab");
    expect(await world.page.evaluate(() => document.activeElement?.id)).toBe("city");
    expect((await focused(frame)).tag).not.toBe("body");
  });

  it("selects a bar: arrows move between bars, Enter selects; Escape leaves the chart", async () => {
    const frame = await openSheet();
    const bar = await tabTo(frame, (f) => f.object === "by-department" && f.tag === "rect");
    expect(bar.label).toMatch(/^Finance: \$11\.2M/);
    await world.page.keyboard.press("ArrowRight");
    expect((await focused(frame)).label).toMatch(/^Police: /);
    await world.page.keyboard.press("Enter");
    await expectSelections({ Department: ["Police"] });
    await expect.poll(async () => (await focused(frame)).label).toMatch(/^Police: .*, selected$/);
    await world.page.keyboard.press("Escape");
    expect((await focused(frame)).object).toBe(null);
    await world.page.keyboard.press("Tab");
    expect((await focused(frame)).object).not.toBe("by-department");
  });

  it("selects a pie slice with Space", async () => {
    const frame = await openSheet();
    const slice = await tabTo(frame, (f) => f.object === "by-fund" && f.tag === "path");
    expect(slice.label).toMatch(/^General: /);
    await world.page.keyboard.press("ArrowRight");
    await world.page.keyboard.press(" ");
    await expectSelections({ Fund: ["Capital"] });
  });

  it("selects a line point: End goes to the last month", async () => {
    const frame = await openSheet();
    await tabTo(frame, (f) => f.object === "by-month" && f.tag === "circle");
    await world.page.keyboard.press("End");
    expect((await focused(frame)).label).toMatch(/^Dec, Spend: /);
    await world.page.keyboard.press("Enter");
    await expectSelections({ Month: ["Dec"] });
  });

  it("selects filter-pane values: type-ahead finds a value, Space toggles, several at once", async () => {
    const frame = await openSheet();
    const listbox = await tabTo(frame, (f) => f.object === "filters" && f.role === "listbox");
    expect(listbox.role).toBe("listbox");
    await world.page.keyboard.type("pa");
    await world.page.keyboard.press(" ");
    await expectSelections({ Department: ["Parks"] });
    await world.page.waitForTimeout(600);
    await world.page.keyboard.type("w");
    await world.page.keyboard.press(" ");
    await expectSelections({ Department: ["Parks", "Water"] });
  });

  it("selects a table cell: the grid is one tab stop, arrows move from the header into the rows", async () => {
    const frame = await openSheet();
    const header = await tabTo(frame, (f) => f.object === "payments");
    expect(header).toMatchObject({ tag: "button", label: "Sort by Department" });
    await world.page.keyboard.press("ArrowDown");
    await world.page.keyboard.press("ArrowDown");
    expect(await focused(frame)).toMatchObject({ tag: "td", object: "payments" });
    const department = (await focused(frame)).label;
    await world.page.keyboard.press("Enter");
    await expectSelections({ Department: [department] });
    // The table redrew under the selection; the focus is still in its grid.
    await world.page.waitForTimeout(300);
    expect(await focused(frame)).toMatchObject({ tag: "td", object: "payments" });
    // The next Tab leaves the grid at once: to the pager, or (one page left under the selection) out of
    // the frame, the table being the sheet's last object.
    await world.page.keyboard.press("Tab");
    const next = await focused(frame);
    const onHost = await world.page.evaluate(() => document.activeElement?.id);
    expect(onHost === "after" || /page/i.test(next.label), JSON.stringify({ onHost, next })).toBe(true);
  });
});

describe("the selections bar from the keyboard", () => {
  it("clears a field's selection with its chip's button", async () => {
    const selections = encodeURIComponent(JSON.stringify({ Department: ["Parks"], Fund: ["General"] }));
    const page = world.page;
    await page.goto(
      `${city.server.url}/anon/embed?app=spending&sheet=overview&opt=currsel&selections=${selections}`,
    );
    await page.locator("portico-selections-bar .chip").first().waitFor();
    await page.keyboard.press("Tab");
    const clear = page.locator("portico-selections-bar button[aria-label='Clear selection in Department']");
    await expect.poll(() => clear.evaluate((b) => b.matches(":focus"))).toBe(true);
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("portico-selections-bar .chip").count()).toBe(1);
    // The live region said so, in the visitor's words.
    await expect
      .poll(() => page.locator("portico-frame-app [role=status]").first().textContent())
      .toContain("Selection in Department cleared");
  });
});
