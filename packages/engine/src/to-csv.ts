import type { ExportCell } from "./data-model.js";

export interface CsvOptions {
  /**
   * Prefix text cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage
   * return) with a single quote. On by default: exported data is opened in spreadsheets, and a cell
   * such as `=HYPERLINK(...)` coming from source data must not execute there. Numbers are never touched.
   */
  neutraliseFormulas?: boolean;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One CSV record (RFC 4180): fields quoted when they hold a comma, quote or line break; CRLF ending. */
export function csvLine(cells: readonly ExportCell[], options: CsvOptions = {}): string {
  const neutralise = options.neutraliseFormulas ?? true;
  return `${cells.map((cell) => csvField(cell, neutralise)).join(",")}\r\n`;
}

/** A whole CSV document from rows (the first row is usually the header). */
export function toCsv(rows: Iterable<readonly ExportCell[]>, options: CsvOptions = {}): string {
  let out = "";
  for (const row of rows) out += csvLine(row, options);
  return out;
}

function csvField(cell: ExportCell, neutralise: boolean): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "number") return Number.isFinite(cell) ? String(cell) : "";
  let text = String(cell);
  if (neutralise && FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
