import { describe, expect, it } from "vitest";
import { formatters } from "./formatters.js";

describe("formatters", () => {
  it("formats numbers, specifiers and dates for the locale", () => {
    const en = formatters("en-US");
    const de = formatters("de-DE");
    expect(en.measure(1234567.891)).toBe("1,234,567.89");
    expect(de.measure(1234567.891)).toBe("1.234.567,89");
    expect(de.measure(1234.5, ",.2f")).toBe("1.234,50");
    expect(en.measure(1234.5, "$,.0f")).toBe("$1,235");
    expect(de.measure(1234.5, "$,.0f")).toBe("1.235\u00a0€");
    expect(en.measure(null)).toBe("–");
    expect(en.measure(5, "not a specifier!")).toBe("5");
    expect(en.dimension("2024-03-01", "date")).toBe("Mar 1, 2024");
    expect(de.dimension("2024-03-01", "date")).toBe("01.03.2024");
    expect(en.dimension("2024-03-01", "text")).toBe("2024-03-01");
    expect(en.tick(1_500_000)).toBe("1.5M");
  });
});
