import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfigText } from "../config/load-config.js";
import type { PorticoError } from "../errors/portico-error.js";
import { checkAppData } from "./check-app-data.js";
import { objectFieldIssues } from "./object-issues.js";

const pos = { col: 0, row: 0, width: 6, height: 4 };
const configWith = (objects: unknown[], tables: unknown[] = [{ name: "sales", source: "./sales.csv" }]) =>
  JSON.stringify({
    streams: [{ id: "s", name: "S" }],
    apps: [
      { id: "first", name: "First", stream: "s", sheets: [] },
      { id: "sales", name: "Sales", stream: "s", tables, sheets: [{ id: "main", title: "Main", objects }] },
    ],
  });

function issuesOf(text: string, configPath = "/etc/portico/portico.yaml") {
  try {
    parseConfigText(text, configPath);
  } catch (error) {
    expect((error as PorticoError).code).toBe("CONFIG_INVALID");
    return ((error as PorticoError).details as { issues: Array<{ path: string; message: string }> }).issues;
  }
  throw new Error("the configuration was accepted");
}

describe("object syntax in config validation (no data read)", () => {
  it("reports a bad expression with its path, line, column and caret", () => {
    const issues = issuesOf(
      configWith([
        { id: "ok", type: "kpi", measures: ["Sum(Amount)"], position: pos },
        {
          id: "bad",
          type: "kpi",
          measures: ["Sum(Amount) +", { expression: "Sum(Amount) * Avg(" }],
          position: pos,
        },
      ]),
    );
    expect(issues.map((i) => i.path)).toEqual([
      "apps[1].sheets[0].objects[1].measures[0]",
      "apps[1].sheets[0].objects[1].measures[1].expression",
    ]);
    expect(issues[0]?.message).toMatch(/^line 1, column 14: .+\nSum\(Amount\) \+\n {13}\^$/);
    expect(issues[1]?.message).toMatch(/^line 1, column 19: /);
  });

  it("reports objects that cannot work: a chart without dimension, a kpi without measure", () => {
    const issues = issuesOf(
      configWith([
        { id: "bar", type: "bar", measures: ["Sum(Amount)"], position: pos },
        { id: "kpi", type: "kpi", position: pos },
        { id: "pane", type: "filterpane", position: pos },
      ]),
    );
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      "apps[1].sheets[0].objects[0].dimensions: a bar chart needs a dimension",
      "apps[1].sheets[0].objects[1].measures: a kpi needs at least one measure",
      "apps[1].sheets[0].objects[2].fields: a filter pane needs at least one field",
    ]);
  });

  it("accepts valid objects without reading any file", () => {
    const state = parseConfigText(
      configWith([
        {
          id: "bar",
          type: "bar",
          dimensions: ["Region"],
          measures: ["Sum(A) / Count(distinct B)"],
          position: pos,
        },
      ]),
      "/nonexistent/portico.yaml",
    );
    expect(state.apps.get("sales")?.sheets[0]?.objects[0]?.id).toBe("bar");
  });
});

describe("object fields against the data", () => {
  it("points a measure's unknown field at its aggregation", () => {
    const state = parseConfigText(
      configWith([
        {
          id: "m",
          type: "table",
          dimensions: ["Region", "Regoin"],
          measures: ["Sum(Amount)", { expression: "Sum(Amount) /\n  Count(distinct Custmer)" }],
          position: pos,
        },
      ]),
      "/x/portico.yaml",
    );
    const issues = objectFieldIssues(state.config.apps[1]!, 1, new Set(["Region", "Amount", "Customer"]));
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'apps[1].sheets[0].objects[0].dimensions[1]: unknown field "Regoin" (fields: Region, Amount, Customer)',
      'apps[1].sheets[0].objects[0].measures[1].expression: line 2, column 3: unknown field "Custmer" (fields: Region, Amount, Customer)',
    ]);
  });
});

describe("checkAppData (portico check)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "portico-check-"));
    await writeFile(path.join(dir, "sales.csv"), "Region,Amount\nNorth,1\n");
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it("reads the headers relative to the config file and checks every field", async () => {
    const ok = parseConfigText(
      configWith([
        { id: "t", type: "table", dimensions: ["Region"], measures: ["Sum(Amount)"], position: pos },
      ]),
      path.join(dir, "portico.yaml"),
    );
    expect(await checkAppData(ok)).toEqual([]);
    const bad = parseConfigText(
      configWith([
        { id: "t", type: "table", dimensions: ["Product"], measures: ["Sum(Amount)"], position: pos },
      ]),
      path.join(dir, "portico.yaml"),
    );
    expect((await checkAppData(bad)).map((i) => i.path)).toEqual([
      "apps[1].sheets[0].objects[0].dimensions[0]",
    ]);
  });

  it("names an unreadable source with its path", async () => {
    const state = parseConfigText(
      configWith([], [{ name: "sales", source: "./data/missing.csv" }]),
      path.join(dir, "portico.yaml"),
    );
    const issues = await checkAppData(state);
    expect(issues.map((i) => i.path)).toEqual(["apps[1].tables[0].source"]);
    expect(issues[0]?.message).toContain(`cannot read ${path.join("data", "missing.csv")}: ENOENT`);
    expect(issues[0]?.message).not.toContain(dir);
  });

  it("names a sortBy field the table does not hold", async () => {
    const withSortBy = (sortBy: Record<string, string>) =>
      parseConfigText(
        configWith([], [{ name: "sales", source: "./sales.csv", sortBy }]),
        path.join(dir, "portico.yaml"),
      );
    expect(await checkAppData(withSortBy({ Region: "Amount" }))).toEqual([]);
    expect(await checkAppData(withSortBy({ Month: "MonthNo" }))).toEqual([
      { path: "apps[1].tables[0].sortBy.Month", message: 'the table has no field "Month"' },
      { path: "apps[1].tables[0].sortBy.Month", message: 'the table has no field "MonthNo" to sort by' },
    ]);
  });
});
