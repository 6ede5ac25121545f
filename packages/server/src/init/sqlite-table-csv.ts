import { writeFile } from "node:fs/promises";
import { csvLine } from "@portico/engine";
import { ErrorCode } from "@portico/protocol";
import { PorticoError } from "../errors/portico-error.js";

/**
 * Copies one SQLite table into a CSV file. Apps load tables from files, so `portico init --sqlite` takes a
 * snapshot of the table for the first dashboard; the file is re-created by running init again.
 */
export async function sqliteTableToCsv(dbFile: string, table: string, csvFile: string): Promise<number> {
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const known = db
      .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")
      .pluck()
      .all() as string[];
    if (!known.includes(table))
      throw new PorticoError(
        ErrorCode.DATA_LOAD_FAILED,
        `${dbFile} has no table "${table}"${known.length > 0 ? ` (it has ${known.join(", ")})` : ""}`,
      );
    const statement = db.prepare(`SELECT * FROM "${table.replace(/"/g, '""')}"`);
    const columns = statement.columns().map((c) => c.name);
    let text = csvLine(columns, { neutraliseFormulas: false });
    let rows = 0;
    for (const row of statement.raw().iterate() as Iterable<unknown[]>) {
      text += csvLine(
        row.map((v) =>
          v === null || typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : String(v),
        ),
        { neutraliseFormulas: false },
      );
      rows++;
    }
    await writeFile(csvFile, text);
    return rows;
  } finally {
    db.close();
  }
}
