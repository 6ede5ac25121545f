import type { HypercubeResult, SheetObjectDef } from "@portico/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import type { DataModel } from "./data-model.js";
import { loadTables } from "./load-tables.js";
import { toCsv } from "./to-csv.js";

const position = { col: 0, row: 0, width: 6, height: 4 };
const object = (def: Partial<SheetObjectDef> & { id: string }): SheetObjectDef => ({
  type: "table",
  position,
  ...def,
});

let model: DataModel;
beforeAll(async () => {
  model = await loadTables([
    {
      name: "spending",
      rows: [
        { Year: 2024, Department: "Parks", Category: "Trees", Amount: 100, Paid: "2024-01-10" },
        { Year: 2024, Department: "Parks", Category: "Benches", Amount: 50, Paid: "2024-03-01" },
        { Year: 2024, Department: "Roads", Category: "Asphalt", Amount: 300, Paid: "2024-02-15" },
        { Year: 2025, Department: "Parks", Category: "Trees", Amount: 200, Paid: "2025-01-05" },
        { Year: 2025, Department: "Roads", Category: "Asphalt", Amount: null, Paid: null },
        { Year: 2025, Department: "Library", Category: "Books", Amount: 80, Paid: "2025-04-01" },
      ],
    },
    {
      name: "departments",
      rows: [
        { Department: "Parks", Division: "Green" },
        { Department: "Roads", Division: "Transport" },
        { Department: "Library", Division: "Culture" },
        { Department: "Museum", Division: "Culture" },
      ],
    },
    {
      name: "weather",
      rows: [
        { Station: "North", Rain: 3 },
        { Station: "South", Rain: 5 },
      ],
    },
  ]);
});

function states(field: string, selections: Record<string, Array<string | number>> = {}) {
  return Object.fromEntries(model.fieldStates(field, { selections }).values.map((v) => [v.text, v.state]));
}

function cube(
  def: Partial<SheetObjectDef>,
  selections: Record<string, Array<string | number>> = {},
  extra = {},
) {
  return model.hypercube(object({ id: "o", ...def }), { selections, ...extra });
}

function table(result: HypercubeResult) {
  return result.rows.map((r) => [...r.dimensions.map((c) => c.text), ...r.measures]);
}

describe("selections and field states", () => {
  it("marks every value possible with no selection", () => {
    expect(states("Division")).toEqual({ Culture: "possible", Green: "possible", Transport: "possible" });
    expect(model.fieldStates("Year").values.map((v) => v.frequency)).toEqual([3, 3]);
  });

  it("propagates a selection through an associated table; the other values of the field are alternative", () => {
    expect(states("Year", { Year: [2024] })).toEqual({ "2024": "selected", "2025": "alternative" });
    expect(states("Department", { Year: [2024] })).toEqual({
      Parks: "possible",
      Roads: "possible",
      Library: "excluded",
      Museum: "excluded",
    });
    expect(states("Division", { Year: [2024] })).toEqual({
      Green: "possible",
      Transport: "possible",
      Culture: "excluded",
    });
  });

  it("propagates back from the lookup table and keeps unlinked rows of the selected side", () => {
    expect(states("Year", { Division: ["Culture"] })).toEqual({ "2025": "possible", "2024": "excluded" });
    expect(states("Department", { Division: ["Culture"] })).toEqual({
      Library: "possible",
      Museum: "possible",
      Parks: "excluded",
      Roads: "excluded",
    });
  });

  it("ORs values within a field and ANDs across fields", () => {
    expect(states("Category", { Department: ["Parks", "Library"] })).toMatchObject({
      Trees: "possible",
      Books: "possible",
      Asphalt: "excluded",
    });
    expect(states("Category", { Department: ["Parks", "Library"], Year: [2024] })).toMatchObject({
      Trees: "possible",
      Benches: "possible",
      Books: "excluded",
    });
  });

  it("shows alternatives of every selected field when the selections conflict", () => {
    const selections = { Year: [2024], Division: ["Culture"] };
    expect(states("Year", selections)).toEqual({ "2024": "selected", "2025": "alternative" });
    expect(states("Division", selections)).toEqual({
      Culture: "selected",
      Green: "alternative",
      Transport: "alternative",
    });
    expect(states("Category", selections)).toEqual({
      Asphalt: "excluded",
      Benches: "excluded",
      Books: "excluded",
      Trees: "excluded",
    });
  });

  it("leaves an unlinked table (a data island) alone", () => {
    expect(states("Station", { Year: [2024] })).toEqual({ North: "possible", South: "possible" });
  });

  it("accepts a number as text, treats unknown values as matching nothing, and refuses unknown fields", () => {
    expect(states("Department", { Year: ["2024"] })).toMatchObject({ Library: "excluded" });
    expect(states("Department", { Year: [1999] })).toMatchObject({ Parks: "excluded", Roads: "excluded" });
    expect(() => model.fieldStates("Nope")).toThrow(expect.objectContaining({ code: "FIELD_NOT_FOUND" }));
    expect(() => model.fieldStates("Year", { selections: { Nope: ["x"] } })).toThrow(
      expect.objectContaining({ code: "FIELD_NOT_FOUND" }),
    );
  });

  it("answers a field outside the request's scope exactly like a missing one, at the same step", () => {
    const fields = new Set(["Year", "Department", "Amount"]);
    const bar = object({ id: "bar", dimensions: ["Department"], measures: ["Sum(Amount)"] });
    const calls = (name: string) => [
      () => model.fieldStates(name, { fields }),
      () => model.fieldStates(name, { fields, search: "G" }),
      () => model.fieldStates("Year", { fields, selections: { [name]: ["Green"] } }),
      () => model.hypercube(bar, { fields, selections: { [name]: ["Green"] } }),
      () => model.exportRows(bar, { [name]: ["Green"] }, fields).next(),
    ];
    /** The error `call` throws, with `name` written as <name>. */
    const thrown = (call: () => unknown, name: string) => {
      try {
        call();
        return "no error";
      } catch (error) {
        const { code, message, details } = error as { code: string; message: string; details?: unknown };
        return JSON.stringify({ code, message, details }).replaceAll(name, "<name>");
      }
    };
    const missing = calls("Nopeyyyy");
    calls("Division").forEach((call, i) => {
      const got = thrown(call, "Division");
      expect(got).toContain('"code":"FIELD_NOT_FOUND"');
      expect(got).toBe(thrown(missing[i] as () => unknown, "Nopeyyyy"));
    });
    // In scope, or without a scope, the field answers as before.
    expect(model.fieldStates("Year", { fields }).kind).toBe("field");
    expect(model.fieldStates("Division").kind).toBe("field");
  });

  it("searches and pages a field's values, selected and possible first", () => {
    const result = model.fieldStates("Department", {
      selections: { Division: ["Transport"] },
      page: { offset: 0, limit: 2 },
    });
    expect(result.values.map((v) => [v.text, v.state])).toEqual([
      ["Roads", "possible"],
      ["Library", "excluded"],
    ]);
    expect(result.totalValues).toBe(4);
    const later = model.fieldStates("Department", {
      selections: { Division: ["Transport"] },
      page: { offset: 2, limit: 5 },
    });
    expect(later.values.map((v) => [v.text, v.state])).toEqual([
      ["Museum", "excluded"],
      ["Parks", "excluded"],
    ]);
    expect(model.fieldStates("Department", { search: "AR" }).values.map((v) => v.text)).toEqual([
      "Library",
      "Parks",
    ]);
  });
});

describe("hypercubes", () => {
  it("computes every aggregation, ignoring nulls", () => {
    const result = cube({
      dimensions: [{ field: "Department", sort: "text" }],
      measures: [
        "Sum(Amount)",
        "Avg(Amount)",
        "Min(Amount)",
        "Max(Amount)",
        "Count(Amount)",
        "Count(distinct Category)",
      ],
    });
    expect(table(result)).toEqual([
      ["Library", 80, 80, 80, 80, 1, 1],
      ["Parks", 350, 116.666666666667, 50, 200, 3, 2],
      ["Roads", 300, 300, 300, 300, 1, 1],
    ]);
    expect(result.totals).toEqual([730, 146, 50, 300, 5, 4]);
  });

  it("computes Median and Fractile per group and over everything, interpolating between values", () => {
    const result = cube({
      dimensions: [{ field: "Department", sort: "text" }],
      measures: ["Median(Amount)", "Fractile(Amount, 0.9)", "Fractile(Amount, 0) + Fractile(Amount, 1)"],
    });
    expect(table(result)).toEqual([
      ["Library", 80, 80, 160],
      ["Parks", 100, 180, 250],
      ["Roads", 300, 300, 600],
    ]);
    expect(result.totals).toEqual([100, 260, 350]);
  });

  it("leaves out a null dimension group whose measures are all empty, and keeps one with a value", async () => {
    const events = await loadTables([
      {
        name: "events",
        rows: [
          { Type: "open", Denial: null, Origin: "https://a.example", N: 1 },
          { Type: "denied", Denial: "NO_ACCESS_PASS", Origin: null, N: 1 },
          { Type: "open", Denial: null, Origin: null, N: 1 },
        ],
      },
    ]);
    const def = (dimension: string) =>
      object({ id: "d", type: "bar", dimensions: [dimension], measures: [`Count(Denial)`] });
    expect(events.hypercube(def("Denial")).rows.map((r) => [r.dimensions[0]!.text, r.measures[0]])).toEqual([
      ["NO_ACCESS_PASS", 1],
    ]);
    // Two rows have no origin, one of them a denial: that "-" group has a value and stays.
    const origins = events.hypercube(def("Origin")).rows.map((r) => [r.dimensions[0]!.text, r.measures[0]]);
    expect(origins.sort()).toEqual([
      ["-", 1],
      ["https://a.example", 0],
    ]);
  });

  it("rounds away binary floating-point noise", async () => {
    const tenths = await loadTables([{ name: "t", rows: Array.from({ length: 10 }, () => ({ V: 0.1 })) }]);
    const result = tenths.hypercube(object({ id: "k", type: "kpi", measures: ["Sum(V)", "Sum(V) * 3"] }));
    expect(result.rows[0]!.measures).toEqual([1, 3]);
  });

  it("gives null for an aggregation with no value and for division by zero", () => {
    const result = cube(
      { dimensions: ["Year"], measures: ["Sum(Amount) / (Count(Amount) - Count(Amount))", "Sum(Amount)"] },
      {
        Department: ["Roads"],
        Year: [2025],
      },
    );
    expect(table(result)).toEqual([["2025", null, null]]);
  });

  it("evaluates arithmetic between aggregations", () => {
    const result = cube({
      dimensions: ["Year"],
      measures: ["Sum(Amount) / Count(Amount) * 2 - 1", "-(Max(Amount) - Min(Amount))"],
    });
    expect(table(result)).toEqual([
      ["2024", 299, -250],
      ["2025", (280 / 2) * 2 - 1, -120],
    ]);
  });

  it("aggregates over the table holding the measure field, grouped by a dimension of an associated table", () => {
    const result = cube({
      type: "bar",
      dimensions: ["Division"],
      measures: ["Sum(Amount)", "Count(Department)"],
    });
    expect(table(result)).toEqual([
      ["Green", 350, 3],
      ["Transport", 300, 2],
      ["Culture", 80, 1],
    ]);
  });

  it("counts a lookup value once per dimension value it links to, with a null row for unlinked values", () => {
    const result = cube({ type: "table", dimensions: ["Year"], measures: ["Count(distinct Division)"] });
    expect(table(result)).toEqual([
      ["2024", 2],
      ["2025", 3],
      ["-", 1],
    ]);
    expect(result.rows[2]!.dimensions[0]!.value).toBeNull();
  });

  it("restricts cross-table measures by the selections", () => {
    const result = cube(
      { type: "bar", dimensions: ["Division"], measures: ["Sum(Amount)"] },
      { Year: [2025] },
    );
    expect(table(result)).toEqual([
      ["Green", 200],
      ["Culture", 80],
      ["Transport", null],
    ]);
    expect(result.totals).toEqual([280]);
  });

  it("crosses two dimensions", () => {
    const result = cube({
      type: "table",
      dimensions: ["Year", { field: "Division", sort: "text" }],
      measures: ["Sum(Amount)"],
    });
    expect(table(result)).toEqual([
      ["2024", "Green", 150],
      ["2024", "Transport", 300],
      ["2025", "Culture", 80],
      ["2025", "Green", 200],
      ["2025", "Transport", null],
    ]);
  });

  it("sorts bar charts by the first measure descending, line charts by dimension, or as requested", () => {
    expect(
      table(cube({ type: "bar", dimensions: ["Category"], measures: ["Sum(Amount)"] })).map((r) => r[0]),
    ).toEqual(["Asphalt", "Trees", "Books", "Benches"]);
    expect(
      table(
        cube({ type: "line", dimensions: [{ field: "Category", sort: "text" }], measures: ["Sum(Amount)"] }),
      ).map((r) => r[0]),
    ).toEqual(["Asphalt", "Benches", "Books", "Trees"]);
    const sorted = cube(
      { type: "bar", dimensions: ["Category"], measures: ["Sum(Amount)"] },
      {},
      { sort: { column: 1 } },
    );
    expect(table(sorted).map((r) => r[1])).toEqual([50, 80, 300, 300]);
    expect(() =>
      cube({ dimensions: ["Category"], measures: ["Sum(Amount)"] }, {}, { sort: { column: 5 } }),
    ).toThrow(expect.objectContaining({ code: "BAD_REQUEST" }));
  });

  it("keeps the top N and folds the rest into Others", () => {
    const result = cube({
      type: "bar",
      dimensions: ["Category"],
      measures: ["Sum(Amount)", "Count(distinct Department)"],
      topN: 2,
    });
    expect(table(result)).toEqual([
      ["Asphalt", 300, 1],
      ["Trees", 300, 1],
      ["Others", 130, 2],
    ]);
    expect(result.rows[2]!.others).toBe(true);
    expect(result.rows[2]!.dimensions[0]!.value).toBeNull();
  });

  it("pages rows and reports the total before paging", () => {
    const result = cube(
      { type: "table", dimensions: [{ field: "Category", sort: { by: "text" } }], measures: ["Sum(Amount)"] },
      {},
      { page: { offset: 1, limit: 2 } },
    );
    expect(table(result).map((r) => r[0])).toEqual(["Benches", "Books"]);
    expect(result.totalRows).toBe(4);
    expect(result.page).toEqual({ offset: 1, limit: 2 });
    expect(() => cube({ dimensions: ["Category"] }, {}, { page: { offset: -1, limit: 2 } })).toThrow(
      expect.objectContaining({ code: "BAD_REQUEST" }),
    );
  });

  it("returns one row for a KPI, even when nothing is selected in", () => {
    expect(
      table(cube({ type: "kpi", measures: ["Sum(Amount)", "Count(Amount)"] }, { Year: [1999] })),
    ).toEqual([[null, 0]]);
  });

  it("handles dates as dimensions (ISO values) and as measures (day numbers)", () => {
    const result = cube({ type: "line", dimensions: ["Paid"], measures: ["Max(Amount)"] }, { Year: [2024] });
    expect(result.dimensions[0]).toEqual({ field: "Paid", label: "Paid", type: "date" });
    expect(result.rows.map((r) => r.dimensions[0]!.value)).toEqual([
      "2024-01-10",
      "2024-02-15",
      "2024-03-01",
    ]);
    const min = cube({ type: "kpi", measures: ["Min(Paid)"] });
    expect(min.rows[0]!.measures[0]).toBe(Date.UTC(2024, 0, 10) / 86_400_000);
  });

  it("returns no rows for filter panes and text objects", () => {
    expect(cube({ type: "filterpane", fields: ["Year"] })).toMatchObject({
      rows: [],
      totalRows: 0,
      totals: [],
    });
    expect(cube({ type: "text", text: "hello" }).rows).toEqual([]);
  });

  it("folds Others with averages recomputed, not averaged", () => {
    const result = cube({
      type: "bar",
      dimensions: ["Department"],
      measures: ["Sum(Amount)", "Avg(Amount)"],
      topN: 1,
    });
    expect(table(result)).toEqual([
      ["Parks", 350, 116.666666666667],
      ["Others", 380, 190],
    ]);
  });

  it("aggregates over two tables into the groups either one reaches", () => {
    const measures = ["Sum(Amount)", "Count(Amount)", "Count(Division)"];
    expect(table(cube({ dimensions: ["Department"], measures }))).toEqual([
      ["Parks", 350, 3, 1],
      ["Roads", 300, 1, 1],
      ["Library", 80, 1, 1],
      ["Museum", null, 0, 1],
    ]);
  });

  it("folds Others over a column with a value on every row (counts from the group sizes)", () => {
    const measures = ["Sum(Year)", "Avg(Year)", "Count(Year)", "Count(Category)"];
    expect(table(cube({ type: "bar", dimensions: ["Department"], measures, topN: 1 }))).toEqual([
      ["Parks", 6073, 2024.33333333333, 3, 3],
      ["Others", 6074, 2024.66666666667, 3, 3],
    ]);
    const twoDimensions = cube({ dimensions: ["Department", "Year"], measures, topN: 1 });
    expect(table(twoDimensions)).toEqual([
      ["Parks", "2024", 4048, 2024, 2, 2],
      ["Parks", "2025", 2025, 2025, 1, 1],
      ["Others", "2024", 2024, 2024, 1, 1],
      ["Others", "2025", 4050, 2025, 2, 2],
    ]);
    expect(twoDimensions.totals).toEqual([12147, 2024.5, 6, 6]);
  });

  it("refuses hostile selection and request shapes with stable codes", () => {
    const hostile = [
      { selections: JSON.parse('{"__proto__": ["x"]}') },
      { selections: { constructor: ["x"] } },
      { selections: { Year: "2024" } },
      { selections: { Year: [{}] } },
      { selections: ["Year"] },
    ];
    for (const options of hostile) {
      let code: unknown;
      try {
        model.fieldStates("Year", options as never);
      } catch (error) {
        code = (error as { code?: unknown }).code;
      }
      expect(["FIELD_NOT_FOUND", "BAD_REQUEST"]).toContain(code);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(() => model.query(null as never, [])).toThrow(expect.objectContaining({ code: "BAD_REQUEST" }));
    expect(() => model.query({ page: 1 } as never, [])).toThrow(
      expect.objectContaining({ code: "BAD_REQUEST" }),
    );
    expect(() => model.fieldStates("Year", { search: 5 as never })).toThrow(
      expect.objectContaining({ code: "BAD_REQUEST" }),
    );
  });

  it("reports bad objects with stable codes", () => {
    expect(() => cube({ dimensions: ["Nope"] })).toThrow(
      expect.objectContaining({ code: "FIELD_NOT_FOUND" }),
    );
    expect(() => cube({ measures: ["Sum(Amount"] })).toThrow(
      expect.objectContaining({ code: "EXPRESSION_SYNTAX" }),
    );
    expect(() => cube({ dimensions: ["Year", "Department", "Category"] })).toThrow(
      expect.objectContaining({ code: "BAD_REQUEST" }),
    );
  });
});

describe("query, caching and export", () => {
  const objects = [
    object({
      id: "by-year",
      type: "bar",
      dimensions: ["Year"],
      measures: [{ expression: "Sum(Amount)", label: "Spent", format: ",.0f" }],
    }),
  ];

  it("answers object and field requests and refuses unknown objects", () => {
    const result = model.query({ object: "by-year", selections: { Department: ["Parks"] } }, objects);
    expect(result).toMatchObject({
      kind: "hypercube",
      object: "by-year",
      measures: [{ label: "Spent", format: ",.0f" }],
    });
    expect(model.query({ field: "Year" }, objects)).toMatchObject({
      kind: "field",
      field: "Year",
      type: "number",
    });
    expect(() => model.query({ object: "nope" }, objects)).toThrow(
      expect.objectContaining({ code: "OBJECT_NOT_FOUND" }),
    );
    expect(() => model.query({ object: "nope" }, new Map(objects.map((o) => [o.id, o])))).toThrow(
      expect.objectContaining({ code: "OBJECT_NOT_FOUND" }),
    );
  });

  it("caches one cube by object, selections and sort, pages sliced from it; a new model starts empty", async () => {
    // Pages of one cached cube share its totals array: the cube was computed once.
    const first = model.query(
      { object: "by-year", selections: { Department: ["Parks", "Roads"] }, page: { offset: 0, limit: 1 } },
      objects,
    ) as HypercubeResult;
    const next = model.query(
      { object: "by-year", selections: { Department: ["Roads", "Parks"] }, page: { offset: 1, limit: 1 } },
      objects,
    ) as HypercubeResult;
    expect(next.totals).toBe(first.totals);
    expect(next.rows).not.toEqual(first.rows);
    expect(next.rows).toHaveLength(1);
    const whole = model.query(
      { object: "by-year", selections: { Department: ["Parks", "Roads"] } },
      objects,
    ) as HypercubeResult;
    expect(whole.rows).toEqual([...first.rows, ...next.rows]);
    const sorted = model.query(
      { object: "by-year", selections: { Department: ["Parks", "Roads"] }, sort: { column: 0 } },
      objects,
    ) as HypercubeResult;
    expect(sorted.totals).not.toBe(first.totals);
    const reloaded = await loadTables([
      { name: "spending", rows: [{ Year: 2024, Department: "Parks", Amount: 1 }] },
    ]);
    expect(
      table(
        reloaded.query(
          { object: "by-year", selections: { Department: ["Parks", "Roads"] } },
          objects,
        ) as HypercubeResult,
      ),
    ).toEqual([["2024", 1]]);
  });

  it("exports every row with a header, without top-N folding", () => {
    const def = object({
      id: "x",
      type: "bar",
      dimensions: ["Category"],
      measures: ["Sum(Amount)"],
      topN: 1,
    });
    const rows = [...model.exportRows(def, { Year: [2024] })];
    expect(rows).toEqual([
      ["Category", "Sum(Amount)"],
      ["Asphalt", 300],
      ["Trees", 100],
      ["Benches", 50],
    ]);
    expect(toCsv(rows)).toBe("Category,Sum(Amount)\r\nAsphalt,300\r\nTrees,100\r\nBenches,50\r\n");
  });
});

describe("snapshots", () => {
  it("rebuilds a model on the same shared columns that answers exactly as the original", async () => {
    const { DataModel } = await import("./data-model.js");
    const snapshot = model.snapshot();
    for (const t of snapshot.tables) {
      for (const column of t.columns) expect(column.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    for (const { dictionary } of snapshot.fields) {
      const buffers =
        dictionary.kind === "numbers" ? [dictionary.values] : [dictionary.bytes, dictionary.ends];
      for (const view of buffers) expect(view.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    // postMessage clones the snapshot: shared buffers stay shared, dictionaries are copied.
    const copy = DataModel.fromSnapshot(structuredClone(snapshot));
    expect(copy.fields()).toEqual(model.fields());
    expect(copy.tables()).toEqual(model.tables());
    const objects = [object({ id: "c", dimensions: ["Division", "Category"], measures: ["Sum(Amount)"] })];
    const request = { object: "c", selections: { Year: [2024] }, sort: { column: 2, descending: true } };
    expect(copy.query(request, objects)).toEqual(model.query(request, objects));
    expect(copy.query({ field: "Department", selections: { Division: ["Green"] } }, objects)).toEqual(
      model.query({ field: "Department", selections: { Division: ["Green"] } }, objects),
    );
    // One copy of the rows: a write through the clone shows in the original.
    const original = snapshot.tables[0]!.columns[0]!;
    const clone = structuredClone(snapshot).tables[0]!.columns[0]!;
    const code = original[0]!;
    clone[0] = 12345;
    expect(original[0]).toBe(12345);
    clone[0] = code;
  });

  it("holds text with a lone surrogate as UTF-8 carries it, so a worker selects what the main thread does", async () => {
    const { DataModel } = await import("./data-model.js");
    const broken = await loadTables([
      {
        name: "t",
        fields: ["Name", "N"],
        records: [
          ["a\uD800", 1],
          ["b\uDC00c", 2],
          ["ok \uD83D\uDE00", 3],
        ],
      },
    ]);
    const copy = DataModel.fromSnapshot(structuredClone(broken.snapshot()));
    const states = (m: typeof broken, value: string) =>
      m.query({ field: "Name", selections: { Name: [value] } }, []);
    for (const value of ["a\uFFFD", "b\uFFFDc", "ok \uD83D\uDE00"]) {
      expect(states(copy, value)).toEqual(states(broken, value));
      const result = states(broken, value);
      expect(
        result.kind === "field" && result.values.filter((v) => v.state === "selected").map((v) => v.text),
      ).toEqual([value]);
    }
  });

  it("keeps a text value's leading U+FEFF in the rebuilt dictionary", async () => {
    const { DataModel } = await import("./data-model.js");
    const withMark = await loadTables([{ name: "t", fields: ["Name"], records: [["\uFEFFx"], ["x"]] }]);
    const copy = DataModel.fromSnapshot(structuredClone(withMark.snapshot()));
    expect(copy.fields()).toEqual(withMark.fields());
    expect(copy.query({ field: "Name", selections: {} }, [])).toEqual(
      withMark.query({ field: "Name", selections: {} }, []),
    );
  });
});
