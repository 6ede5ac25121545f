import type { FieldType } from "@portico/protocol";
import {
  asyncBufferFromFile,
  type ColumnData,
  type ParquetParsers,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
} from "hyparquet";
import { formatDate } from "./infer-type.js";
import { NumberDictionary } from "./number-dictionary.js";
import { RawTable } from "./raw-table.js";

/** A file to read, and how messages name it (relative to the data directory). */
export interface ParquetSource {
  path: string;
  shown: string;
}

/**
 * Reads a Parquet file with hyparquet (pure JavaScript, no native code) into a raw table, one column
 * chunk at a time (each read is a file read, so the event loop turns between chunks), coding each chunk
 * into its column as it arrives and keeping nothing of it afterwards. A text column's values are coded
 * as hyparquet turns their bytes into text: for a dictionary page that is once per distinct value, and
 * every row then carries its code, not a string to look up (the codes are renumbered by first row
 * afterwards if the dictionary listed its values in another order). Numbers are coded by `NumberDictionary`,
 * other values (dates, big integers, booleans) through `rawValueOf`. The schema's types become the
 * table's source types: integers, floats and decimals are numbers, DATE is a date, the rest text.
 */
export async function readParquet(source: ParquetSource, table: string): Promise<RawTable> {
  const file = await asyncBufferFromFile(source.path);
  const metadata = await parquetMetadataAsync(file);
  const columns = parquetSchema(metadata).children;
  const raw = new RawTable(
    table,
    columns.map((c) => c.element.name),
  );
  for (const column of columns) {
    const type = fieldTypeOf(column.element);
    if (type) raw.sourceTypes[column.element.name] = type;
  }
  const rowCount = Number(metadata.num_rows);
  raw.reserve(rowCount);
  // Rows coded per column: every column must reach the last row.
  const coded = new Float64Array(columns.length);
  const readers = columns.map((column, c) => {
    const parsers = codingParsers(column, raw, c);
    return {
      name: column.element.name,
      ...(parsers ? { parsers } : {}),
      onChunk: (chunk: ColumnData) => {
        // A chunk may reach past the group asked for: those rows are coded again, the same, with their group.
        if (parsers) raw.addCodes(c, chunk.rowStart, chunk.columnData as ArrayLike<number | undefined>);
        else raw.addCells(c, chunk.rowStart, chunk.columnData);
        coded[c] = Math.max(coded[c]!, chunk.rowStart + chunk.columnData.length);
      },
    };
  });
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    for (const { name, parsers, onChunk } of readers)
      await parquetRead({
        file,
        metadata,
        rowStart,
        rowEnd,
        columns: [name],
        onChunk,
        ...(parsers ? { parsers } : {}),
      });
    rowStart = rowEnd;
  }
  const short = coded.findIndex((rows) => rows < rowCount);
  if (rowStart !== rowCount || short !== -1)
    throw new Error(
      `${source.shown}: column "${raw.fieldNames[Math.max(short, 0)]}" ends before row ${rowCount}`,
    );
  raw.rowCount = rowCount;
  readers.forEach((reader, c) => {
    if (reader.parsers) raw.orderByRows(c);
  });
  return raw;
}

// A value's leading U+FEFF is data, not a byte-order mark for TextDecoder to drop.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

type SchemaColumn = ReturnType<typeof parquetSchema>;

/**
 * Parsers that make hyparquet hand over the column's local codes instead of its values, for the two kinds
 * of top-level column whose values it makes with one parser alone: plain UTF-8 text (`stringFromBytes`;
 * JSON, decimals, UUIDs and geometry have parsers of their own) and DATE (`dateFromDays`: a day's code
 * is found by its number, its ISO text made once, where a `Date` per row and its text cost far more).
 * Undefined for any other column, whose values are coded as they come.
 */
function codingParsers(column: SchemaColumn, raw: RawTable, c: number): Partial<ParquetParsers> | undefined {
  const { element } = column;
  if (column.children.length > 0 || element.repetition_type === "REPEATED") return undefined;
  const converted = element.converted_type;
  const logical = element.logical_type?.type;
  if (
    element.type === "BYTE_ARRAY" &&
    (converted === undefined || converted === "UTF8" || converted === "ENUM") &&
    (logical === undefined || logical === "STRING" || logical === "ENUM")
  )
    return { stringFromBytes: (bytes: Uint8Array) => bytes && raw.codeOf(c, utf8.decode(bytes)) };
  if (element.type === "INT32" && converted === "DATE") {
    const byDay = new NumberDictionary();
    return {
      dateFromDays: (days: number) => {
        let code = byDay.get(days);
        if (code === -1) {
          code = raw.codeOf(c, formatDate(days));
          byDay.set(days, code);
        }
        return code;
      },
    };
  }
  return undefined;
}

type SchemaElement = ReturnType<typeof parquetSchema>["element"];

function fieldTypeOf(element: SchemaElement): FieldType | undefined {
  const logical = element.logical_type?.type;
  const converted = element.converted_type;
  if (logical === "DATE" || converted === "DATE") return "date";
  if (logical === "DECIMAL" || converted === "DECIMAL") return "number";
  if (logical === "TIMESTAMP" || logical === "TIME" || converted?.startsWith("TIME")) return "text";
  switch (element.type) {
    case "INT32":
    case "INT64":
    case "FLOAT":
    case "DOUBLE":
      return "number";
    case "BYTE_ARRAY":
    case "FIXED_LEN_BYTE_ARRAY":
    case "BOOLEAN":
      return "text";
    default:
      return undefined;
  }
}

/** The column names of a Parquet file, from its footer alone (`portico check` reads no rows). */
export async function parquetFields(source: ParquetSource): Promise<string[]> {
  const metadata = await parquetMetadataAsync(await asyncBufferFromFile(source.path));
  return parquetSchema(metadata).children.map((c) => c.element.name);
}
