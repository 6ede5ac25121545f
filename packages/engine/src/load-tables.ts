import { readFile } from "node:fs/promises";
import { extname, relative, resolve } from "node:path";
import type { FieldType, SelectionValue } from "@portico/protocol";
import { DataModel, type DataModelOptions } from "./data-model.js";
import { EngineError, EngineErrorCode } from "./engine-error.js";
import { Field, rowNumbers, type Table } from "./field.js";
import { formatDate, inferType, parseDate, parseNumber, type RawValue } from "./infer-type.js";
import { RawTable, rawValueOf } from "./raw-table.js";
import { readCsv, readCsvHeader } from "./read-csv.js";
import { parquetFields, readParquet } from "./read-parquet.js";
import { applySortBy } from "./sort-by.js";

/**
 * One table to load: from a file (`source` relative to `baseDir`: CSV, TSV, a JSON array, NDJSON or
 * Parquet, by extension), inline `rows`, or `records` a caller reads (a database cursor).
 */
export interface TableDef {
  name: string;
  source?: string;
  rows?: Array<Record<string, unknown>>;
  /** Rows as arrays of values in the order of `fields` (required with it), typed or text. */
  records?: AsyncIterable<ArrayLike<unknown>> | Iterable<ArrayLike<unknown>>;
  /** Column names for inline `rows` or `records` (default for rows: every key seen in them, in order). */
  fields?: string[];
  /** Types the source declares (a database's column types); `types` win over them. */
  sourceTypes?: Record<string, FieldType>;
  /** Explicit field types; fields not listed take the source's type, or are inferred. */
  types?: Record<string, FieldType>;
  /**
   * Dual fields: text field name -> a number or date field of the same table whose value orders the text
   * and selects it (`{Month: MonthNo}`: "Mar" shown, ordered and selectable as 3).
   */
  sortBy?: Record<string, string>;
}

export interface LoadOptions extends DataModelOptions {
  /** Directory that relative `source` paths resolve against (the config file's directory). */
  baseDir?: string;
}

const FIELD_TYPES: readonly string[] = ["number", "date", "text"];

/**
 * Loads tables into a new, immutable `DataModel`. Tables that share a field name associate on it.
 * CSV files are streamed (never read whole into a string). Reloading data means calling this again and
 * swapping the model: the old model and its caches go away with it.
 */
export async function loadTables(defs: TableDef[], options: LoadOptions = {}): Promise<DataModel> {
  if (!Array.isArray(defs) || defs.length === 0) throw new TypeError("loadTables needs at least one table");
  const seen = new Set<string>();
  const raws: RawTable[] = [];
  for (const def of defs) {
    if (!def || typeof def.name !== "string" || def.name === "") throw new TypeError("a table needs a name");
    if (seen.has(def.name)) throw loadError(`table "${def.name}" is defined twice`, def.name);
    seen.add(def.name);
    raws.push(await readTable(def, options.baseDir ?? process.cwd()));
  }
  const tables = await buildTables(raws, defs);
  applySortBy(
    tables,
    defs.map((d) => d.sortBy),
  );
  return new DataModel(tables, options);
}

/** The field names of each table, reading only CSV headers: lets config validation run before a load. */
export async function readTableFields(
  defs: TableDef[],
  options: { baseDir?: string } = {},
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const def of defs) {
    if (def.rows) out.set(def.name, def.fields ?? namesOfRows(def.rows, def.name));
    else if (def.records && def.fields) out.set(def.name, def.fields);
    else if (def.source) {
      const file = sourceFile(options.baseDir ?? process.cwd(), def.source);
      const format = formatOf(file.path, def.name);
      if (format === "json" || format === "ndjson")
        out.set(def.name, namesOfRows(await readJsonRows(file, def.name, format), def.name));
      else if (format === "parquet") {
        try {
          out.set(def.name, await parquetFields(file));
        } catch (error) {
          throw cannotRead(file, def.name, error);
        }
      } else out.set(def.name, await readCsvHeaderOf(file, def.name));
    } else throw loadError(`table "${def.name}" needs a source or rows`, def.name);
  }
  return out;
}

function loadError(message: string, table: string, cause?: unknown): EngineError {
  return new EngineError(EngineErrorCode.DATA_LOAD_FAILED, message, { table }, cause ? { cause } : undefined);
}

async function readTable(def: TableDef, baseDir: string): Promise<RawTable> {
  if (def.types !== undefined) {
    for (const [field, type] of Object.entries(def.types)) {
      if (!FIELD_TYPES.includes(type)) {
        throw loadError(`table "${def.name}": field "${field}" has unknown type "${type}"`, def.name);
      }
    }
  }
  if (def.rows !== undefined) {
    if (!Array.isArray(def.rows)) throw loadError(`table "${def.name}": rows must be an array`, def.name);
    return rowsToTable(def.rows, def.name, def.fields);
  }
  if (def.records !== undefined) return recordsToTable(def);
  if (typeof def.source !== "string" || def.source === "") {
    throw loadError(`table "${def.name}" needs a source or rows`, def.name);
  }
  const file = sourceFile(baseDir, def.source);
  const format = formatOf(file.path, def.name);
  if (format === "json" || format === "ndjson")
    return rowsToTable(await readJsonRows(file, def.name, format), def.name);
  if (format === "parquet") return readParquetTable(file, def.name);
  return readCsvTable(file, def.name);
}

async function readParquetTable(file: SourceFile, table: string): Promise<RawTable> {
  try {
    return await readParquet(file, table);
  } catch (error) {
    throw cannotRead(file, table, error);
  }
}

/** Rows a caller reads (a database cursor), in the order of `fields`. */
async function recordsToTable(def: TableDef): Promise<RawTable> {
  if (!def.fields) throw loadError(`table "${def.name}": records need their fields`, def.name);
  const raw = new RawTable(def.name, headerOf(def.fields, def.name));
  raw.sourceTypes = { ...def.sourceTypes };
  const width = def.fields.length;
  const cells: RawValue[] = new Array(width);
  for await (const record of def.records!) {
    for (let c = 0; c < width; c++) cells[c] = rawValueOf(record[c]);
    raw.addRow(cells);
  }
  return raw;
}

/** A source to read at `path`, named in messages as `shown`: relative to the base directory, so an error
 * shown to an administrator or a visitor never tells where the server keeps its files. */
interface SourceFile {
  path: string;
  shown: string;
}

function sourceFile(baseDir: string, source: string): SourceFile {
  const path = resolve(baseDir, source);
  return { path, shown: relative(baseDir, path) || "." };
}

/** A read failure: a system error by its code (its message holds the absolute path), anything else by its message. */
function cannotRead(file: SourceFile, table: string, error: unknown): EngineError {
  const reason = (error as NodeJS.ErrnoException).syscall
    ? ((error as NodeJS.ErrnoException).code ?? "read error")
    : (error as Error).message;
  return loadError(`table "${table}": cannot read ${file.shown}: ${reason}`, table, error);
}

type SourceFormat = "csv" | "tsv" | "json" | "ndjson" | "parquet";

function formatOf(path: string, table: string): SourceFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".json") return "json";
  if (ext === ".ndjson" || ext === ".jsonl") return "ndjson";
  if (ext === ".parquet") return "parquet";
  if (ext === ".csv" || ext === ".txt") return "csv";
  if (ext === ".tsv") return "tsv";
  throw loadError(
    `table "${table}": unsupported source type "${ext}" (expected .csv, .tsv, .json, .ndjson or .parquet)`,
    table,
  );
}

function delimiterOf(path: string, table: string): string {
  return formatOf(path, table) === "tsv" ? "\t" : ",";
}

function headerOf(record: unknown, table: string): string[] {
  const names = (record as string[]).map((name) => name.trim());
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name === "") throw loadError(`table "${table}": column ${i + 1} has an empty header`, table);
    if (seen.has(name))
      throw loadError(`table "${table}": column "${name}" appears twice in the header`, table);
    seen.add(name);
  });
  return names;
}

async function readCsvHeaderOf(file: SourceFile, table: string): Promise<string[]> {
  let names: string[] | undefined;
  try {
    names = await readCsvHeader(file.path, delimiterOf(file.path, table));
  } catch (error) {
    throw cannotRead(file, table, error);
  }
  if (!names) throw loadError(`table "${table}": ${file.shown} is empty (no header row)`, table);
  return headerOf(names, table);
}

async function readCsvTable(file: SourceFile, table: string): Promise<RawTable> {
  let raw: RawTable | undefined;
  try {
    raw = await readCsv(file.path, delimiterOf(file.path, table), table, (names) => headerOf(names, table));
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw cannotRead(file, table, error);
  }
  if (!raw) throw loadError(`table "${table}": ${file.shown} is empty (no header row)`, table);
  return raw;
}

async function readJsonRows(
  file: SourceFile,
  table: string,
  format: "json" | "ndjson",
): Promise<Array<Record<string, unknown>>> {
  let parsed: unknown;
  try {
    const text = await readFile(file.path, "utf8");
    parsed = format === "json" ? JSON.parse(text) : parseNdjson(text, file, table);
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw cannotRead(file, table, error);
  }
  if (!Array.isArray(parsed))
    throw loadError(`table "${table}": ${file.shown} must hold a JSON array of objects`, table);
  return parsed as Array<Record<string, unknown>>;
}

/** One JSON value per line; blank lines are skipped, a bad line is named by its number. */
function parseNdjson(text: string, file: SourceFile, table: string): unknown[] {
  const rows: unknown[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === "") continue;
    try {
      rows.push(JSON.parse(line));
    } catch (error) {
      throw loadError(`table "${table}": ${file.shown}, line ${i + 1}: ${(error as Error).message}`, table);
    }
  }
  return rows;
}

function namesOfRows(rows: Array<Record<string, unknown>>, table: string): string[] {
  const names = new Set<string>();
  rows.forEach((row, i) => {
    if (row === null || typeof row !== "object" || Array.isArray(row)) {
      throw loadError(`table "${table}": row ${i + 1} is not an object`, table);
    }
    for (const key of Object.keys(row)) names.add(key);
  });
  return [...names];
}

function rowsToTable(rows: Array<Record<string, unknown>>, table: string, fields?: string[]): RawTable {
  const names = fields ?? namesOfRows(rows, table);
  if (fields) headerOf(fields, table);
  const raw = new RawTable(table, names);
  const cells: RawValue[] = new Array(names.length);
  rows.forEach((row, i) => {
    names.forEach((name, c) => {
      const value = row[name];
      if (value === null || value === undefined) cells[c] = null;
      else if (typeof value === "number") {
        if (!Number.isFinite(value))
          throw loadError(`table "${table}": row ${i + 1}, field "${name}" is not a finite number`, table);
        cells[c] = value;
      } else if (typeof value === "string") cells[c] = value.trim() === "" ? null : value;
      else if (typeof value === "boolean") cells[c] = String(value);
      else
        throw loadError(
          `table "${table}": row ${i + 1}, field "${name}" must be a string, number, boolean or null`,
          table,
        );
    });
    raw.addRow(cells);
  });
  return raw;
}

/** Lets the event loop turn between steps of a load that each take a while on a large table. */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Merges the local dictionaries into one dictionary per field, typed, and recodes every column. The
 * event loop turns between fields and between tables.
 */
async function buildTables(raws: RawTable[], defs: TableDef[]): Promise<Table[]> {
  const byField = new Map<string, Array<{ raw: RawTable; column: number; def: TableDef }>>();
  raws.forEach((raw, t) => {
    raw.fieldNames.forEach((name, column) => {
      const list = byField.get(name) ?? [];
      byField.set(name, list);
      list.push({ raw, column, def: defs[t]! });
    });
  });

  const fields = new Map<string, Field>();
  const remaps = new Map<RawTable, Uint32Array[]>();
  for (const [name, holders] of byField) {
    const explicit = new Set(
      holders.map((h) => h.def.types?.[name]).filter((t): t is FieldType => t !== undefined),
    );
    if (explicit.size > 1) {
      throw loadError(
        `field "${name}" has conflicting explicit types: ${[...explicit].join(", ")}`,
        holders[0]!.raw.name,
      );
    }
    const allValues = function* () {
      for (const h of holders) yield* h.raw.localValues[h.column]!;
    };
    const declared = new Set(
      holders.map((h) => h.raw.sourceTypes[name]).filter((t): t is FieldType => t !== undefined),
    );
    const type =
      explicit.size === 1
        ? [...explicit][0]!
        : declared.size === 1
          ? [...declared][0]!
          : inferType(allValues());
    // Normalise each raw value to its canonical wire value, so "1.0" and 1 become one dictionary entry.
    const canonical = new Map<string | number, number>();
    const values: SelectionValue[] = [];
    for (const h of holders) {
      const locals = h.raw.localValues[h.column]!;
      const remap = new Uint32Array(locals.length);
      for (let local = 1; local < locals.length; local++) {
        const value = normalise(locals[local]!, type, name, h.raw.name);
        let code = canonical.get(value);
        if (code === undefined) {
          values.push(value);
          code = values.length;
          canonical.set(value, code);
        }
        remap[local] = code;
      }
      const list = remaps.get(h.raw) ?? [];
      remaps.set(h.raw, list);
      list[h.column] = remap;
    }
    fields.set(name, new Field(name, type, fields.size, values));
    await turn();
  }

  const tables: Table[] = [];
  for (const [index, raw] of raws.entries()) {
    const columns = raw.finish();
    const remap = remaps.get(raw) ?? [];
    columns.forEach((codes, c) => {
      const map = remap[c]!;
      if (!isIdentity(map)) for (let i = 0; i < codes.length; i++) codes[i] = map[codes[i]!]!;
    });
    const tableFields = raw.fieldNames.map((name) => fields.get(name)!);
    for (const field of tableFields) field.tables.push(index);
    const numbers = tableFields.map((field, c) => rowNumbers(field, columns[c]!));
    tables.push({ index, name: raw.name, rowCount: raw.rowCount, fields: tableFields, columns, numbers });
    await turn();
  }
  return tables;
}

/** True when a remap leaves every code as it is (a table's own values, none merged): no pass needed. */
function isIdentity(map: Uint32Array): boolean {
  for (let i = 0; i < map.length; i++) if (map[i] !== i) return false;
  return true;
}

function normalise(value: string | number, type: FieldType, field: string, table: string): SelectionValue {
  if (type === "number") {
    const n = parseNumber(value);
    if (n === undefined)
      throw loadError(`table "${table}": field "${field}" is typed number but holds "${value}"`, table);
    return n;
  }
  if (type === "date") {
    const days = parseDate(value);
    if (days === undefined) {
      throw loadError(
        `table "${table}": field "${field}" is typed date (YYYY-MM-DD) but holds "${value}"`,
        table,
      );
    }
    return formatDate(days);
  }
  return typeof value === "number" ? String(value) : wellFormed(value);
}

/** A UTF-16 surrogate with no partner: text from JSON, a database or inline rows may hold one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");

/**
 * Text as UTF-8 can carry it: a lone surrogate becomes U+FFFD, as it would on its way to a query worker
 * (dictionaries travel as UTF-8) and to the browser, so every thread holds and selects the same value.
 */
function wellFormed(text: string): string {
  return LONE_SURROGATE.test(text) ? text.replace(LONE_SURROGATES, "\uFFFD") : text;
}
