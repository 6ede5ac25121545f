import type { FieldType, SelectionValue } from "@portico/protocol";
import { Field, type Table } from "./field.js";

/**
 * A loaded model as plain data that `postMessage` can carry to a worker thread: the dictionaries are
 * copied, the code and number columns are SharedArrayBuffer views (as `loadTables` makes them), so every
 * thread reads one copy of the rows.
 */
export interface ModelSnapshot {
  /** In field index order; `values` without the null slot (code 1 first). */
  fields: Array<{ name: string; type: FieldType; values: SelectionValue[] }>;
  tables: Array<{
    name: string;
    rowCount: number;
    /** Field indexes, parallel to `columns`. */
    fields: number[];
    columns: Uint32Array[];
    numbers: Array<Float64Array | null>;
  }>;
}

export function snapshotOf(tables: readonly Table[], fields: readonly Field[]): ModelSnapshot {
  return {
    fields: fields.map((f) => ({ name: f.name, type: f.type, values: f.values.slice(1) })),
    tables: tables.map((t) => ({
      name: t.name,
      rowCount: t.rowCount,
      fields: t.fields.map((f) => f.index),
      columns: t.columns,
      numbers: t.numbers,
    })),
  };
}

/** The tables of a snapshot, with fields rebuilt from their dictionaries and the columns as given. */
export function tablesOf(snapshot: ModelSnapshot): Table[] {
  const fields = snapshot.fields.map((f, index) => new Field(f.name, f.type, index, f.values));
  return snapshot.tables.map((t, index) => {
    const tableFields = t.fields.map((i) => fields[i]!);
    for (const field of tableFields) field.tables.push(index);
    return {
      index,
      name: t.name,
      rowCount: t.rowCount,
      fields: tableFields,
      columns: t.columns,
      numbers: t.numbers,
    };
  });
}
