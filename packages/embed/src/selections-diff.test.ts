import { describe, expect, it } from "vitest";
import { diffSelections, pageChanges, sameSelections } from "./selections-diff.js";

describe("diffSelections", () => {
  it("is empty when nothing changed, whatever the value order", () => {
    expect(diffSelections({ Region: ["North", "South"] }, { Region: ["South", "North"] })).toEqual({
      select: [],
      clear: [],
    });
  });

  it("selects changed and new fields, clears removed ones", () => {
    expect(
      diffSelections(
        { Region: ["North"], Year: [2023], Product: ["A"] },
        { Region: ["South"], Year: [2023], Month: [1] },
      ),
    ).toEqual({
      select: [
        ["Region", ["South"]],
        ["Month", [1]],
      ],
      clear: ["Product"],
    });
  });

  it("treats an empty value list as a clear", () => {
    expect(diffSelections({ Region: ["North"] }, { Region: [] })).toEqual({ select: [], clear: ["Region"] });
    expect(diffSelections({}, { Region: [] })).toEqual({ select: [], clear: [] });
  });

  it("does not confuse a number with its string", () => {
    expect(diffSelections({ Year: [2024] }, { Year: ["2024"] }).select).toEqual([["Year", ["2024"]]]);
  });
});

describe("sameSelections", () => {
  it("compares by value: a new, equal object (a framework's re-render) is no change", () => {
    expect(sameSelections({}, {})).toBe(true);
    expect(sameSelections(undefined, {})).toBe(true);
    expect(sameSelections({ Year: [2021, 2022] }, { Year: [2022, 2021], Month: [] })).toBe(true);
    expect(sameSelections({ Year: [2021] }, { Year: ["2021"] })).toBe(false);
    expect(sameSelections({ Year: [2021] }, {})).toBe(false);
  });
});

describe("pageChanges", () => {
  it("applies only the fields the page changed, and keeps the visitor's selections on the others", () => {
    const frame = { Year: [2022] };
    expect(pageChanges({ Department: [] }, { Department: ["Parks"] }, frame)).toEqual({
      select: [["Department", ["Parks"]]],
      clear: [],
    });
    expect(pageChanges({ Department: ["Parks"] }, {}, { ...frame, Department: ["Parks"] })).toEqual({
      select: [],
      clear: ["Department"],
    });
  });

  it("asks nothing the frame already shows (a page echoing the frame's own event)", () => {
    expect(pageChanges({}, { Year: [2022] }, { Year: [2022] })).toEqual({ select: [], clear: [] });
    expect(pageChanges({ Year: [2022] }, {}, {})).toEqual({ select: [], clear: [] });
  });
});
