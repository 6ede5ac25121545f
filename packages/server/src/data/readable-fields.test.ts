import { describe, expect, it } from "vitest";
import type { AppConfig } from "../config/schema.js";
import { objectFields, readableFields } from "./readable-fields.js";

type Sheet = AppConfig["sheets"][number];
type ObjectDef = Sheet["objects"][number];
const position = { col: 0, row: 0, width: 6, height: 4 };
const sheet = (id: string, objects: Omit<ObjectDef, "position">[]): Sheet => ({
  id,
  title: id,
  objects: objects.map((o) => ({ ...o, position })),
});

describe("objectFields", () => {
  it("names dimensions, every field of every measure (bracketed or quoted) and filter-pane fields", () => {
    expect(
      objectFields({
        id: "t",
        type: "table",
        dimensions: ["Region", "Year"],
        measures: ["Sum(Amount) / Count(distinct [Vehicle type])", { expression: 'Avg("Unit price")' }],
        position,
      }),
    ).toEqual(["Region", "Year", "Amount", "Vehicle type", "Unit price"]);
    expect(objectFields({ id: "f", type: "filterpane", fields: ["Manager"], position })).toEqual(["Manager"]);
    expect(objectFields({ id: "x", type: "text", text: "Sum(Secret)", position })).toEqual([]);
  });

  it("names no field for a measure that does not parse", () => {
    expect(objectFields({ id: "k", type: "kpi", measures: ["Sum(Amount", "Max(Paid)"], position })).toEqual([
      "Paid",
    ]);
  });
});

describe("readableFields", () => {
  const overview = sheet("overview", [
    { id: "bar", type: "bar", dimensions: ["Region"], measures: ["Sum(Amount)"] },
  ]);
  const hidden = sheet("hidden", [{ id: "pane", type: "filterpane", fields: ["Manager"] }]);
  const app = { id: "sales", sheets: [overview, hidden] } as unknown as AppConfig;

  it("is the union over the given sheets, built once per app configuration and sheet combination", () => {
    const some = readableFields(app, [overview]);
    expect([...some].sort()).toEqual(["Amount", "Region"]);
    expect([...readableFields(app, [overview, hidden])].sort()).toEqual(["Amount", "Manager", "Region"]);
    expect(readableFields(app, [overview])).toBe(some);
    // A new snapshot of the app is a new object: its set is built again.
    expect(readableFields({ ...app } as AppConfig, [overview])).not.toBe(some);
    expect(readableFields(app, [])).toEqual(new Set());
  });
});
