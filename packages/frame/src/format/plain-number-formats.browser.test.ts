// The plain formats against the Intl the frame really runs under: the system Chromium's (the unit test
// compares them with Node's). Values cross from Node to the page as strings, so -0 stays -0.
import fc from "fast-check";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../testing/launch-chromium.js";
import { COMPACT_OPTIONS, NUMBER_OPTIONS, PERCENT_OPTIONS } from "./intl-options.js";
import { plainNumberFormats } from "./plain-number-formats.js";

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
});

/** Chromium's number, compact and percent formats of each value, for `locale`. */
function chromiumFormats(locale: string, values: number[]): Promise<string[][]> {
  return page.evaluate(
    ({ locale, texts, options }) => {
      const formats = options.map((o) => new Intl.NumberFormat(locale, o));
      return texts.map((text) => formats.map((format) => format.format(Number(text))));
    },
    {
      locale,
      texts: values.map((value) => (Object.is(value, -0) ? "-0" : String(value))),
      options: [NUMBER_OPTIONS, COMPACT_OPTIONS, PERCENT_OPTIONS],
    },
  );
}

describe("plainNumberFormats in Chromium", () => {
  const values = [0, -0, 0.005, 1.005, 2.675, 9.995, 999.95, -999.95, 999_949, 999_950, 1_234_567.891];
  for (let e = -6; e <= 14; e++) values.push(10 ** e, 0.99995 * 10 ** e, 12.345 * 10 ** e, -1.25 * 10 ** e);
  values.push(...fc.sample(fc.double({ min: -1e14, max: 1e14, noNaN: true }), { numRuns: 1000, seed: 6 }));

  for (const locale of ["en", "en-US", "en-GB", "de", "de-DE"])
    it(`${locale}: equals the browser's Intl`, async () => {
      const plain = plainNumberFormats(locale);
      const intl = await chromiumFormats(locale, values);
      values.forEach((value, i) => {
        const [number, compact, percent] = intl[i] ?? [];
        expect(plain?.number(value), `number ${value}`).toBe(number);
        expect(plain?.percent(value), `percent ${value}`).toBe(percent);
        const own = plain?.compact(value);
        if (own !== undefined) expect(own, `compact ${value}`).toBe(compact);
      });
    });
});
