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

  it("formats the same after warm() as without it", () => {
    const cold = ["fr-FR", "ja-JP"].map((locale) => formatters(locale));
    const [fr, ja] = cold;
    const before = [fr?.measure(1234.5), ja?.tick(12_345_678)];
    const warmed = formatters("it-IT");
    warmed.warm();
    expect(warmed.measure(1234567.891)).toBe(
      new Intl.NumberFormat("it-IT", { maximumFractionDigits: 2 }).format(1234567.891),
    );
    expect(warmed.tick(1_500_000)).toBe(
      new Intl.NumberFormat("it-IT", { notation: "compact", maximumFractionDigits: 1 }).format(1_500_000),
    );
    fr?.warm();
    ja?.warm();
    expect([fr?.measure(1234.5), ja?.tick(12_345_678)]).toEqual(before);
  });
});
