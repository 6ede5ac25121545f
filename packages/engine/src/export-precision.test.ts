import { describe, expect, it } from "vitest";
import { exportNumber, formatDecimals } from "./export-precision.js";

describe("export precision", () => {
  it("reads the decimals a d3 format fixes", () => {
    expect(formatDecimals(",.1f")).toBe(1);
    expect(formatDecimals(".0f")).toBe(0);
    expect(formatDecimals("f")).toBe(6);
    expect(formatDecimals(".1%")).toBe(3);
    expect(formatDecimals(",d")).toBe(0);
    expect(formatDecimals("$.2s")).toBeUndefined();
    expect(formatDecimals(undefined)).toBeUndefined();
    expect(formatDecimals("not a format")).toBeUndefined();
  });

  it("writes a value at its format's decimals, else at two, without floating-point noise", () => {
    expect(exportNumber(81.9666666666667)).toBe(81.97);
    expect(String(exportNumber(81.9666666666667, ",.1f"))).toBe("82");
    expect(String(exportNumber(81.9666666666667, ".3f"))).toBe("81.967");
    expect(exportNumber(0.123456, ".1%")).toBe(0.123);
    expect(exportNumber(1234.5, ",d")).toBe(1235);
    expect(exportNumber(0.30000000000000004)).toBe(0.3);
    expect(exportNumber(12_000_000.4, "$.2s")).toBe(12_000_000.4);
  });

  it("keeps small values' significant digits and writes no negative zero", () => {
    expect(exportNumber(0.0012345)).toBe(0.00123);
    expect(Object.is(exportNumber(-0.001, ".0f"), 0)).toBe(true);
    expect(exportNumber(0)).toBe(0);
  });
});
