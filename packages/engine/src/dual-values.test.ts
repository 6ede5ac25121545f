import type { SheetObjectDef } from "@portico/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { DataModel } from "./data-model.js";
import { loadTables } from "./load-tables.js";

const position = { col: 0, row: 0, width: 6, height: 4 };

// Periods loaded neither in number nor in alphabetical order, so each order is told apart.
const BUDGET = [
  { Period: "FY24 H2", PeriodNo: 4, Quarter: "Q3", Amount: 40 },
  { Period: "FY23 H2", PeriodNo: 2, Quarter: "Q1", Amount: 20 },
  { Period: "FY24 H1", PeriodNo: 3, Quarter: "Q4", Amount: 30 },
  { Period: "FY23 H1", PeriodNo: 1, Quarter: "Q2", Amount: 10 },
  { Period: "FY24 H2", PeriodNo: 99, Quarter: "Q3", Amount: 5 },
];

let model: DataModel;

beforeAll(async () => {
  model = await loadTables([{ name: "budget", rows: BUDGET, sortBy: { Period: "PeriodNo" } }]);
});

function column(m: DataModel, field: string, selections: Record<string, Array<string | number>> = {}) {
  const def: SheetObjectDef = {
    id: "o",
    type: "line",
    dimensions: [field],
    measures: ["Sum(Amount)"],
    position,
  };
  return m.hypercube(def, { selections }).rows.map((r) => [r.dimensions[0]!.text, r.measures[0]]);
}

const listed = (m: DataModel, field: string) => m.fieldStates(field, {}).values.map((v) => v.text);

describe("dual values", () => {
  it("orders a sortBy field by the number of the first row holding each text, and shows the text", () => {
    expect(column(model, "Period")).toEqual([
      ["FY23 H1", 10],
      ["FY23 H2", 20],
      ["FY24 H1", 30],
      ["FY24 H2", 45],
    ]);
    expect(listed(model, "Period")).toEqual(["FY23 H1", "FY23 H2", "FY24 H1", "FY24 H2"]);
  });

  it("selects by the number as well as by the text", () => {
    expect(column(model, "Period", { Period: [3] })).toEqual([["FY24 H1", 30]]);
    expect(column(model, "Period", { Period: ["3"] })).toEqual([["FY24 H1", 30]]);
    expect(column(model, "Period", { Period: ["FY24 H1"] })).toEqual([["FY24 H1", 30]]);
    // The number a later row carried is not the text's number.
    expect(column(model, "Period", { Period: [99] })).toEqual([]);
  });

  it("orders and selects quarter names like months and weekdays", () => {
    expect(column(model, "Quarter").map((r) => r[0])).toEqual(["Q1", "Q2", "Q3", "Q4"]);
    expect(column(model, "Quarter", { Quarter: [4] })).toEqual([["Q4", 30]]);
  });

  it("selects every text that carries a number", async () => {
    const months = await loadTables([
      {
        name: "t",
        rows: [
          { Month: "März", Amount: 1 },
          { Month: "Mar", Amount: 2 },
          { Month: "Jan", Amount: 4 },
        ],
      },
    ]);
    expect(column(months, "Month", { Month: [3] }).map((r) => r[0])).toEqual(["März", "Mar"]);
    expect(column(months, "Month").map((r) => r[0])).toEqual(["Jan", "März", "Mar"]);
  });

  it("marks dual fields in the field list, and only those", () => {
    const dual = Object.fromEntries(model.fields().map((f) => [f.name, f.dual === true]));
    expect(dual).toEqual({ Period: true, PeriodNo: false, Quarter: true, Amount: false });
  });

  it("keeps the numbers in a snapshot, as a query worker rebuilds the model", () => {
    const copy = DataModel.fromSnapshot(model.snapshot());
    expect(column(copy, "Period").map((r) => r[0])).toEqual(["FY23 H1", "FY23 H2", "FY24 H1", "FY24 H2"]);
    expect(column(copy, "Period", { Period: [2] })).toEqual([["FY23 H2", 20]]);
  });

  it("takes numbers from every table holding the field, the first table first", async () => {
    const two = await loadTables([
      { name: "a", rows: [{ Stage: "Late", StageNo: 3, X: 1 }], sortBy: { Stage: "StageNo" } },
      {
        name: "b",
        rows: [
          { Stage: "Early", Order: 1 },
          { Stage: "Late", Order: 0 },
        ],
        sortBy: { Stage: "Order" },
      },
    ]);
    expect(listed(two, "Stage")).toEqual(["Early", "Late"]);
  });

  it("refuses a sortBy that names a missing field, a field that is not text, or text to sort by", async () => {
    const load = (sortBy: Record<string, string>) => loadTables([{ name: "budget", rows: BUDGET, sortBy }]);
    await expect(load({ Nope: "PeriodNo" })).rejects.toThrow(/table "budget": sortBy names field "Nope"/);
    await expect(load({ Period: "Nope" })).rejects.toThrow(
      /names field "Nope", which the table does not hold/,
    );
    await expect(load({ Amount: "PeriodNo" })).rejects.toThrow(/"Amount" is a number field/);
    await expect(load({ Period: "Quarter" })).rejects.toThrow(/a text field: it must hold numbers or dates/);
  });
});
