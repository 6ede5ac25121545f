import { describe, expect, it } from "vitest";
import { formatters } from "../format/formatters.js";
import { translator } from "../i18n/strings.js";
import { chartDescription, type DescribedMark } from "./chart-description.js";

const SPEND: Array<[string, number]> = [
  ["Police", 9_840_000],
  ["Finance", 11_200_000],
  ["Parks", 7_320_000],
  ["Library", 4_150_000],
  ["Transport", 8_760_000],
  ["Housing", 6_600_000],
  ["Health", 5_880_000],
  ["Water", 5_040_000],
];

const marks = (locale: string): DescribedMark[] =>
  SPEND.map(([label, value]) => ({ label, value, text: formatters(locale).measure(value, "$,.3s") }));

describe("chartDescription", () => {
  it("says what the chart shows, how many marks and its extremes", () => {
    expect(chartDescription(translator("en"), "bar", "Spend by department", marks("en"))).toBe(
      "Spend by department, 8 bars, highest Finance $11.2M, lowest Library $4.15M",
    );
  });

  it("speaks the visitor's language", () => {
    expect(chartDescription(translator("de"), "pie", "Ausgaben", marks("de").slice(0, 2))).toBe(
      "Ausgaben, 2 Segmente, höchster Wert Finance 11,2M\u00a0€, niedrigster Wert Police 9,84M\u00a0€",
    );
  });

  it("names no extremes for one mark or equal values, and no title when there is none", () => {
    expect(chartDescription(translator("en"), "line", "", marks("en").slice(0, 1))).toBe("1 point");
    const flat = [1, 2, 3].map((i) => ({ label: `M${i}`, value: 5, text: "5" }));
    expect(chartDescription(translator("en"), "line", "Flat", flat)).toBe("Flat, 3 points");
  });
});
