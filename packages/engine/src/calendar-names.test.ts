import { describe, expect, it } from "vitest";
import { calendarNumber, calendarNumbers } from "./calendar-names.js";

describe("calendar names", () => {
  it("knows English and German months, full and abbreviated, in any case, with or without a dot", () => {
    expect(["January", "jan", "Januar", "Jan."].map((t) => calendarNumber(t, "month"))).toEqual([1, 1, 1, 1]);
    expect(["März", "Mär", "Mrz", "MAR"].map((t) => calendarNumber(t, "month"))).toEqual([3, 3, 3, 3]);
    expect(["Okt", "October", "Dez.", "Sept"].map((t) => calendarNumber(t, "month"))).toEqual([
      10, 10, 12, 9,
    ]);
    expect(calendarNumber("Marsh", "month")).toBeUndefined();
  });

  it("knows weekdays from Monday, English and German", () => {
    expect(["Mon", "Montag", "Sunday", "So", "Do."].map((t) => calendarNumber(t, "weekday"))).toEqual([
      1, 1, 7, 7, 4,
    ]);
  });

  it("knows quarters as reports write them", () => {
    expect(
      ["Q1", "q2", "Quarter 3", "3. Quartal", "Qtr  4", "4Q"].map((t) => calendarNumber(t, "quarter")),
    ).toEqual([1, 2, 3, 3, 4, 4]);
    expect(calendarNumber("Q5", "quarter")).toBeUndefined();
    expect([...(calendarNumbers(["", "Q4", "Q1"]) ?? [])]).toEqual([Number.NaN, 4, 1]);
  });

  it("numbers a field only when every value is a month, or every value a weekday; nulls aside", () => {
    expect([...(calendarNumbers(["", "Dec", "Jan", "Aug"]) ?? [])]).toEqual([Number.NaN, 12, 1, 8]);
    expect([...(calendarNumbers(["", "Freitag", "Montag"]) ?? [])]).toEqual([Number.NaN, 5, 1]);
    expect(calendarNumbers(["", "Jan", "Mon"])).toBeUndefined();
    expect(calendarNumbers(["", "Jan", "Central Library"])).toBeUndefined();
    expect(calendarNumbers([""])).toBeUndefined();
  });
});
