import type { FieldType } from "@portico/protocol";
import { sharedCopy } from "./field.js";
import type { RawValue } from "./infer-type.js";

/** A table as read: per column, the distinct raw values (local dictionary) and local codes per row. */
export class RawTable {
  readonly name: string;
  readonly fieldNames: string[];
  rowCount = 0;
  private capacity = 1024;
  readonly codes: Uint32Array[];
  readonly locals: Array<Map<string | number, number>>;
  readonly localValues: RawValue[][];
  /** Types the source declares (a Parquet schema, a database's column types); `types` in the definition win. */
  sourceTypes: Record<string, FieldType> = {};

  constructor(name: string, fieldNames: string[]) {
    this.name = name;
    this.fieldNames = fieldNames;
    this.codes = fieldNames.map(() => new Uint32Array(this.capacity));
    this.locals = fieldNames.map(() => new Map());
    this.localValues = fieldNames.map(() => [null]);
  }

  addRow(cells: ArrayLike<RawValue>): void {
    if (this.rowCount === this.capacity) this.grow();
    const row = this.rowCount++;
    for (let c = 0; c < this.fieldNames.length; c++) {
      const value = cells[c];
      if (value === null || value === undefined || value === "") continue; // code 0 = null, already zero
      const local = this.locals[c]!;
      let code = local.get(value);
      if (code === undefined) {
        code = this.localValues[c]!.length;
        this.localValues[c]!.push(value);
        local.set(value, code);
      }
      this.codes[c]![row] = code;
    }
  }

  private grow(): void {
    this.capacity *= 2;
    for (let c = 0; c < this.codes.length; c++) {
      const next = new Uint32Array(this.capacity);
      next.set(this.codes[c]!);
      this.codes[c] = next;
    }
  }

  /** The columns at their final length, in shared memory: query workers read them without a copy. */
  finish(): Uint32Array[] {
    return this.codes.map((codes) => sharedCopy(codes.subarray(0, this.rowCount)));
  }
}

const utf8 = new TextDecoder();

/**
 * A value from a typed source (Parquet, a database driver) as a raw cell: numbers stay numbers (a
 * bigint too, exactly when it is safe, else as its digits), a date at midnight UTC is `YYYY-MM-DD` and
 * another instant its ISO text, bytes are UTF-8 text, booleans `true`/`false`; empty is `null`.
 */
export function rawValueOf(value: unknown): RawValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "number":
      return Number.isFinite(value) ? value : null;
    case "string":
      return value.trim() === "" ? null : value;
    case "bigint":
      return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : String(value);
    case "boolean":
      return String(value);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
  }
  if (value instanceof Uint8Array) return utf8.decode(value);
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? String(v) : v));
}
