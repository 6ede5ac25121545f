import type { FieldType } from "@portico/protocol";
import {
  asyncBufferFromFile,
  type ColumnData,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
} from "hyparquet";
import { RawTable, rawValueOf } from "./raw-table.js";

/** A file to read, and how messages name it (relative to the data directory). */
export interface ParquetSource {
  path: string;
  shown: string;
}

/**
 * Reads a Parquet file with hyparquet (pure JavaScript, no native code) into a raw table, one row group
 * at a time: column chunks arrive separately and a group's rows are added once all its columns are
 * there, so memory holds one group's columns besides the table. The schema's types become the table's
 * source types: integers, floats and decimals are numbers, DATE is a date, the rest text.
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
  const width = raw.fieldNames.length;
  // Chunks of one row range, by column, until the range has all of them.
  const pending = new Map<
    number,
    { rowEnd: number; data: Array<ArrayLike<unknown> | undefined>; have: number }
  >();
  const cells = new Array(width);
  const onChunk = (chunk: ColumnData) => {
    const c = index.get(chunk.columnName);
    if (c === undefined) return;
    let group = pending.get(chunk.rowStart);
    if (!group) {
      group = { rowEnd: chunk.rowEnd, data: new Array(width), have: 0 };
      pending.set(chunk.rowStart, group);
    }
    if (group.data[c] === undefined) group.have++;
    group.data[c] = chunk.columnData;
    if (group.have < width) return;
    pending.delete(chunk.rowStart);
    const rows = group.rowEnd - chunk.rowStart;
    for (let r = 0; r < rows; r++) {
      for (let k = 0; k < width; k++) cells[k] = rawValueOf(group.data[k]![r]);
      raw.addRow(cells);
    }
  };
  await parquetRead({ file, metadata, onChunk });
  if (pending.size > 0) throw new Error(`${source.shown}: a row group ended without all of its columns`);
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
