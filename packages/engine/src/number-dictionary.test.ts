import { describe, expect, it } from "vitest";
import { NumberDictionary } from "./number-dictionary.js";

describe("NumberDictionary", () => {
  it("finds the code stored for each number, 0 and -0 as one, through growth", () => {
    const dictionary = new NumberDictionary();
    const values = Array.from(
      { length: 40_000 },
      (_, i) => [i, -i - 1, i / 7, i * 1e12, 2 ** 53 - i][i % 5]!,
    );
    values.forEach((value, code) => {
      expect(dictionary.get(value)).toBe(-1);
      dictionary.set(value, code);
    });
    expect(values.map((value) => dictionary.get(value))).toEqual(values.map((_, code) => code));
    expect(dictionary.get(-0)).toBe(0);
    expect(dictionary.get(0.5)).toBe(-1);
  });
});
