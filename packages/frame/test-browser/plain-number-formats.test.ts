// The plain formats against the Intl the frame really runs under: the system Chromium's (the unit test
// compares them with Node's).
import fc from "fast-check";
import { describe, expect, it } from "../../../test/support/wtr.js";
import { COMPACT_OPTIONS, NUMBER_OPTIONS, PERCENT_OPTIONS } from "../src/format/intl-options.js";
import { plainNumberFormats } from "../src/format/plain-number-formats.js";

/** Chromium's number, compact and percent formats of each value, for `locale`. */
function chromiumFormats(locale: string, values: number[]): string[][] {
  const formats = [NUMBER_OPTIONS, COMPACT_OPTIONS, PERCENT_OPTIONS].map(
    (o) => new Intl.NumberFormat(locale, o),
  );
  return values.map((value) => formats.map((format) => format.format(value)));
}

describe("plainNumberFormats in Chromium", () => {
  const values = [0, -0, 0.005, 1.005, 2.675, 9.995, 999.95, -999.95, 999_949, 999_950, 1_234_567.891];
  for (let e = -6; e <= 14; e++) values.push(10 ** e, 0.99995 * 10 ** e, 12.345 * 10 ** e, -1.25 * 10 ** e);
  values.push(...fc.sample(fc.double({ min: -1e14, max: 1e14, noNaN: true }), { numRuns: 1000, seed: 6 }));

  for (const locale of ["en", "en-US", "en-GB", "de", "de-DE"])
    it(`${locale}: equals the browser's Intl`, () => {
      const plain = plainNumberFormats(locale);
      const intl = chromiumFormats(locale, values);
      values.forEach((value, i) => {
        const [number, compact, percent] = intl[i] ?? [];
        expect(plain?.number(value), `number ${value}`).toBe(number);
        expect(plain?.percent(value), `percent ${value}`).toBe(percent);
        const own = plain?.compact(value);
        if (own !== undefined) expect(own, `compact ${value}`).toBe(compact);
      });
    });
});
