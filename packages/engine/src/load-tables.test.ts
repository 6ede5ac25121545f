import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineError } from "./engine-error.js";
import { loadTables, readTableFields } from "./load-tables.js";
import { eventLoopTurns } from "./testing/event-loop-turns.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "portico-engine-"));
  await writeFile(
    join(dir, "spending.csv"),
    '\uFEFFYear,Department,Amount,Paid on,Note\r\n2024,Parks,100.5,2024-01-03,"a, quoted ""note"""\r\n2024,Roads,,2024-02-01,\r\n2025,Parks,7,,"multi\nline"\r\n',
  );
  await writeFile(
    join(dir, "departments.json"),
    JSON.stringify([
      { Department: "Parks", Division: "Green" },
      { Department: "Roads", Division: null },
    ]),
  );
  await writeFile(join(dir, "ragged.csv"), "A,B\n1,2\n3\n");
  await writeFile(join(dir, "dup.csv"), "A,A\n1,2\n");
  await writeFile(join(dir, "zip.csv"), "Zip,Count\n007,1\n010,2\n");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("loadTables", () => {
  it("streams CSV with quotes, BOM, CRLF and empty cells, infers types and associates tables", async () => {
    const model = await loadTables(
      [
        { name: "spending", source: "spending.csv" },
        { name: "departments", source: "departments.json" },
      ],
      { baseDir: dir },
    );
    expect(model.tables()).toEqual([
      { name: "spending", rowCount: 3, fields: ["Year", "Department", "Amount", "Paid on", "Note"] },
      { name: "departments", rowCount: 2, fields: ["Department", "Division"] },
    ]);
    const fields = Object.fromEntries(model.fields().map((f) => [f.name, f]));
    expect(fields.Year).toMatchObject({ type: "number", cardinality: 2 });
    expect(fields.Amount).toMatchObject({ type: "number", cardinality: 2 });
    expect(fields["Paid on"]).toMatchObject({ type: "date", cardinality: 2 });
    expect(fields.Department).toMatchObject({
      type: "text",
      cardinality: 2,
      tables: ["spending", "departments"],
    });
    expect(fields.Division).toMatchObject({ cardinality: 1 });
    const notes = model.fieldStates("Note").values.map((v) => v.value);
    expect(notes).toEqual(['a, quoted "note"', "multi\nline"]);
  });

  it("accepts inline rows and explicit types", async () => {
    const model = await loadTables([
      { name: "t", rows: [{ Code: "1" }, { Code: "2" }], types: { Code: "text" } },
    ]);
    expect(model.fields()[0]).toMatchObject({ name: "Code", type: "text" });
    expect(model.fieldStates("Code").values.map((v) => v.value)).toEqual(["1", "2"]);
  });

  it("keeps zero-padded codes as text", async () => {
    const model = await loadTables([{ name: "zip", source: "zip.csv" }], { baseDir: dir });
    expect(model.fields()[0]).toMatchObject({ name: "Zip", type: "text" });
  });

  it("merges equal values written differently into one dictionary entry", async () => {
    const model = await loadTables([
      { name: "a", rows: [{ K: 1, X: "a" }] },
      { name: "b", rows: [{ K: "1.0", Y: "b" }] },
    ]);
    expect(model.fields().find((f) => f.name === "K")).toMatchObject({ type: "number", cardinality: 1 });
    expect(model.fieldStates("Y", { selections: { X: ["a"] } }).values[0]!.state).toBe("possible");
  });

  it("fails with DATA_LOAD_FAILED and the table name for bad input", async () => {
    const failures = [
      () => loadTables([{ name: "r", source: "ragged.csv" }], { baseDir: dir }),
      () => loadTables([{ name: "d", source: "dup.csv" }], { baseDir: dir }),
      () => loadTables([{ name: "m", source: "missing.csv" }], { baseDir: dir }),
      () => loadTables([{ name: "x", source: "spending.xlsx" }], { baseDir: dir }),
      () => loadTables([{ name: "n", rows: [{ A: "x" }], types: { A: "number" } }]),
      () =>
        loadTables([
          { name: "t", rows: [{ A: 1 }] },
          { name: "t", rows: [{ B: 1 }] },
        ]),
      () =>
        loadTables([
          { name: "a", rows: [{ K: 1 }], types: { K: "number" } },
          { name: "b", rows: [{ K: 1 }], types: { K: "text" } },
        ]),
      () => loadTables([{ name: "o", rows: [{ A: { nested: true } }] }]),
    ];
    for (const failure of failures) {
      const error = await failure().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe("DATA_LOAD_FAILED");
    }
    await expect(loadTables([{ name: "r", source: "ragged.csv" }], { baseDir: dir })).rejects.toThrow(
      /ragged\.csv/,
    );
  });

  it("lets the event loop turn between fields while it builds their dictionaries", async () => {
    // Inline rows: no file read gives a turn, only the build does.
    const { turns } = await eventLoopTurns(() =>
      loadTables([{ name: "t", rows: [{ A: 1, B: "x", C: "2024-01-01", D: "y" }] }]),
    );
    expect(turns).toBeGreaterThanOrEqual(4);
  });

  it("refuses circular references between tables", async () => {
    const loop = loadTables([
      { name: "a", rows: [{ K: 1, L: 1 }] },
      { name: "b", rows: [{ K: 1, L: 1 }] },
    ]);
    await expect(loop).rejects.toThrow(/circular reference/);
    await expect(loop).rejects.toMatchObject({ code: "DATA_LOAD_FAILED" });
  });

  it("reads field names from headers only", async () => {
    const names = await readTableFields(
      [
        { name: "spending", source: "spending.csv" },
        { name: "departments", source: "departments.json" },
        { name: "inline", rows: [{ A: 1 }, { B: 2 }] },
      ],
      { baseDir: dir },
    );
    expect(Object.fromEntries(names)).toEqual({
      spending: ["Year", "Department", "Amount", "Paid on", "Note"],
      departments: ["Department", "Division"],
      inline: ["A", "B"],
    });
  });
});
