import { describe, expect, it } from "vitest";
import { BurnRate, exhaustionTime } from "./burn-rate.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe("BurnRate", () => {
  it("sums what was consumed over the last hour; older consumption drops out", () => {
    const rate = new BurnRate();
    rate.record(6, 0);
    rate.record(6, 30 * MINUTE);
    expect(rate.perHour(59 * MINUTE)).toBe(12);
    expect(rate.perHour(61 * MINUTE)).toBe(6);
    expect(rate.perHour(2 * HOUR)).toBe(0);
  });
});

describe("exhaustionTime", () => {
  it("is when the pool is empty at the rate, if before the horizon", () => {
    expect(exhaustionTime(12, 6, 0, 3 * HOUR)).toBe(2 * HOUR);
    expect(exhaustionTime(12, 6, 0, 2 * HOUR)).toBeUndefined();
    expect(exhaustionTime(12, 0, 0, 3 * HOUR)).toBeUndefined();
  });

  it("counts amounts that come back before the pool is empty (returned passes)", () => {
    // 2 left at one an hour; one returns after 90 minutes: empty at 3 hours instead of 2.
    expect(exhaustionTime(2, 1, 0, 10 * HOUR, [1.5 * HOUR])).toBe(3 * HOUR);
    // A return after the pool is already empty does not help.
    expect(exhaustionTime(2, 1, 0, 10 * HOUR, [2.5 * HOUR])).toBe(2 * HOUR);
  });
});
