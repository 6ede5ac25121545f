import { describe, expect, it } from "vitest";
import { VISIT_COLUMNS, visitValues } from "./visit-columns.js";
import type { VisitRow } from "./visits-repository.js";

/** A row with only the required columns and a sheet. */
function row(n: number): VisitRow {
  const base = { time: n, type: "sheetView", proxy: "anon", user_directory: "NONE", user_id: `u${n}` };
  return { ...base, anonymous: 1, sheet: "overview", visitor_key: `ip:${n}` };
}

describe("visitValues", () => {
  it("lists a row's values in VISIT_COLUMNS order, absent optional columns as NULL", () => {
    const full = Object.fromEntries(VISIT_COLUMNS.map((c, i) => [c, `value-${i}`])) as unknown as VisitRow;
    expect(visitValues(full)).toEqual(VISIT_COLUMNS.map((_, i) => `value-${i}`));
    const sparse = row(7);
    delete sparse.sheet;
    const values = visitValues(sparse);
    expect(values).toHaveLength(VISIT_COLUMNS.length);
    expect(values[VISIT_COLUMNS.indexOf("sheet")]).toBeNull();
    expect(values[VISIT_COLUMNS.indexOf("visitor_key")]).toBe("ip:7");
  });
});
