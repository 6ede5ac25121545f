import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeBigTable, writeSampleData } from "../scripts/generate-sample-data.mjs";
import { loadTables } from "./load-tables.js";

let dir: string;
let again: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "portico-sample-"));
  again = await mkdtemp(join(tmpdir(), "portico-sample-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await rm(again, { recursive: true, force: true });
});

describe("sample data generator", () => {
  it("writes the same bytes for the same seed and labels the data synthetic", async () => {
    const names = await writeSampleData(dir);
    await writeSampleData(again);
    expect(names.sort()).toEqual([
      "README.txt",
      "air_quality.csv",
      "city.db",
      "departments.csv",
      "lines.csv",
      "ridership.csv",
      "spending.csv",
      "stations.csv",
    ]);
    for (const name of names)
      expect(await readFile(join(dir, name), "utf8")).toBe(await readFile(join(again, name), "utf8"));
    expect(await readFile(join(dir, "README.txt"), "utf8")).toContain("SYNTHETIC");
  });

  it("loads into associated apps with the expected types", async () => {
    const spending = await loadTables(
      [
        { name: "spending", source: "spending.csv" },
        { name: "departments", source: "departments.csv" },
      ],
      { baseDir: dir },
    );
    const types = Object.fromEntries(spending.fields().map((f) => [f.name, f.type]));
    expect(types).toMatchObject({ Year: "number", Month: "number", Amount: "number", Department: "text" });
    expect(spending.fields().find((f) => f.name === "Department")!.tables).toEqual([
      "spending",
      "departments",
    ]);
    const rows = spending.tables()[0]!.rowCount;
    expect(rows).toBeGreaterThan(2000);
    expect(rows).toBeLessThan(10_000);
    const years = spending.fieldStates("Year").values.map((v) => v.value);
    expect(years).toEqual([2021, 2022, 2023, 2024, 2025]);
    const safety = spending.fieldStates("Department", { selections: { Division: ["Public Safety"] } });
    expect(safety.values.filter((v) => v.state === "possible").map((v) => v.text)).toEqual([
      "Fire Department",
      "Police",
    ]);

    const transport = await loadTables(
      [
        { name: "ridership", source: "ridership.csv" },
        { name: "lines", source: "lines.csv" },
      ],
      { baseDir: dir },
    );
    expect(transport.fields().find((f) => f.name === "Date")!.type).toBe("date");
    const air = await loadTables(
      [
        { name: "air_quality", source: "air_quality.csv" },
        { name: "stations", source: "stations.csv" },
      ],
      { baseDir: dir },
    );
    const kpi = air.hypercube({
      id: "k",
      type: "kpi",
      measures: ["Count(Value)", "Avg(Value)"],
      position: { col: 0, row: 0, width: 1, height: 1 },
    });
    // Some readings are missing on purpose: Count skips them.
    expect(kpi.rows[0]!.measures[0]).toBeLessThan(air.tables()[0]!.rowCount);
  });

  it("streams the benchmark table with 10 fields", async () => {
    const path = join(dir, "transactions.csv");
    await writeBigTable(path, 2000);
    const model = await loadTables([{ name: "transactions", source: path }]);
    expect(model.tables()[0]).toMatchObject({ rowCount: 2000 });
    expect(model.fields()).toHaveLength(10);
  });
});
