// Each object type rendered in real Chromium from real engine results (the same engine the server uses),
// driven by real pointer and keyboard input.
import type { QueryResult, Selections, SheetObjectDef } from "@portico/protocol";
import { resetMouse, sendKeys, sendMouse, setViewport } from "@web/test-runner-commands";
import { after, afterEach, before, describe, eventually, expect, it } from "../../../test/support/wtr.js";
import { FrameError } from "../src/errors/frame-error.js";
import { OVERVIEW, SECOND } from "../src/testing/spending-fixture.js";
import {
  centreOf,
  deep,
  deepAll,
  engineQuery,
  events,
  loadTheme,
  mountErrorScreen,
  mountObject,
  mountSelectionsBar,
  theme,
} from "./component-harness.js";

const objects = [...OVERVIEW.objects, ...SECOND.objects];
const def = (id: string) => objects.find((o) => o.id === id) as SheetObjectDef;

async function query(object: SheetObjectDef, selections: Selections = {}): Promise<QueryResult[]> {
  if (object.type === "filterpane")
    return Promise.all((object.fields ?? []).map((field) => engineQuery({ field, selections }, objects)));
  if (object.type === "text") return [];
  return [await engineQuery({ object: object.id, selections }, objects)];
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
  await mountObject({ def: object, results: await query(object, options.selections), ...options });
}

/** Elements under the mounted `<portico-object>`, shadow roots included. */
const inObject = (selector: string) => deepAll(selector, deep("portico-object"));
const firstInObject = (selector: string) => deep(selector, deep("portico-object"));
const texts = (els: Element[]) => els.map((el) => el.textContent ?? "");
/** The first element matching `selector` whose text contains `text`. */
const withText = (selector: string, text: string) => {
  const el = inObject(selector).find((e) => e.textContent?.includes(text));
  if (!el) throw new Error(`no ${selector} with text ${text}`);
  return el;
};

const click = (el: Element) => sendMouse({ type: "click", position: centreOf(el) });
const hover = (el: Element) => sendMouse({ type: "move", position: centreOf(el) });
const press = (key: string) => sendKeys({ press: key });
const objectUpdated = () =>
  (deep("portico-object") as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;

before(async () => {
  await setViewport({ width: 900, height: 700 });
  await loadTheme();
});

afterEach(() => resetMouse());

after(() => {
  document.body.replaceChildren();
});

describe("charts", () => {
  it("bar: one bar per value, readable ticks, an accessible name, click toggles a selection", async () => {
    await mount("by-department");
    expect(inObject("rect.mark").length).toBe(6);
    // Named by its title, described by its mark count and extremes.
    expect(firstInObject("svg.chart").getAttribute("aria-label")).toBe("Spend by department");
    expect(firstInObject("svg.chart desc#chart-description").textContent).toMatch(
      /^Spend by department, 6 bars, highest \w+ [\d.,]+[KM]?, lowest \w+ [\d.,]+[KM]?$/,
    );
    const ticks = texts(inObject(".axis .axis-label"));
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    // Ticks are short and round: "0", "500K", "1M" style, never long raw numbers.
    for (const tick of ticks) expect(tick).toMatch(/^-?[\d.]+[KMB]?$/);
    // Value labels do not overlap each other.
    const boxes = inObject(".value-label")
      .map((e) => e.getBoundingClientRect())
      .map((r) => [r.left, r.right]);
    for (let i = 1; i < boxes.length; i++)
      expect((boxes[i] as number[])[0]).toBeGreaterThanOrEqual((boxes[i - 1] as number[])[1] as number);
    await click(firstInObject('rect.mark[aria-label^="Roads"]'));
    expect(events).toEqual([{ type: "portico-select", detail: { field: "Department", value: "Roads" } }]);
  });

  it("bar: selected values stay bright and the others dim; Enter selects from the keyboard", async () => {
    await mount("by-department", { selections: { Department: ["Police"] } });
    expect(inObject("rect.mark.dim").length).toBe(0);
    // Not by colour alone: the selected bar is outlined and says so.
    const police = firstInObject("rect.mark.selected");
    expect(police.getAttribute("aria-label")).toMatch(/^Police: .+, selected$/);
    expect(getComputedStyle(police).strokeWidth).toBe("2px");
    // Under a selection the engine returns only the selected value; all bars shown are selected.
    await mount("by-department");
    (firstInObject("rect.mark") as SVGElement).focus();
    await press("ArrowRight");
    await press("Enter");
    const [event] = events;
    expect(event?.type).toBe("portico-select");
    const focused = deep("portico-object").shadowRoot?.activeElement?.getAttribute("aria-label") ?? "";
    const selected = event?.detail as { value: string };
    expect(focused.startsWith(selected.value)).toBe(true);
  });

  it("a top-N chart folds the rest into Others, named in the visitor's language, and not selectable", async () => {
    const topN = { ...def("by-department"), id: "top3", topN: 3 };
    const result = await engineQuery({ object: "top3" }, [topN]);
    await mountObject({ def: topN, results: [result], locale: "de-DE" });
    const labels = texts(inObject("text.axis-label"));
    expect(labels.map((l) => l.trim())).toContain("Andere");
    const others = firstInObject('rect.mark[aria-label^="Andere"]');
    expect(others.getAttribute("role")).toBe("img");
    await click(others);
    expect(events).toEqual([]);
  });

  it("shows the chart's data as a table on request, and the chart again", async () => {
    await mount("by-department");
    const toggle = firstInObject("button.table-toggle");
    expect(toggle.getAttribute("aria-pressed")).toBe("false");
    const bars = inObject("rect.mark").map((e) => e.getAttribute("aria-label"));
    await click(toggle);
    await objectUpdated();
    expect(firstInObject("button.table-toggle").getAttribute("aria-pressed")).toBe("true");
    expect(firstInObject("table caption").textContent?.trim()).toBe("Spend by department");
    const rows = inObject(".chart-table tbody tr").map((tr) =>
      [...tr.children].map((c) => c.textContent?.trim()).join(": "),
    );
    expect(rows).toEqual(bars);
    expect(inObject("svg.chart").length).toBe(0);
    await click(firstInObject("button.table-toggle"));
    await objectUpdated();
    expect(inObject("svg.chart").length).toBe(1);
  });

  it("grouped bars get a legend (more than one series)", async () => {
    await mount("region-year", { width: 900 });
    expect(texts(inObject(".legend-item")).map((t) => t.trim())).toEqual(["2022", "2023", "2024"]);
    expect(inObject("rect.mark").length).toBe(12);
  });

  it("line: a path and one point per month, dates in the locale, points select", async () => {
    await mount("trend", { width: 900, height: 300 });
    expect(inObject("path.line").length).toBe(1);
    expect(inObject("circle.mark").length).toBe(36);
    const labels = texts(inObject("text.axis-label"));
    expect(labels.some((l) => /Jan 1, 2022/.test(l))).toBe(true);
    await mount("trend", { width: 900, height: 300, locale: "de-DE" });
    const german = texts(inObject("text.axis-label"));
    expect(german.some((l) => /01\.01\.2022/.test(l))).toBe(true);
    await click(inObject("circle.mark")[2] as Element);
    expect(events[0]).toEqual({ type: "portico-select", detail: { field: "Month", value: "2022-03-01" } });
  });

  it("pie: slices with shares, a legend, and a tooltip on hover", async () => {
    await mount("by-region", { width: 420, height: 280 });
    expect(inObject("path.slice").length).toBe(4);
    const shares = texts(inObject("text.slice-label"));
    expect(shares.every((s) => /%$/.test(s))).toBe(true);
    expect(inObject(".legend text").length).toBe(4);
    await hover(firstInObject("path.slice"));
    await eventually(() => expect(firstInObject(".tooltip").textContent).toMatch(/\d/));
  });

  it("kpi: the total in the locale's format", async () => {
    await mount("total");
    const [result] = await query(def("total"));
    const total = (result as { totals: number[] }).totals[0] as number;
    expect(firstInObject(".kpi-value").textContent).toBe(
      new Intl.NumberFormat("en", { maximumFractionDigits: 2 }).format(total),
    );
    await mount("total", { locale: "de-DE" });
    expect(firstInObject(".kpi-value").textContent).toBe(
      new Intl.NumberFormat("de-DE", { maximumFractionDigits: 2 }).format(total),
    );
  });

  it("text: plain text, no markup interpreted", async () => {
    await mountObject({ def: { ...def("about"), text: "<img src=x onerror=alert(1)> plain" }, results: [] });
    expect(firstInObject("p.text").textContent).toBe("<img src=x onerror=alert(1)> plain");
    expect(inObject("img").length).toBe(0);
  });
});

describe("failed queries", () => {
  it("say what happened in the visitor's language; a code without words of its own keeps the server's message", async () => {
    const bar = objects.find((o) => o.type === "bar") as SheetObjectDef;
    const failed = (code: string, message: string) =>
      [new FrameError(code as never, message, 503)] as unknown as QueryResult[];
    await mountObject({
      def: bar,
      results: failed("QUERY_TIMEOUT", "The query took too long"),
      locale: "de",
    });
    expect(firstInObject(".message.error").textContent).toContain(
      "Berechnung zu lang: Die Berechnung dieser Ansicht",
    );
    await mountObject({ def: bar, results: failed("BUSY", "The server is busy") });
    expect(firstInObject(".message.error").textContent).toContain(
      "Server busy: The server is busy with other visitors",
    );
    await mountObject({ def: bar, results: failed("EXPRESSION_SYNTAX", "Sum( at line 1, column 5") });
    expect(firstInObject(".message.error").textContent).toContain(
      "Something went wrong: Sum( at line 1, column 5",
    );
  });
});

describe("table", () => {
  it("sortable headers and paging ask for new data; cells select", async () => {
    await mount("detail", { width: 800, height: 400 });
    expect(texts(inObject("thead th")).map((t) => t.trim())).toEqual([
      "Department",
      "Region",
      "Spend",
      "Payments",
    ]);
    expect(inObject("tbody tr").length).toBe(23);
    await click(withText("th button", "Spend"));
    expect(events[0]).toEqual({
      type: "portico-table-change",
      detail: { objectId: "detail", sort: { column: 2, descending: true }, offset: 0 },
    });
    (firstInObject("tbody td.selectable") as HTMLElement).focus();
    await press("Enter");
    expect(events[1]?.type).toBe("portico-select");
  });

  it("fits four columns in a phone-width card, and scrolls what does not fit", async () => {
    const widths = () => {
      const scroll = firstInObject("portico-table").shadowRoot?.querySelector(".scroll") as HTMLElement;
      return { content: scroll.scrollWidth, box: scroll.clientWidth };
    };
    await mount("detail", { width: 380, height: 400 });
    const narrow = widths();
    expect(narrow.content).toBeLessThanOrEqual(narrow.box);
    // Narrower than its columns can go: the table scrolls inside its card instead of spilling out.
    await mount("detail", { width: 240, height: 400 });
    const tight = widths();
    expect(tight.content).toBeGreaterThan(tight.box);
    const object = deep("portico-object");
    expect(object.scrollWidth <= object.clientWidth).toBe(true);
  });
});

describe("filter pane", () => {
  it("shows selected, possible, alternative and excluded values in their colours", async () => {
    const selections = { Region: ["West"] };
    await mount("filters", { selections, height: 500 });
    const state = (text: string) => withText('[role="option"]', text).getAttribute("data-state");
    expect(state("West")).toBe("selected");
    expect(state("North")).toBe("alternative");
    expect(state("2023")).toBe("possible");
    const colour = (text: string) => getComputedStyle(withText('[role="option"]', text)).backgroundColor;
    expect(colour("West")).toBe("rgb(0, 122, 56)");
    expect(colour("2023")).toBe("rgb(255, 255, 255)");
    expect(colour("North")).toBe("rgb(228, 228, 228)");
    // Schools never spend in the West: with Schools selected elsewhere, West is excluded, dark grey.
    await mount("filters", { selections: { Department: ["Schools"] }, height: 500 });
    expect(state("West")).toBe("excluded");
    expect(colour("West")).toBe("rgb(169, 169, 169)");
  });

  it("is a keyboard listbox: arrows move, Space toggles", async () => {
    await mount("filters", { height: 500 });
    const listbox = deep('[role="listbox"]', firstInObject("portico-listbox")) as HTMLElement;
    expect(listbox.getAttribute("aria-multiselectable")).toBe("true");
    listbox.focus();
    await press("ArrowDown");
    await press(" ");
    expect(events[0]).toEqual({ type: "portico-select", detail: { field: "Year", value: 2023 } });
  });

  it("does not select when selections are off", async () => {
    await mount("filters", { height: 500, selectable: false });
    // aria-disabled: a real click still reaches the element.
    await click(firstInObject('[role="option"]'));
    expect(events).toEqual([]);
  });
});

describe("selections bar and error screens", () => {
  it("lists selections with per-field clear and clear all", async () => {
    const bar = await mountSelectionsBar({ Region: ["North", "East"], Year: [2024] });
    expect(deepAll(".chip", bar).length).toBe(2);
    await click(deep('button[aria-label="Clear selection in Year"]', bar));
    await click(deep("button.clear-all", bar));
    expect(events).toEqual([
      { type: "portico-clear", detail: { field: "Year" } },
      { type: "portico-clear", detail: {} },
    ]);
  });

  it("explains each failure in English and German", async () => {
    for (const [code, en, de] of [
      [
        "NO_ACCESS_PASS",
        "This dashboard isn't available right now",
        "Dieses Dashboard ist gerade nicht verfügbar",
      ],
      ["APP_NOT_FOUND", "App not available", "App nicht verfügbar"],
      ["ANONYMOUS_DISABLED", "Sign-in required", "Anmeldung erforderlich"],
      ["ORIGIN_NOT_ALLOWED", "Embedding not allowed", "Einbetten nicht erlaubt"],
      ["SESSION_EXPIRED", "Session expired", "Sitzung abgelaufen"],
      ["UNAVAILABLE", "Server unreachable", "Server nicht erreichbar"],
    ] as const) {
      const screen = await mountErrorScreen(code, "en");
      expect(deep("h1", screen).textContent).toBe(en);
      expect(deep(".card", screen).getAttribute("role")).toBe("alert");
      const german = await mountErrorScreen(code, "de-DE");
      expect(deep("h1", german).textContent).toBe(de);
    }
  });

  it("dark theme changes the tokens the components read", async () => {
    await mount("total");
    const surface = () => getComputedStyle(deep("portico-object")).backgroundColor;
    const light = surface();
    theme("dark");
    expect(surface()).not.toBe(light);
    theme("light");
    expect(surface()).toBe(light);
  });
});
