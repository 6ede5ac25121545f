// Loading data: the 1,000,000-row x 10-field CSV of the engine suite against the same table as Parquet at
// 10,000,000 rows (written by hyparquet-writer from the same generator), each as rows per second and the
// bytes the loaded model holds per cell; the Parquet case also reports its rows/s over the CSV's.
// PORTICO_BENCH_PARQUET_ROWS sets the Parquet row count (default 10,000,000).
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadTables } from "@portico/engine";
import { parquetWriteFile } from "hyparquet-writer";
import { BIG_TABLE_FIELDS, writeBigTable } from "../../packages/engine/scripts/generate-sample-data.mjs";
import { collectGarbage, memoryNow } from "../lib/memory.js";
import type { BenchCase, BenchSuite } from "../lib/types.js";

const CSV_ROWS = 1_000_000;
const PARQUET_ROWS = Number(process.env.PORTICO_BENCH_PARQUET_ROWS ?? 10_000_000);
const NUMERIC = new Set(["Year", "Month", "Quantity", "Amount"]);

/** The CSV's columns repeated to `rows`: Parquet as a data pipeline would write the same table. */
function writeParquet(file: string, csv: string, rows: number): void {
  const lines = readFileSync(csv, "utf8")
    .split("\r\n")
    .slice(1, CSV_ROWS + 1);
  const cells = lines.map((line) => line.split(","));
  const columnData = BIG_TABLE_FIELDS.map((name: string, c: number) => {
    const numeric = NUMERIC.has(name);
    const data = numeric ? new Float64Array(rows) : new Array<string>(rows);
    for (let r = 0; r < rows; r++) {
      const cell = cells[r % cells.length]![c]!;
      data[r] = numeric ? Number(cell) : (cell as never);
    }
    return { name, data, type: numeric ? ("DOUBLE" as const) : ("STRING" as const) };
  });
  parquetWriteFile({ filename: file, columnData, rowGroupSize: 100_000 });
}

async function measureLoad(name: string, source: string, rows: number): Promise<BenchCase> {
  const gc = collectGarbage();
  const before = memoryNow(gc);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const model = await loadTables([{ name, source }], { resultCacheSize: 0, selectionCacheSize: 2 });
  const ms = performance.now() - start;
  // CPU time beside wall time: on a shared machine the wall time also counts others' work.
  const cpu = process.cpuUsage(cpuStart);
  const after = memoryNow(gc);
  const bytes = after.heap - before.heap + after.buffers - before.buffers;
  const cellsCount = rows * BIG_TABLE_FIELDS.length;
  if (model.tables()[0]?.rowCount !== rows) throw new Error(`${name}: loaded the wrong number of rows`);
  return {
    case: `load ${rows.toLocaleString("en")}-row ${name}`,
    samplesMs: [ms],
    opsPerIteration: rows,
    opsUnit: "rows",
    extra: {
      rowsPerSec: Math.round(rows / (ms / 1000)),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      modelMb: Math.round(bytes / 1e6),
      bytesPerCell: Math.round((bytes / cellsCount) * 10) / 10,
      fileMb: Math.round(statSync(source).size / 1e6),
    },
  };
}

export const loadSuite: BenchSuite = {
  name: "load",
  description: `data loading: ${CSV_ROWS.toLocaleString("en")}-row CSV and ${PARQUET_ROWS.toLocaleString("en")}-row Parquet (rows/s, bytes per cell)`,
  async run(): Promise<BenchCase[]> {
    const dir = mkdtempSync(join(tmpdir(), "portico-bench-load-"));
    try {
      const csv = join(dir, "transactions.csv");
      await writeBigTable(csv, CSV_ROWS);
      const parquet = join(dir, "transactions.parquet");
      writeParquet(parquet, csv, PARQUET_ROWS);
      const csvCase = await measureLoad("CSV", csv, CSV_ROWS);
      const parquetCase = await measureLoad("Parquet", parquet, PARQUET_ROWS);
      // Rows per second against the CSV's, measured in the same run (the machine's speed drifts).
      const vsCsv = Number(parquetCase.extra?.rowsPerSec) / Number(csvCase.extra?.rowsPerSec);
      return [
        csvCase,
        { ...parquetCase, extra: { ...parquetCase.extra, rowsPerSecVsCsv: Math.round(vsCsv * 100) / 100 } },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
