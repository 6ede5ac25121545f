import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CsvTokenizer } from "./csv-tokenizer.js";
import type { DataModel } from "./data-model.js";
import { loadTables } from "./load-tables.js";
import { eventLoopTurns } from "./testing/event-loop-turns.js";
import { tableRows } from "./testing/table-rows.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "portico-read-csv-"));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** The fields and every row of the model's first table. */
function contents(model: DataModel) {
  return { fields: model.fields(), rows: tableRows(model) };
}

/**
 * The same file loaded the way the loader read CSV before it tokenized bytes itself: csv-parse's records,
 * each cell a string (blank: null), as rows a caller reads.
 */
async function loadThroughCsvParse(text: string) {
  const [header, ...records] = parse(text, { bom: true, skip_empty_lines: true }) as string[][];
  return loadTables([{ name: "t", fields: header!.map((h) => h.trim()), records }]);
}

describe("CSV files", () => {
  it("load as the same rows, types and dictionaries as csv-parse's records did, on awkward values", async () => {
    // Numbers, codes, dates and blanks that type inference must treat exactly as before.
    const value = fc.constantFrom(
      ...["1", "1.0", "-0", "+5", ".5", "5.", "1e3", "1E-2", "007", "0", "0.7", "-007", " 42 ", "1,5"],
      ...["2024-02-29", "2023-02-29", "2024-13-01", " 2024-01-01", "Q1", "Mar", "", " ", "\u00a0"],
      ...["x", 'say "hi"', "a\nb", "a\r\nb", "é", "ü ", "true", "NaN", "Infinity", "0x10", "1_000"],
      // A byte-order mark inside the file is data, not the file's mark.
      "\uFEFFx",
    );
    const column = fc.array(value, { minLength: 1, maxLength: 4 });
    const file = fc.record({
      columns: fc.array(column, { minLength: 1, maxLength: 4 }),
      rows: fc.integer({ min: 1, max: 8 }),
      lineBreak: fc.constantFrom("\n", "\r\n"),
      bom: fc.boolean(),
    });
    let n = 0;
    await fc.assert(
      fc.asyncProperty(file, async ({ columns, rows, lineBreak, bom }) => {
        const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
        const lines = [columns.map((_, c) => `F${c}`).join(",")];
        for (let r = 0; r < rows; r++)
          lines.push(columns.map((cells) => quote(cells[r % cells.length]!)).join(","));
        // A line of one empty cell would be an empty line, which CSV skips: not what this compares.
        if (columns.length === 1 && lines.some((line) => line === "")) return;
        const text = (bom ? "\uFEFF" : "") + lines.join(lineBreak) + lineBreak;
        const path = join(dir, `t${n++}.csv`);
        await writeFile(path, text);
        const loaded = contents(await loadTables([{ name: "t", source: path }]));
        expect(loaded).toEqual(contents(await loadThroughCsvParse(text)));
      }),
      { numRuns: 150 },
    );
  });

  it("reads records cut across the chunks the file is streamed in", async () => {
    // Several hundred kilobytes: more than one chunk, with quoted line breaks and quotes everywhere.
    const lines = ["Id,Note,Amount"];
    for (let i = 0; i < 20_000; i++)
      lines.push(`${i},"line ${i % 97}\r\nsays ""${i % 13}""",${(i % 1000) / 4}`);
    const text = `${lines.join("\r\n")}\r\n`;
    const path = join(dir, "big.csv");
    await writeFile(path, text);
    const model = await loadTables([{ name: "t", source: path }]);
    expect(contents(model)).toEqual(contents(await loadThroughCsvParse(text)));
    expect(model.fields().map((f) => [f.name, f.type, f.cardinality])).toEqual([
      ["Id", "number", 20_000],
      ["Note", "text", 97 * 13],
      ["Amount", "number", 1000],
    ]);
  });

  it("reads a record longer than the chunks the file is read in", async () => {
    const long = `${"word, ".repeat(100_000)}"quoted"\r\nand more`;
    const text = `A,B\n1,"${long.replaceAll('"', '""')}"\n2,short\n`;
    await writeFile(join(dir, "long.csv"), text);
    const model = await loadTables([{ name: "t", source: "long.csv" }], { baseDir: dir });
    expect(tableRows(model)).toEqual([
      [1, long],
      [2, "short"],
    ]);
  });

  it("tokenizes a record many chunks long a few times over, not once per chunk", async () => {
    const text = `A\n"${"x".repeat(8 << 20)}"\n`;
    await writeFile(join(dir, "longer.csv"), text);
    const tokenize = vi.spyOn(CsvTokenizer.prototype, "tokenize");
    try {
      const model = await loadTables([{ name: "t", source: "longer.csv" }], { baseDir: dir });
      expect(tableRows(model)).toEqual([["x".repeat(8 << 20)]]);
      const scanned = tokenize.mock.calls.reduce((bytes, [chunk]) => bytes + chunk.length, 0);
      expect(scanned).toBeLessThan(4 * text.length);
    } finally {
      tokenize.mockRestore();
    }
  });

  it("lets the event loop run while a file loads", async () => {
    const lines = ["A,B"];
    for (let i = 0; i < 100_000; i++) lines.push(`${i},${i % 10}`);
    const path = join(dir, "turns.csv");
    await writeFile(path, `${lines.join("\n")}\n`);
    const { result: model, turns } = await eventLoopTurns(() => loadTables([{ name: "t", source: path }]));
    expect(model.tables()[0]?.rowCount).toBe(100_000);
    // The file is about 1 MB, read in chunks of a quarter of one: a turn at least between chunks.
    expect(turns).toBeGreaterThanOrEqual(4);
  });

  it("names the file and the line of a syntax error", async () => {
    await writeFile(join(dir, "quote.csv"), 'A,B\n1,2\n3,"x"y\n');
    await expect(loadTables([{ name: "q", source: "quote.csv" }], { baseDir: dir })).rejects.toThrow(
      /table "q": cannot read quote\.csv: Invalid Closing Quote: .* line 3/,
    );
  });
});
