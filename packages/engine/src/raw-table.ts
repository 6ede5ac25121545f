import type { FieldType } from "@portico/protocol";
import { sharedCopy } from "./field.js";
import type { RawValue } from "./infer-type.js";
import { NumberDictionary } from "./number-dictionary.js";

/**
 * A table as read: per column, the distinct raw values (local dictionary, index = local code, 0 = null)
 * and a local code per row. Rows are added whole (`addRow`), or column by column (`reserve`, then
 * `addCells` or `addCodes` per column and range, then `rowCount`), or by a reader that codes cells
 * itself and writes `codes` and `localValues` directly (CSV).
 */
export class RawTable {
  readonly name: string;
  readonly fieldNames: string[];
  rowCount = 0;
  private capacity = 1024;
  readonly codes: Uint32Array[];
  /** Local code per raw value, and per primitive cell `addCells` met (the code of its raw value), per column. */
  private readonly locals: Array<Map<unknown, number>>;
  /** Local code per finite number, per column, for cells coded by `addCells`. */
  private readonly numbers: Array<NumberDictionary | undefined> = [];
  /**
   * Per column given codes by `addCodes`: the highest code its rows have held so far while every new
   * code came next in order, -1 once one did not.
   */
  private readonly lastNew: number[] = [];
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
    if (this.rowCount === this.capacity) this.reserve(this.capacity * 2);
    const row = this.rowCount++;
    for (let c = 0; c < this.fieldNames.length; c++) {
      const value = cells[c];
      if (value === null || value === undefined || value === "") continue; // code 0 = null, already zero
      this.codes[c]![row] = this.localCode(c, value);
    }
  }

  /**
   * Codes the cells a typed source gives for column `c` (see `rawValueOf`) into rows `rowStart` on, which
   * `reserve` made room for. A finite number is coded by `NumberDictionary`, a primitive met before by
   * one map lookup, anything else through `rawValueOf` first.
   */
  addCells(c: number, rowStart: number, cells: ArrayLike<unknown>): void {
    const codes = this.codes[c]!;
    if (rowStart + cells.length > codes.length) throw new RangeError("addCells past the reserved rows");
    const byCell = this.locals[c]!;
    this.numbers[c] ??= new NumberDictionary();
    const numbers = this.numbers[c]!;
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      if (typeof cell === "number" && cell - cell === 0) {
        let code = numbers.get(cell);
        if (code === -1) {
          code = this.localCode(c, cell);
          numbers.set(cell, code);
        }
        codes[rowStart + i] = code;
        continue;
      }
      let code = byCell.get(cell);
      if (code === undefined) {
        code = this.codeOf(c, cell);
        // Objects (dates, bytes) are new on every row: only primitives are worth remembering as they came.
        if (cell === null || typeof cell !== "object") byCell.set(cell, code);
      }
      codes[rowStart + i] = code;
    }
  }

  /**
   * Writes local codes a reader found itself (with `codeOf`) into column `c` from row `rowStart` on,
   * which `reserve` made room for; null or undefined is an empty cell.
   */
  addCodes(c: number, rowStart: number, cells: ArrayLike<number | null | undefined>): void {
    const codes = this.codes[c]!;
    if (rowStart + cells.length > codes.length) throw new RangeError("addCodes past the reserved rows");
    let last = this.lastNew[c] ?? 0;
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      // Anything but a code (a value the reader did not code after all) is coded here, never lost.
      const code = typeof cell === "number" ? cell : cell == null ? 0 : this.codeOf(c, cell);
      codes[rowStart + i] = code;
      if (code > last) last = code === last + 1 && last >= 0 ? code : -1;
    }
    this.lastNew[c] = last;
  }

  /**
   * Renumbers column `c`'s local codes in the order its rows first hold the values, leaving out values no
   * row holds: codes `addCodes` was given in another order (a Parquet dictionary page's) then follow the
   * rows, as every other way of adding rows does, and text keeps its load order. Nothing to do, and no
   * pass over the rows, when the codes came in that order already.
   */
  orderByRows(c: number): void {
    const values = this.localValues[c]!;
    if (this.lastNew[c] === values.length - 1) return;
    const codes = this.codes[c]!;
    const renumbered = new Uint32Array(values.length);
    const ordered: RawValue[] = [null];
    for (let row = 0; row < this.rowCount; row++) {
      const code = codes[row]!;
      if (code === 0) continue;
      if (renumbered[code] === 0) {
        renumbered[code] = ordered.length;
        ordered.push(values[code]!);
      }
      codes[row] = renumbered[code]!;
    }
    this.localValues[c] = ordered;
    const local = this.locals[c]!;
    local.clear();
    ordered.forEach((value, code) => {
      if (code > 0) local.set(value!, code);
    });
    this.lastNew[c] = ordered.length - 1;
  }

  /** The local code in column `c` of a cell as a typed source gives it (see `rawValueOf`); 0 when empty. */
  codeOf(c: number, cell: unknown): number {
    const value = rawValueOf(cell);
    return value === null ? 0 : this.localCode(c, value);
  }

  /** Room for `rows` rows in every column (in shared memory when exact, so `finish` need not copy). */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    this.capacity = rows;
    for (let c = 0; c < this.codes.length; c++) {
      const next = new Uint32Array(new SharedArrayBuffer(rows * Uint32Array.BYTES_PER_ELEMENT));
      next.set(this.codes[c]!);
      this.codes[c] = next;
    }
  }

  /** The columns at their final length, in shared memory: query workers read them without a copy. */
  finish(): Uint32Array[] {
    return this.codes.map((codes) =>
      codes.buffer instanceof SharedArrayBuffer && codes.length === this.rowCount
        ? codes
        : sharedCopy(codes.subarray(0, this.rowCount)),
    );
  }

  private localCode(c: number, value: string | number): number {
    const local = this.locals[c]!;
    let code = local.get(value);
    if (code === undefined) {
      code = this.localValues[c]!.length;
      this.localValues[c]!.push(value);
      local.set(value, code);
    }
    return code;
  }
}

// A value's leading U+FEFF is data, not a byte-order mark for TextDecoder to drop.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

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
