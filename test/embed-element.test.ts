// What the element offers a page beyond showing the view, with the real frame and server in real Chromium
// (host page on http://localhost:<port>, server on http://127.0.0.1:<port>): its lifecycle events as DOM
// events, the accent colour token reaching the charts, and selections shared by a selection group.
import type { Frame } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFrameBuild } from "./support/build-bundles.js";
import { startDemoPortico } from "./support/demo-portico.js";
import { useEmbedWorld } from "./support/embed-world.js";
import type { PorticoTestServer } from "./support/portico-server.js";

const world = useEmbedWorld(ensureFrameBuild);
let demo: PorticoTestServer;
beforeAll(async () => {
  demo = await startDemoPortico(world.host.origin, await ensureFrameBuild());
});
afterAll(async () => {
  await demo?.close();
});

const element = (id: string, attributes: Record<string, string>) =>
  world.embed(id, { proxy: "anon", app: "spending", style: "height:600px", ...attributes });
const kpi = async (frame: Frame) => (await frame.locator(".kpi-value").first().textContent())?.trim();

describe("element events", () => {
  it("fires portico-rendered, portico-session-expiring and portico-session-recovered on the element", async () => {
    await world.page.clock.install();
    await world.open("/events", element("a", { sheet: "overview", selections: '{"Region":["East"]}' }));
    const rendered = await world.waitFor("portico-rendered", "a");
    expect(rendered.detail).toMatchObject({ sheet: "overview", objects: expect.any(Number) });
    const frame = await world.frameOf("a");
    await expect.poll(() => kpi(frame)).toBe("400");

    // A minute before the 30 minutes of inactivity run out, the frame warns.
    await world.page.clock.fastForward(29 * 60_000 + 1_000);
    const expiring = await world.waitFor("portico-session-expiring", "a");
    expect(Date.parse((expiring.detail as { expiresAt: string }).expiresAt)).not.toBeNaN();

    // The server ends it; the visitor's next action recovers it with the selections.
    world.portico.advance(31 * 60_000);
    await world.page.clock.fastForward(2 * 60_000);
    await frame.getByRole("option", { name: /North/ }).click();
    const recovered = await world.waitFor("portico-session-recovered", "a");
    expect(recovered.detail).toMatchObject({
      sheet: "overview",
      selections: { Region: expect.arrayContaining(["East"]) },
    });
  });
});

describe("theme tokens", () => {
  it("--portico-accent recolours the charts (the first series follows it)", async () => {
    await world.open(
      "/accent",
      world.embed("a", { proxy: "anon", app: "spending", sheet: "overview", style: "height:700px" }, demo),
      {
        script: `customElements.whenDefined("portico-embed").then(() => {
          document.getElementById("a").theme = { base: "light", tokens: { "--portico-accent": "#ff0000" } };
        });`,
      },
    );
    await world.waitFor("portico-rendered", "a");
    const frame = await world.frameOf("a");
    const fill = () =>
      frame.evaluate(() => {
        const find = (root: Document | ShadowRoot): Element | undefined => {
          const hit = root.querySelector("rect[data-mark], path.line, rect.bar");
          if (hit) return hit;
          for (const el of root.querySelectorAll("*")) {
            const inner = el.shadowRoot && find(el.shadowRoot);
            if (inner) return inner;
          }
          return undefined;
        };
        const mark = find(document);
        return mark ? getComputedStyle(mark).fill : undefined;
      });
    await expect.poll(fill).toBe("rgb(255, 0, 0)");
  });
});

describe("selection groups", () => {
  it("embeds of one app with the same selection-group share selections; others keep their own", async () => {
    await world.open(
      "/group",
      element("a", { sheet: "overview", "selection-group": "spending" }) +
        element("b", { sheet: "overview", "selection-group": "spending" }) +
        element("c", { sheet: "overview" }),
    );
    await world.readyUsers("a", "b", "c");
    const [a, b, c] = [await world.frameOf("a"), await world.frameOf("b"), await world.frameOf("c")];
    for (const frame of [a, b, c]) await expect.poll(() => kpi(frame)).toBe("750");

    await a.getByRole("option", { name: /North/ }).click();
    await expect.poll(() => kpi(a)).toBe("100");
    await expect.poll(() => kpi(b)).toBe("100");
    // And back: a click in b filters a too.
    await b.getByRole("option", { name: /South/ }).click();
    await expect.poll(() => kpi(a)).toBe("350");
    await expect.poll(() => kpi(b)).toBe("350");
    // Not in the group (off by default): untouched.
    expect(await kpi(c)).toBe("750");
  });

  it("a year picked in a sheet embed filters a single chart of the group, not one outside it; and back", async () => {
    const demoEmbed = (id: string, attributes: Record<string, string>) =>
      world.embed(id, { proxy: "anon", app: "spending", ...attributes }, demo);
    await world.open(
      "/group-object",
      demoEmbed("sheet", { sheet: "overview", "selection-group": "city", style: "height:700px" }) +
        demoEmbed("chart", { object: "by-department", "selection-group": "city", style: "height:360px" }) +
        demoEmbed("alone", { object: "by-department", style: "height:360px" }),
    );
    await world.readyUsers("sheet", "chart", "alone");
    const [sheet, chart, alone] = [
      await world.frameOf("sheet"),
      await world.frameOf("chart"),
      await world.frameOf("alone"),
    ];
    /** The bars of a frame's chart as it reads them out: category and value. */
    const bars = (frame: Frame) =>
      frame.locator("rect[data-mark]").evaluateAll((els) => els.map((e) => e.getAttribute("aria-label")));
    await expect.poll(async () => (await bars(chart)).length).toBeGreaterThan(3);
    const allYears = await bars(chart);
    await expect.poll(() => bars(alone)).toEqual(allYears);
    const total = await kpi(sheet);

    await sheet.getByRole("option", { name: /2023/ }).click();
    await expect.poll(() => kpi(sheet)).not.toBe(total);
    await expect.poll(() => bars(chart)).not.toEqual(allYears);
    // The group has reached its chart; the chart outside it still shows every year.
    expect(await bars(alone)).toEqual(allYears);

    // A bar clicked in the single chart filters the sheet.
    const before = await kpi(sheet);
    await chart.locator("rect[data-mark]").first().click();
    await expect.poll(() => kpi(sheet)).not.toBe(before);
    expect(await bars(alone)).toEqual(allYears);
  });
});
