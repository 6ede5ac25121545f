import type { DimensionDef, HypercubeResult, SheetObjectDef } from "@portico/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import type { DataModel } from "./data-model.js";
import { loadTables } from "./load-tables.js";
import { toCsv } from "./to-csv.js";

const position = { col: 0, row: 0, width: 6, height: 4 };
let model: DataModel;

// Loaded out of calendar and alphabetical order on purpose: branch first, months as they come.
const ROWS = [
  { Branch: "Riverside", Month: "Mar", Tag: "Dezember", Day: "Fr", Loans: 30, Rating: 4.1 },
  { Branch: "Riverside", Month: "Jan", Tag: "Januar", Day: "Mo", Loans: 10, Rating: 3.9 },
  { Branch: "Central", Month: "Dec", Tag: "März", Day: "So", Loans: 120, Rating: 4.8 },
  { Branch: "Central", Month: "Aug", Tag: "Mai", Day: "Di", Loans: 80, Rating: 4.6 },
  { Branch: "Eastgate", Month: "Apr", Tag: "Oktober", Day: "Mi", Loans: 25, Rating: 3.95 },
  { Branch: "Eastgate", Month: "Jan", Tag: "Januar", Day: "Mo", Loans: 16, Rating: 3.6 },
];

beforeAll(async () => {
  model = await loadTables([{ name: "loans", rows: ROWS }]);
});

function firstColumn(type: SheetObjectDef["type"], dimension: string | DimensionDef, measure = "Sum(Loans)") {
  const result: HypercubeResult = model.hypercube({
    id: "o",
    type,
    dimensions: [dimension],
    measures: [measure, "Avg(Rating)"],
    position,
  });
  return result.rows.map((r) => r.dimensions[0]!.text);
}

describe("dimension order", () => {
  it("keeps text in load order by default, as the modelled hub does", () => {
    expect(firstColumn("line", "Branch")).toEqual(["Riverside", "Central", "Eastgate"]);
    expect(firstColumn("table", "Branch")).toEqual(["Riverside", "Central", "Eastgate"]);
  });

  it("orders month and weekday names by the calendar, English and German", () => {
    expect(firstColumn("line", "Month")).toEqual(["Jan", "Mar", "Apr", "Aug", "Dec"]);
    expect(firstColumn("line", "Tag")).toEqual(["Januar", "März", "Mai", "Oktober", "Dezember"]);
    expect(firstColumn("table", "Day")).toEqual(["Mo", "Di", "Mi", "Fr", "So"]);
  });

  it("still ranks bar and pie charts by their first measure, largest first", () => {
    expect(firstColumn("bar", "Branch")).toEqual(["Central", "Eastgate", "Riverside"]);
  });

  it("takes a configured sort: load, text, number, measure, ascending or descending", () => {
    expect(firstColumn("bar", { field: "Month", sort: "load" })).toEqual(["Mar", "Jan", "Dec", "Aug", "Apr"]);
    expect(firstColumn("line", { field: "Month", sort: "text" })).toEqual([
      "Apr",
      "Aug",
      "Dec",
      "Jan",
      "Mar",
    ]);
    expect(firstColumn("bar", { field: "Month", sort: "number" })).toEqual([
      "Jan",
      "Mar",
      "Apr",
      "Aug",
      "Dec",
    ]);
    expect(firstColumn("line", { field: "Month", sort: { by: "number", descending: true } })).toEqual([
      "Dec",
      "Aug",
      "Apr",
      "Mar",
      "Jan",
    ]);
    expect(firstColumn("line", { field: "Branch", sort: "measure" })).toEqual([
      "Riverside",
      "Eastgate",
      "Central",
    ]);
    expect(
      firstColumn("line", {
        field: "Branch",
        sort: { by: "measure", measure: "Avg(Rating)", descending: true },
      }),
    ).toEqual(["Central", "Riverside", "Eastgate"]);
  });

  it("refuses a sort by a measure the object does not have", () => {
    expect(() =>
      firstColumn("line", { field: "Branch", sort: { by: "measure", measure: "Sum(Fines)" } }),
    ).toThrow(expect.objectContaining({ code: "BAD_REQUEST" }));
  });

  it("exports in the chart's order, each measure at its precision", () => {
    const rows = model.exportRows({
      id: "o",
      type: "line",
      dimensions: ["Month"],
      measures: ["Sum(Loans)", { expression: "Avg(Rating)", format: ".1f" }, "Avg(Rating) / 3"],
      position,
    });
    const csv = toCsv(rows);
    expect(csv.split("\r\n").slice(0, 3)).toEqual([
      "Month,Sum(Loans),Avg(Rating),Avg(Rating) / 3",
      "Jan,26,3.8,1.25",
      "Mar,30,4.1,1.37",
    ]);
  });
});
