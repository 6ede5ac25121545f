import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COMPACT_OPTIONS, intlSeparatorSymbols, NUMBER_OPTIONS, PERCENT_OPTIONS } from "./intl-options.js";
import { plainNumberFormats } from "./plain-number-formats.js";

const LOCALES = ["en", "en-US", "en-GB", "de", "de-DE"];

/** Values where rounding, grouping and compact forms change: halves, nines, powers of ten, both signs. */
function edgeValues(): number[] {
  const values = [0, -0, 0.004, 0.005, 0.05, 0.95, 1.005, 1.015, 2.675, 9.995, 99.95, 999.95, 999.949];
  for (let e = -8; e <= 16; e++) {
    const p = 10 ** e;
    values.push(p, p - 10 ** (e - 4), p * 0.9995, p * 0.99995, p * 1.05, p * 1.25, p * 12.345, p * 999.95);
  }
  return [...values, ...values.map((v) => -v)];
}

describe("plainNumberFormats", () => {
  for (const locale of LOCALES) {
    const plain = plainNumberFormats(locale);
    const intl = {
      number: new Intl.NumberFormat(locale, NUMBER_OPTIONS),
      compact: new Intl.NumberFormat(locale, COMPACT_OPTIONS),
      percent: new Intl.NumberFormat(locale, PERCENT_OPTIONS),
    };
    /** Each format equals Intl's, or leaves the value to Intl (compact from 10^15 on). */
    const check = (value: number) => {
      expect(plain?.number(value), `number ${value}`).toBe(intl.number.format(value));
      expect(plain?.percent(value), `percent ${value}`).toBe(intl.percent.format(value));
      const compact = plain?.compact(value);
      if (compact !== undefined) expect(compact, `compact ${value}`).toBe(intl.compact.format(value));
      else
        expect(Math.abs(value), `compact ${value} left to Intl`).toBeGreaterThanOrEqual(999_950_000_000_000);
    };

    it(`${locale}: equals Intl on rounding, grouping and compact edges`, () => {
      for (const value of edgeValues()) check(value);
    });

    it(`${locale}: has Intl's separators and currency placement for d3-format`, () => {
      expect(plain?.symbols).toEqual(intlSeparatorSymbols(locale));
    });

    it(`${locale}: equals Intl on any double and on decimals of a few digits`, () => {
      fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), check), { numRuns: 2000 });
      const decimals = fc
        .tuple(fc.integer({ min: -99_999_999, max: 99_999_999 }), fc.integer({ min: 0, max: 8 }))
        .map(([n, scale]) => n / 10 ** scale);
      fc.assert(fc.property(decimals, check), { numRuns: 2000 });
    });
  }

  it("leaves non-finite values and locales it has not compared with Intl to Intl", () => {
    const en = plainNumberFormats("en");
    expect([en?.number(Number.NaN), en?.compact(Number.POSITIVE_INFINITY), en?.percent(Number.NaN)]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    for (const locale of ["fr", "de-CH", "de-AT", "en-IN", "ja-JP"])
      expect(plainNumberFormats(locale)).toBeUndefined();
  });

  it("matches tags case-insensitively", () => {
    expect(plainNumberFormats("EN-us")?.compact(1234)).toBe("1.2K");
    expect(plainNumberFormats("de-de")?.compact(1_234_567)).toBe("1,2\u00a0Mio.");
  });
});
