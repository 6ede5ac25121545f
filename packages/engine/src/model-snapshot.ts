import type { FieldType, SelectionValue } from "@portico/protocol";
import { Field, type Table } from "./field.js";

/**
 * A field's dictionary in shared memory: numbers as they are, text (and ISO dates) as one UTF-8 buffer
 * with the end offset of each value. Posting it to a worker copies a few references, not a million
 * strings, so a worker starting (or replacing one stopped mid-query) costs the event loop nothing.
 */
export type SharedDictionary =
  | { kind: "numbers"; values: Float64Array }
  | { kind: "texts"; bytes: Uint8Array; ends: Uint32Array };

/**
 * A loaded model as plain data that `postMessage` can carry to a worker thread: every column, number
 * column and dictionary is a SharedArrayBuffer view, so every thread reads one copy of the data.
 */
export interface ModelSnapshot {
  /** In field index order; the dictionary without the null slot (code 1 first). */
  fields: Array<{
    name: string;
    type: FieldType;
    dictionary: SharedDictionary;
    /** A dual text field's numbers from its source (`sortBy`), by code. */
    dual?: Float64Array;
  }>;
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
    fields: fields.map((f) => ({
      name: f.name,
      type: f.type,
      dictionary: shareDictionary(f),
      ...(f.sourceDual ? { dual: f.sourceDual } : {}),
    })),
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
  const fields = snapshot.fields.map((f, index) => {
    const field = new Field(f.name, f.type, index, valuesOf(f.dictionary));
    if (f.dual) field.setDual(f.dual);
    return field;
  });
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

function shareDictionary(field: Field): SharedDictionary {
  const count = field.cardinality;
  if (field.type === "number") {
    const values = new Float64Array(new SharedArrayBuffer(count * Float64Array.BYTES_PER_ELEMENT));
    for (let code = 1; code <= count; code++) values[code - 1] = field.values[code] as number;
    return { kind: "numbers", values };
  }
  const encoder = new TextEncoder();
  const encoded = field.texts.slice(1).map((text) => encoder.encode(text));
  const ends = new Uint32Array(new SharedArrayBuffer(count * Uint32Array.BYTES_PER_ELEMENT));
  let length = 0;
  encoded.forEach((bytes, i) => {
    length += bytes.length;
    ends[i] = length;
  });
  const bytes = new Uint8Array(new SharedArrayBuffer(length));
  let at = 0;
  for (const part of encoded) {
    bytes.set(part, at);
    at += part.length;
  }
  return { kind: "texts", bytes, ends };
}

function valuesOf(dictionary: SharedDictionary): SelectionValue[] {
  if (dictionary.kind === "numbers") return Array.from(dictionary.values);
  // TextDecoder does not read shared memory: decode from a private copy, one value at a time (a leading
  // U+FEFF kept: it is the value's, not a byte-order mark).
  const bytes = dictionary.bytes.slice();
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  const values: string[] = new Array(dictionary.ends.length);
  let start = 0;
  for (let i = 0; i < dictionary.ends.length; i++) {
    const end = dictionary.ends[i]!;
    values[i] = decoder.decode(bytes.subarray(start, end));
    start = end;
  }
  return values;
}
