import { describe, expect, it } from "vitest";
import { RawTable } from "./raw-table.js";

/** Each row's raw value in column 0. */
function column(raw: RawTable): unknown[] {
  return Array.from(raw.codes[0]!.subarray(0, raw.rowCount), (code) => raw.localValues[0]![code]);
}

describe("RawTable", () => {
  it("renumbers codes given in a dictionary's order by the rows' order, leaving out values no row holds", () => {
    const raw = new RawTable("t", ["Kind"]);
    // A dictionary page lists "c", "b", "a", "unused"; the rows hold b, a, b, null, c.
    const [c, b, a] = ["c", "b", "a", "unused"].map((value) => raw.codeOf(0, value));
    raw.reserve(5);
    raw.addCodes(0, 0, [b, a]);
    raw.addCodes(0, 2, [b, undefined, c]);
    raw.rowCount = 5;
    raw.orderByRows(0);
    expect(raw.localValues[0]).toEqual([null, "b", "a", "c"]);
    expect(column(raw)).toEqual(["b", "a", "b", null, "c"]);
    // Codes found afterwards follow on.
    expect(raw.codeOf(0, "a")).toBe(2);
    expect(raw.codeOf(0, "d")).toBe(4);
  });

  it("leaves codes that came in the rows' order as they are", () => {
    const raw = new RawTable("t", ["Kind"]);
    raw.reserve(4);
    raw.addCodes(0, 0, [raw.codeOf(0, "x"), 0, raw.codeOf(0, "y"), 1]);
    raw.rowCount = 4;
    const codes = raw.codes[0];
    raw.orderByRows(0);
    expect(raw.codes[0]).toBe(codes);
    expect(raw.localValues[0]).toEqual([null, "x", "y"]);
    expect(column(raw)).toEqual(["x", null, "y", "x"]);
  });

  it("codes a cell given as a value rather than a code", () => {
    const raw = new RawTable("t", ["Kind"]);
    raw.reserve(3);
    raw.addCodes(0, 0, [raw.codeOf(0, "x"), "z" as unknown as number, null]);
    raw.rowCount = 3;
    expect(column(raw)).toEqual(["x", "z", null]);
  });
});
