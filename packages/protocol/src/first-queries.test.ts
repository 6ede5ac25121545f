import { describe, expect, it } from "vitest";
import type { SheetObjectDef } from "./data.js";
import { FIELD_PAGE_SIZE, firstQueries, objectQuery, TABLE_PAGE_SIZE, valuesCheck } from "./first-queries.js";

const at = { col: 0, row: 0, width: 6, height: 4 };
const objects: SheetObjectDef[] = [
  { id: "note", type: "text", text: "Hello", position: at },
  { id: "total", type: "kpi", measures: ["Sum(Amount)"], position: at },
  { id: "rows", type: "table", dimensions: ["Region"], measures: ["Sum(Amount)"], position: at },
  { id: "filters", type: "filterpane", fields: ["Region", "Year"], position: at },
];

describe("first queries", () => {
  it("asks one query per object with data, one per list box of a filter pane, none for text", () => {
    const selections = { Region: ["North"] };
    expect(firstQueries(objects, selections)).toEqual([
      { object: "total", selections },
      { object: "rows", selections, page: { offset: 0, limit: TABLE_PAGE_SIZE } },
      { field: "Region", selections, page: { offset: 0, limit: FIELD_PAGE_SIZE } },
      { field: "Year", selections, page: { offset: 0, limit: FIELD_PAGE_SIZE } },
      // The check of the page's initial selection, so the frame needs no request of its own for it.
      valuesCheck("Region", ["North"]),
    ]);
    expect(valuesCheck("Region", ["North"])).toEqual({
      field: "Region",
      selections: { Region: ["North"] },
      page: { offset: 0, limit: 1 },
    });
  });

  it("are the queries the frame asks for an untouched view (same JSON, so answers ahead match)", () => {
    const [, total, rows, filters] = objects as [
      SheetObjectDef,
      SheetObjectDef,
      SheetObjectDef,
      SheetObjectDef,
    ];
    const asked = [
      objectQuery(total, undefined, {}),
      objectQuery(rows, undefined, {}),
      objectQuery(filters, "Region", {}),
      objectQuery(filters, "Year", {}),
    ];
    expect(firstQueries(objects, {}).map((q) => JSON.stringify(q))).toEqual(
      asked.map((q) => JSON.stringify(q)),
    );
    // A table the visitor sorted or paged asks something else, so it never takes a first answer.
    const sorted = objectQuery(rows, undefined, {}, { offset: 25, sort: { column: 1, descending: true } });
    expect(sorted).toEqual({
      object: "rows",
      selections: {},
      page: { offset: 25, limit: TABLE_PAGE_SIZE },
      sort: { column: 1, descending: true },
    });
  });
});
