import type { Field, Table } from "./field.js";

/**
 * What queries derive from a model's columns and keep for the next ones, each built on first use: the
 * facts that let a loop skip a test, and the lists that let it read memory in order.
 */
export class ColumnCache {
  private readonly tables: readonly Table[];
  private readonly nullsByColumn = new Map<Uint32Array, boolean>();
  private readonly numericByField = new Map<Field, boolean>();
  private readonly allRowsByTable = new Map<number, Uint32Array>();
  private readonly numbersOnRows = new Map<string, { rows: Uint32Array; values: Float64Array }>();

  constructor(tables: readonly Table[]) {
    this.tables = tables;
  }

  /**
   * Every row index of a table (0, 1, 2...): what loops over included rows read when every row is
   * included, so that they always read a list (see the hypercube's `Aggregator`). 4 bytes a row.
   */
  allRows(table: number): Uint32Array {
    let rows = this.allRowsByTable.get(table);
    if (!rows) {
      rows = new Uint32Array(this.tables[table]!.rowCount);
      for (let i = 0; i < rows.length; i++) rows[i] = i;
      this.allRowsByTable.set(table, rows);
    }
    return rows;
  }

  /**
   * The numbers of a column (NaN: none) on `rows`, in their order. The last list made per column is
   * kept: the cubes of one selection then read a measure's values in order, where each would otherwise
   * gather them row by row again (the gather is most of a sum's time). At most one such copy per column.
   */
  numbersOn(table: number, column: number, rows: Uint32Array): Float64Array {
    const t = this.tables[table]!;
    const perRow = t.numbers[column] ?? null;
    if (perRow !== null && rows === this.allRowsByTable.get(table)) return perRow;
    const key = `${table}:${column}`;
    const kept = this.numbersOnRows.get(key);
    if (kept?.rows === rows) return kept.values;
    const values = new Float64Array(rows.length);
    if (perRow !== null) for (let j = 0; j < rows.length; j++) values[j] = perRow[rows[j]!]!;
    else {
      const nums = t.fields[column]!.nums;
      const codes = t.columns[column]!;
      for (let j = 0; j < rows.length; j++) values[j] = nums[codes[rows[j]!]!]!;
    }
    this.numbersOnRows.set(key, { rows, values });
    return values;
  }

  /** True when some row of a code column is null (code 0). */
  hasNulls(codes: Uint32Array): boolean {
    let found = this.nullsByColumn.get(codes);
    if (found === undefined) {
      found = codes.includes(0);
      this.nullsByColumn.set(codes, found);
    }
    return found;
  }

  /** True when every value of a field has a number (numbers and dates; text has none). */
  numberOnEveryValue(field: Field): boolean {
    let found = this.numericByField.get(field);
    if (found === undefined) {
      found = field.type !== "text" && !field.nums.subarray(1).some(Number.isNaN);
      this.numericByField.set(field, found);
    }
    return found;
  }
}
