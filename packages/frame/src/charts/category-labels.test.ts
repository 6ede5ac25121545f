import { describe, expect, it } from "vitest";
import { CATEGORY_FONT_PX, layoutCategoryLabels } from "./category-labels.js";
import { textWidth } from "./chart-context.js";

const BRANCHES = [
  "Main Library",
  "Northside Branch",
  "Riverside Reading Room",
  "Eastgate Community Library",
  "Harbour View Library",
  "Mobile Library",
  "Westfield Children's Library",
];

describe("layoutCategoryLabels", () => {
  it("keeps labels horizontal and whole when each fits its slot", () => {
    const layout = layoutCategoryLabels(["Jan", "Feb", "Mar"], 60, 300);
    expect(layout).toMatchObject({ angle: 0, texts: ["Jan", "Feb", "Mar"], step: 1 });
  });

  it("wraps a label onto a second line at a space before slanting it", () => {
    const layout = layoutCategoryLabels(["Westfield Children's Library", "Main Library"], 150, 300);
    expect(layout).toMatchObject({ angle: 0, step: 1, heightPx: 35 });
    expect(layout.lines).toEqual([["Westfield Children's", "Library"], ["Main Library"]]);
    expect(layoutCategoryLabels(["Westfield Children's Library"], 60, 300).angle).toBe(-45);
  });

  it("slants long labels instead of dropping any, shortening only what the height cannot hold", () => {
    const layout = layoutCategoryLabels(BRANCHES, 78, 370);
    expect(layout.angle).toBe(-45);
    expect(layout.step).toBe(1);
    expect(layout.texts).toHaveLength(7);
    expect(layout.texts[0]).toBe("Main Library");
    for (const [i, text] of layout.texts.entries()) {
      if (text.endsWith("…")) expect(BRANCHES[i]?.startsWith(text.slice(0, -1))).toBe(true);
      else expect(text).toBe(BRANCHES[i]);
    }
    // At most 40 % of the chart's height.
    expect(layout.heightPx).toBeLessThanOrEqual(370 * 0.4 + 1);
  });

  it("shortens more in a low chart, and stands labels upright when slanted ones would touch", () => {
    const low = layoutCategoryLabels(BRANCHES, 78, 160);
    expect(low.angle).toBe(-45);
    expect(Math.max(...low.texts.map((t) => textWidth(t, CATEGORY_FONT_PX)))).toBeLessThan(
      Math.max(...BRANCHES.map((b) => textWidth(b, CATEGORY_FONT_PX))),
    );
    const days = Array.from({ length: 31 }, (_, i) => `2024-01-${String(i + 1).padStart(2, "0")}`);
    const dense = layoutCategoryLabels(days, 14, 300);
    expect(dense).toMatchObject({ angle: -90, step: 1 });
    expect(dense.texts).toEqual(days);
  });

  it("steps over labels only when even upright ones would overlap", () => {
    const many = Array.from({ length: 200 }, (_, i) => `Item ${i}`);
    const layout = layoutCategoryLabels(many, 3, 300);
    expect(layout.angle).toBe(-90);
    expect(layout.step).toBe(5);
  });
});

describe("renderCategoryLabels", () => {
  it("shortens a slanted label near the chart's left edge instead of letting the edge cut it", async () => {
    const { renderCategoryLabels } = await import("./category-labels.js");
    const layout = layoutCategoryLabels(BRANCHES, 78, 370);
    const [first, second] = renderCategoryLabels(layout, BRANCHES, (i) => 40 + i * 78, 300);
    const textOf = (t: unknown) =>
      (t as { values: unknown[] }).values.filter((v) => typeof v === "string").at(-1);
    const firstText = textOf(first) as string;
    expect(firstText.endsWith("…")).toBe(true);
    expect(textWidth(firstText, CATEGORY_FONT_PX) * Math.SQRT1_2).toBeLessThanOrEqual(40);
    expect(textOf(second)).toBe(layout.texts[1]);
  });
});
