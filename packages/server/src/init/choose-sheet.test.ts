import type { FieldInfo } from "@portico/protocol";
import { describe, expect, it } from "vitest";
import { chooseSheet, fieldRef, fieldRoles } from "./choose-sheet.js";

const field = (name: string, type: FieldInfo["type"], cardinality: number): FieldInfo => ({
  name,
  type,
  cardinality,
  tables: ["t"],
});

const SALES = [
  field("OrderId", "number", 500),
  field("Order date", "date", 200),
  field("Region", "text", 4),
  field("Customer", "text", 400),
  field("Product", "text", 12),
  field("Amount", "number", 480),
  field("Quantity", "number", 9),
  field("Postal code", "number", 300),
];

describe("fieldRoles", () => {
  it("sums amounts and quantities, not ids, codes or periods (camelCase, spaces and underscores alike)", () => {
    const roles = fieldRoles([
      ...SALES,
      field("fiscal_year", "number", 3),
      field("CustomerNo", "number", 50),
    ]);
    expect(roles.measures).toEqual(["Amount", "Quantity"]);
  });

  it("takes a date as the time axis, else a period-like number", () => {
    expect(fieldRoles(SALES).time).toBe("Order date");
    expect(fieldRoles([field("Year", "number", 5), field("Amount", "number", 40)]).time).toBe("Year");
    expect(fieldRoles([field("Amount", "number", 40)]).time).toBeUndefined();
  });

  it("charts text fields with few distinct values, fewest first; names and single values are not categories", () => {
    expect(fieldRoles([...SALES, field("Currency", "text", 1)]).categories).toEqual(["Region", "Product"]);
  });
});

describe("chooseSheet", () => {
  it("a KPI per measure, a filter pane, a bar chart by category, a line chart over time, a table", () => {
    const objects = chooseSheet(SALES);
    expect(objects.map((o) => `${o.type}:${o.id}`)).toEqual([
      "kpi:kpi-1",
      "kpi:kpi-2",
      "filterpane:filters",
      "bar:by-category",
      "line:over-time",
      "table:details",
    ]);
    const byId = new Map(objects.map((o) => [o.id, o]));
    expect(byId.get("kpi-2")?.measures).toEqual([{ expression: "Sum(Quantity)", label: "Quantity" }]);
    expect(byId.get("by-category")?.dimensions).toEqual(["Region"]);
    expect(byId.get("over-time")?.dimensions).toEqual(["Order date"]);
    expect(byId.get("filters")?.fields).toEqual(["Order date", "Region", "Product"]);
    expect(byId.get("details")?.dimensions).toEqual(["Region", "Order date"]);
  });

  it("lays every object inside the 24-column grid without overlaps", () => {
    const objects = chooseSheet(SALES);
    const cells = new Set<string>();
    for (const { position: p } of objects) {
      expect(p.col + p.width).toBeLessThanOrEqual(24);
      for (let c = p.col; c < p.col + p.width; c++)
        for (let r = p.row; r < p.row + p.height; r++) {
          expect(cells.has(`${c},${r}`)).toBe(false);
          cells.add(`${c},${r}`);
        }
    }
  });

  it("without a measure-like number every object counts rows; without categories or time, no charts", () => {
    const objects = chooseSheet([field("Name", "text", 900), field("Id", "number", 900)]);
    expect(objects.map((o) => o.type)).toEqual(["kpi", "table"]);
    expect(objects[0]?.measures).toEqual([{ expression: "Count(Name)", label: "Rows" }]);
    expect(objects[1]?.dimensions).toEqual(["Name"]);
  });

  it("writes field names that are not plain identifiers in brackets", () => {
    expect(fieldRef("Amount")).toBe("Amount");
    expect(fieldRef("Net amount")).toBe("[Net amount]");
    expect(chooseSheet([field("Net amount", "number", 9)])[0]?.measures).toEqual([
      { expression: "Sum([Net amount])", label: "Net amount" },
    ]);
  });
});
