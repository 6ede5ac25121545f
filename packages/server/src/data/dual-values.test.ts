import { writeFileSync } from "node:fs";
import path from "node:path";
import type { AppDetail, FieldStatesResult, HypercubeResult } from "@portico/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDataHarness, type DataHarness, dataApps } from "../testing/data-fixture.js";

// Periods in neither number nor alphabetical order; "Sept" makes Month a calendar field.
const BUDGET_CSV = [
  "Period,PeriodNo,Month,Amount",
  "FY24 H2,4,Sept,40",
  "FY23 H2,2,Mar,20",
  "FY24 H1,3,Jan,30",
  "FY23 H1,1,Jan,10",
  "",
].join("\n");

let h: DataHarness;
let anon: string;
beforeAll(async () => {
  h = await createDataHarness((f) => {
    writeFileSync(path.join(f.dir, "budget.csv"), BUDGET_CSV);
    const pos = { col: 0, row: 0, width: 6, height: 4 };
    return [
      ...dataApps(f),
      {
        id: "budget",
        name: "Budget",
        stream: "public",
        tables: [{ name: "budget", source: "budget.csv", sortBy: { Period: "PeriodNo" } }],
        sheets: [
          {
            id: "main",
            title: "Main",
            objects: [
              {
                id: "by-period",
                type: "line",
                dimensions: ["Period"],
                measures: ["Sum(Amount)"],
                position: pos,
              },
              { id: "filters", type: "filterpane", fields: ["Period", "Month"], position: pos },
            ],
          },
        ],
      },
    ];
  });
  anon = await h.anonymous();
});
afterAll(async () => h?.close());

async function cube(selections: Record<string, Array<string | number>> = {}) {
  const res = await h.query("anon", "budget", anon, { object: "by-period", selections });
  expect(res.status).toBe(200);
  return ((await res.json()) as HypercubeResult).rows.map((r) => [r.dimensions[0]!.value, r.measures[0]]);
}

describe("dual values through the data API (query workers)", () => {
  it("orders a sortBy field by its numbers and shows the text", async () => {
    expect(await cube()).toEqual([
      ["FY23 H1", 10],
      ["FY23 H2", 20],
      ["FY24 H1", 30],
      ["FY24 H2", 40],
    ]);
  });

  it("selects by the number behind the text, in queries and field states", async () => {
    expect(await cube({ Period: [3] })).toEqual([["FY24 H1", 30]]);
    expect(await cube({ Month: [1] })).toEqual([
      ["FY23 H1", 10],
      ["FY24 H1", 30],
    ]);
    const res = await h.query("anon", "budget", anon, { field: "Month", selections: { Month: [3] } });
    const states = (await res.json()) as FieldStatesResult;
    // The number behind each text comes with it, so a page can tell that 3 selected "Mar".
    expect(Object.fromEntries(states.values.map((v) => [v.text, v.num]))).toEqual({
      Jan: 1,
      Mar: 3,
      Sept: 9,
    });
    expect(Object.fromEntries(states.values.map((v) => [v.text, v.state]))).toEqual({
      Jan: "alternative",
      Mar: "selected",
      Sept: "alternative",
    });
  });

  it("marks the dual fields in the app's field list; the sortBy column stays out of scope", async () => {
    const app = (await (await h.request("/anon/api/v1/apps/budget", h.bearer(anon))).json()) as AppDetail;
    const dual = Object.fromEntries(app.fields.map((f) => [f.name, f.dual === true]));
    // PeriodNo is on no object: its numbers are readable only as Period's, never as a field of their own.
    expect(dual).toEqual({ Period: true, Month: true, Amount: false });
    expect((await h.query("anon", "budget", anon, { field: "PeriodNo" })).status).toBe(404);
  });
});
