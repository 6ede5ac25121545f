import { describe, expect, it } from "vitest";
import { diffSelections } from "./selections-diff.js";

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
