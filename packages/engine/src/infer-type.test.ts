import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatDate, inferType, parseDate, parseNumber } from "./infer-type.js";

describe("type inference", () => {
  it("infers number, date and text, ignoring nulls", () => {
    expect(inferType(["1", "2.5", null, "-3e2", 4])).toBe("number");
    expect(inferType(["2024-02-29", null, "2021-01-01"])).toBe("date");
    expect(inferType(["1", "two"])).toBe("text");
    expect(inferType(["2024-02-30"])).toBe("text");
    expect(inferType([null, null])).toBe("text");
    expect(inferType([])).toBe("text");
  });

  it("keeps codes with leading zeros as text", () => {
    expect(parseNumber("007")).toBeUndefined();
    expect(parseNumber("0.7")).toBe(0.7);
    expect(parseNumber("0")).toBe(0);
    expect(inferType(["007", "12"])).toBe("text");
  });

  it("rejects thousands separators and non-finite numbers", () => {
    expect(parseNumber("1,000")).toBeUndefined();
    expect(parseNumber("Infinity")).toBeUndefined();
    expect(parseNumber(Number.NaN)).toBeUndefined();
  });

  it("reads exactly the plain decimals the definition's pattern describes", () => {
    const pattern = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
    const leadingZero = /^[-+]?0\d/;
    const reference = (raw: string) => {
      const text = raw.trim();
      if (!pattern.test(text) || leadingZero.test(text)) return undefined;
      const value = Number(text);
      return Number.isFinite(value) ? value : undefined;
    };
    const text = fc.string({ unit: fc.constantFrom(..."0123456789+-.eE x\u00a0_,"), maxLength: 8 });
    fc.assert(
      fc.property(text, (raw) => {
        expect(parseNumber(raw)).toBe(reference(raw));
      }),
      { numRuns: 20_000 },
    );
    for (const raw of ["1e999", "0", "-0", "00", "-01", "0.", ".0", ".", "+", "5.e3", "1e", "1e+", " 7 "])
      expect(parseNumber(raw)).toBe(reference(raw));
  });

  it("maps dates to day numbers and back", () => {
    expect(parseDate("1970-01-02")).toBe(1);
    expect(parseDate("2024-13-01")).toBeUndefined();
    expect(formatDate(parseDate("2025-06-30")!)).toBe("2025-06-30");
  });
});
