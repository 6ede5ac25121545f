// The bench's statistics (bench/lib/timing.ts): pure logic, checked on series with known answers.
import { describe, expect, it } from "vitest";
import { pairedDifference, percentile } from "../bench/lib/timing.js";

describe("pairedDifference: two builds measured in the same rounds", () => {
  it("takes the median of the per-round differences, not the difference of the medians", () => {
    // The machine slows down over the run; build a is 5 ms faster than b in every round.
    const b = [100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200];
    const a = b.map((ms) => ms - 5);
    const paired = pairedDifference(a, b);
    expect(paired.medianMs).toBe(-5);
    expect([paired.low, paired.high]).toEqual([-5, -5]);
    expect(paired.aFaster).toBe(11);
    expect(paired.rounds).toBe(11);
  });

  it("gives an interval around the median that holds zero when the builds do not differ", () => {
    const b = Array.from({ length: 40 }, (_, i) => 120 + ((i * 37) % 23));
    const a = b.map((ms, i) => ms + (i % 2 === 0 ? 8 : -8));
    const paired = pairedDifference(a, b);
    expect(paired.low).toBeLessThanOrEqual(paired.medianMs);
    expect(paired.high).toBeGreaterThanOrEqual(paired.medianMs);
    expect(paired.low).toBeLessThanOrEqual(0);
    expect(paired.high).toBeGreaterThanOrEqual(0);
    expect(paired.aFaster).toBe(20);
    // The same samples give the same interval (a fixed-seed resampling).
    expect(pairedDifference(a, b)).toEqual(paired);
  });

  it("pairs only the rounds both series have", () => {
    expect(pairedDifference([1, 2, 3], [2, 3]).rounds).toBe(2);
    expect(percentile([3, 1, 2], 50)).toBe(2);
  });
});
