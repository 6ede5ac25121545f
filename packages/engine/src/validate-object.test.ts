import type { SheetObjectDef } from "@portico/protocol";
import { describe, expect, it } from "vitest";
import { validateObject } from "./validate-object.js";

const position = { col: 0, row: 0, width: 6, height: 4 };
const fields = ["Year", "Department", "Amount"];

describe("validateObject", () => {
  it("accepts valid objects", () => {
    const defs: SheetObjectDef[] = [
      { id: "a", type: "bar", dimensions: ["Department"], measures: ["Sum(Amount)"], topN: 5, position },
      {
        id: "b",
        type: "kpi",
        measures: [{ expression: "Sum(Amount) / Count(distinct Year)", label: "Per year" }],
        position,
      },
      { id: "c", type: "filterpane", fields: ["Year", "Department"], position },
      { id: "d", type: "text", text: "Synthetic data", position },
      { id: "e", type: "table", dimensions: ["Year", "Department"], position },
    ];
    for (const def of defs) expect(validateObject(def, fields), def.id).toEqual([]);
  });

  it("reports each problem with a path relative to the object", () => {
    const issues = validateObject(
      {
        id: "x",
        type: "bar",
        dimensions: ["Year", "Nope", "Amount"],
        measures: ["Sum(Amount", { expression: "Sum(Missing)" }],
        topN: 0,
        position,
      },
      fields,
    );
    expect(issues.map((i) => i.path)).toEqual([
      "dimensions",
      "dimensions[1]",
      "measures[0]",
      "measures[1].expression",
      "topN",
    ]);
    expect(issues[2]!.message).toContain("line 1, column 11");
    expect(issues[3]!.message).toBe('unknown field "Missing"');
  });

  it("checks what each type needs", () => {
    expect(
      validateObject({ id: "k", type: "kpi", dimensions: ["Year"], position }, fields).map((i) => i.path),
    ).toEqual(["measures", "dimensions"]);
    expect(validateObject({ id: "p", type: "pie", position }, fields).map((i) => i.path)).toEqual([
      "dimensions",
      "measures",
    ]);
    expect(validateObject({ id: "f", type: "filterpane", fields: ["Nope"], position }, fields)).toEqual([
      { path: "fields[0]", message: 'unknown field "Nope"' },
    ]);
    expect(validateObject({ id: "t", type: "gauge" as never, position }, fields)[0]!.path).toBe("type");
  });

  it("checks syntax only when no field names are given", () => {
    expect(
      validateObject({ id: "a", type: "bar", dimensions: ["Any"], measures: ["Sum(Any)"], position }),
    ).toEqual([]);
    expect(
      validateObject({ id: "a", type: "bar", dimensions: ["Any"], measures: ["Sum(Any"], position }),
    ).toHaveLength(1);
  });
});
