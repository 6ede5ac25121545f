import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parquetWriteFile } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTables, readTableFields } from "./load-tables.js";
import { tableRows } from "./testing/table-rows.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portico-parquet-"));
  // Written by a maintained writer (hyparquet-writer), in row groups of 2 so that rows are assembled
  // from several groups' column chunks.
  parquetWriteFile({
    filename: path.join(dir, "budget.parquet"),
    rowGroupSize: 2,
    columnData: [
      { name: "Department", data: ["Parks", "Library", null, "Finance", "Parks"], type: "STRING" },
      { name: "Code", data: ["007", "012", "013", "020", "007"], type: "STRING" },
      { name: "Amount", data: [100, 250, 75, 400, 50], type: "INT32" },
      { name: "Rate", data: [0.5, 1.25, null, 2, 0.5], type: "DOUBLE" },
      { name: "Big", data: [1n, 2n, 3n, 2n ** 60n, 5n], type: "INT64" },
      { name: "Open", data: [true, false, true, true, false], type: "BOOLEAN" },
    ],
  });
  parquetWriteFile({
    filename: path.join(dir, "days.parquet"),
    schema: [
      { name: "root", num_children: 1 },
      { name: "Day", type: "INT32", converted_type: "DATE", repetition_type: "OPTIONAL" },
    ],
    columnData: [{ name: "Day", data: [new Date("2024-01-31T00:00:00Z"), new Date("2024-02-29T00:00:00Z")] }],
  });
  // Text in dictionary and plain pages (a value per row defeats a dictionary), blanks, nulls, JSON,
  // numbers that are not finite, and -0, in row groups of 3.
  parquetWriteFile({
    filename: path.join(dir, "mixed.parquet"),
    rowGroupSize: 3,
    columnData: [
      { name: "Kind", data: ["a", "b", "a", null, "  ", "b", "", "a"], type: "STRING" },
      { name: "Id", data: Array.from({ length: 8 }, (_, i) => `id-${i}-${"x".repeat(i)}`), type: "STRING" },
      { name: "Meta", data: [{ k: 1 }, null, [1, 2], "s", { k: 1 }, 2, true, null], type: "JSON" },
      {
        name: "Value",
        data: [1.5, Number.NaN, -0, 0, Number.POSITIVE_INFINITY, 1.5, null, 2],
        type: "DOUBLE",
      },
    ],
  });
  const day = (iso: string | null) => (iso === null ? null : new Date(`${iso}T00:00:00Z`));
  parquetWriteFile({
    filename: path.join(dir, "dated.parquet"),
    rowGroupSize: 2,
    schema: [
      { name: "root", num_children: 1 },
      { name: "Day", type: "INT32", converted_type: "DATE", repetition_type: "OPTIONAL" },
    ],
    columnData: [
      { name: "Day", data: ["2024-02-29", null, "1969-12-31", "2024-02-29", "2000-01-01"].map(day) },
    ],
  });
  await writeFile(
    path.join(dir, "visits.ndjson"),
    '{"Branch":"North","Visits":10}\n\n{"Branch":"South","Visits":7,"Note":"closed"}\n',
  );
  await writeFile(path.join(dir, "broken.ndjson"), '{"Branch":"North"}\n{"Branch":\n');
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe("Parquet sources", () => {
  it("loads every row group with the schema's types, nulls and exact integers", async () => {
    const model = await loadTables([{ name: "budget", source: "budget.parquet" }], { baseDir: dir });
    expect(model.tables()).toEqual([expect.objectContaining({ name: "budget", rowCount: 5 })]);
    const types = Object.fromEntries(model.fields().map((f) => [f.name, f.type]));
    // Text codes keep their leading zeros: the schema says STRING, so nothing is inferred.
    expect(types).toEqual({
      Department: "text",
      Code: "text",
      Amount: "number",
      Rate: "number",
      Big: "number",
      Open: "text",
    });
    const values = (field: string) => model.fieldStates(field).values.map((v) => v.value);
    expect(values("Code")).toEqual(["007", "012", "013", "020"]);
    expect(values("Department")).toEqual(["Finance", "Library", "Parks"]);
    expect(values("Amount")).toEqual([50, 75, 100, 250, 400]);
    expect(values("Big").slice(0, 4)).toEqual([1, 2, 3, 5]);
    expect(values("Open")).toEqual(["false", "true"]);
  });

  it("codes every row's value across row groups: text from dictionary and plain pages, blanks and nulls empty", async () => {
    const model = await loadTables([{ name: "mixed", source: "mixed.parquet" }], { baseDir: dir });
    expect(model.fields().map((f) => [f.name, f.type])).toEqual([
      ["Kind", "text"],
      ["Id", "text"],
      ["Meta", "text"],
      ["Value", "number"],
    ]);
    const ids = Array.from({ length: 8 }, (_, i) => `id-${i}-${"x".repeat(i)}`);
    const kinds = ["a", "b", "a", null, null, "b", null, "a"];
    const metas = ['{"k":1}', null, "[1,2]", "s", '{"k":1}', "2", "true", null];
    // 0 and -0 are one value, kept as it first appeared.
    const values = [1.5, null, -0, -0, null, 1.5, null, 2];
    expect(tableRows(model)).toEqual(kinds.map((kind, r) => [kind, ids[r], metas[r], values[r]]));
  });

  it("reads dates as dates, and only the footer for the field names", async () => {
    const model = await loadTables([{ name: "days", source: "days.parquet" }], { baseDir: dir });
    expect(model.fields()).toEqual([expect.objectContaining({ name: "Day", type: "date" })]);
    expect(
      (await readTableFields([{ name: "b", source: "budget.parquet" }], { baseDir: dir })).get("b"),
    ).toEqual(["Department", "Code", "Amount", "Rate", "Big", "Open"]);
  });

  it("reads every row's date across row groups, nulls empty", async () => {
    const model = await loadTables([{ name: "dated", source: "dated.parquet" }], { baseDir: dir });
    expect(model.fields()).toEqual([expect.objectContaining({ name: "Day", type: "date", cardinality: 3 })]);
    expect(tableRows(model)).toEqual([
      ["2024-02-29"],
      [null],
      ["1969-12-31"],
      ["2024-02-29"],
      ["2000-01-01"],
    ]);
  });

  it("lets the configuration's types win over the schema's", async () => {
    const model = await loadTables(
      [{ name: "budget", source: "budget.parquet", types: { Amount: "text" } }],
      {
        baseDir: dir,
      },
    );
    expect(model.fields().find((f) => f.name === "Amount")?.type).toBe("text");
  });

  it("names the file, relative to the data directory, when it is not Parquet", async () => {
    await writeFile(path.join(dir, "fake.parquet"), "not parquet at all");
    await expect(loadTables([{ name: "x", source: "fake.parquet" }], { baseDir: dir })).rejects.toThrow(
      /table "x": cannot read fake\.parquet: /,
    );
  });
});

describe("NDJSON sources", () => {
  it("loads one object per line, blank lines skipped, fields in order of appearance", async () => {
    const model = await loadTables([{ name: "visits", source: "visits.ndjson" }], { baseDir: dir });
    expect(model.tables()[0]?.rowCount).toBe(2);
    expect(model.fields().map((f) => [f.name, f.type])).toEqual([
      ["Branch", "text"],
      ["Visits", "number"],
      ["Note", "text"],
    ]);
  });

  it("names the line that is not JSON", async () => {
    await expect(loadTables([{ name: "b", source: "broken.ndjson" }], { baseDir: dir })).rejects.toThrow(
      /table "b": broken\.ndjson, line 2: /,
    );
  });
});

describe("records a caller reads", () => {
  it("takes typed values and the source's declared types", async () => {
    async function* cursor() {
      yield ["2024-03-01", "0042", 12.5, 3n];
      yield [new Date("2024-03-02T00:00:00Z"), null, "7", null];
    }
    const model = await loadTables([
      {
        name: "rows",
        fields: ["Day", "Code", "Amount", "Count"],
        records: cursor(),
        sourceTypes: { Day: "date", Code: "text", Amount: "number" },
      },
    ]);
    expect(model.fields().map((f) => [f.name, f.type])).toEqual([
      ["Day", "date"],
      ["Code", "text"],
      ["Amount", "number"],
      ["Count", "number"],
    ]);
    expect(model.tables()[0]?.rowCount).toBe(2);
  });
});
