import type { FieldType } from "@portico/protocol";
import {
  asyncBufferFromFile,
  type ColumnData,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
} from "hyparquet";
import { RawTable } from "./raw-table.js";

/** A file to read, and how messages name it (relative to the data directory). */
export interface ParquetSource {
  path: string;
  shown: string;
}

/**
 * Reads a Parquet file with hyparquet (pure JavaScript, no native code) into a raw table, one row group
 * at a time: each column chunk is coded into its column as it arrives (a string from a dictionary page is
 * the same string on every row, so one map lookup codes it), and nothing of a group is kept once it is
 * coded. Between groups the event loop turns (the file is read asynchronously). The schema's types become
 * the table's source types: integers, floats and decimals are numbers, DATE is a date, the rest text.
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
  const index = new Map(raw.fieldNames.map((name, i) => [name, i]));
  const rowCount = Number(metadata.num_rows);
  raw.reserve(rowCount);
  // Rows coded per column: every column must reach the last row.
  const coded = new Float64Array(columns.length);
  const onChunk = (chunk: ColumnData) => {
    const c = index.get(chunk.columnName);
    if (c === undefined) return;
    // A chunk may reach past the group asked for: those rows are coded again, the same, with their group.
    raw.addCells(c, chunk.rowStart, chunk.columnData);
    coded[c] = Math.max(coded[c]!, chunk.rowStart + chunk.columnData.length);
  };
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    await parquetRead({ file, metadata, rowStart, rowEnd, onChunk });
    rowStart = rowEnd;
  }
  const short = coded.findIndex((rows) => rows < rowCount);
  if (rowStart !== rowCount || short !== -1)
    throw new Error(
      `${source.shown}: column "${raw.fieldNames[Math.max(short, 0)]}" ends before row ${rowCount}`,
    );
  raw.rowCount = rowCount;
  return raw;
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
