import type { FieldType, SelectionValue } from "@portico/protocol";
import { formatDate, parseDate, parseNumber } from "./infer-type.js";

/** Code 0 in every column stands for an empty cell (null); dictionary codes start at 1. */
export const NULL_CODE = 0;

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/**
 * One field's dictionary, shared by every table that holds the field: that is what lets tables associate
 * on codes instead of values. Index = code; index 0 is the null placeholder.
 */
export class Field {
  readonly name: string;
  readonly type: FieldType;
  readonly index: number;
  /** Wire value per code: numbers, ISO dates, text. */
  readonly values: SelectionValue[];
  /** Display text per code. */
  readonly texts: string[];
  /** Numeric value per code (dates: days since 1970-01-01); NaN for text and null. */
  readonly nums: Float64Array;
  /** Indexes of the tables holding the field, in load order. */
  readonly tables: number[] = [];
  private readonly lookup = new Map<string | number, number>();
  private rankCache: Uint32Array | undefined;
  private sortedCache: Uint32Array | undefined;

  constructor(name: string, type: FieldType, index: number, values: SelectionValue[]) {
    this.name = name;
    this.type = type;
    this.index = index;
    this.values = [""];
    this.texts = [""];
    this.nums = new Float64Array(values.length + 1);
    this.nums[0] = Number.NaN;
    for (const value of values) {
      const code = this.values.length;
      this.values.push(value);
      this.texts.push(typeof value === "number" ? String(value) : value);
      this.nums[code] =
        type === "number" ? (value as number) : type === "date" ? parseDate(value as string)! : Number.NaN;
      this.lookup.set(value, code);
    }
  }

  /** Number of distinct values. */
  get cardinality(): number {
    return this.values.length - 1;
  }

  /**
   * The code of a wire value, or 0 when the field does not hold it. Lenient on the representation only:
   * `"2024"` finds the number 2024 in a number field, and `2024` finds the text "2024" in a text field.
   */
  codeOf(value: SelectionValue): number {
    const direct = this.lookup.get(value);
    if (direct !== undefined) return direct;
    if (this.type === "number" && typeof value === "string") {
      const n = parseNumber(value);
      return n === undefined ? NULL_CODE : (this.lookup.get(n) ?? NULL_CODE);
    }
    if (this.type === "date" && typeof value === "number") {
      return this.lookup.get(formatDate(value)) ?? NULL_CODE;
    }
    if (this.type === "text" && typeof value === "number") return this.lookup.get(String(value)) ?? NULL_CODE;
    return NULL_CODE;
  }

  /** Sort rank per code in ascending value order (numbers and dates by value, text by a natural collation). */
  rank(): Uint32Array {
    if (this.rankCache) return this.rankCache;
    const sorted = this.sortedCodes();
    const rank = new Uint32Array(this.cardinality + 1);
    rank[0] = 0xffffffff;
    for (let i = 0; i < sorted.length; i++) rank[sorted[i]!] = i;
    this.rankCache = rank;
    return rank;
  }

  /** Every code (nulls aside) in ascending value order. */
  sortedCodes(): Uint32Array {
    if (this.sortedCache) return this.sortedCache;
    const codes = Array.from({ length: this.cardinality }, (_, i) => i + 1);
    if (this.type === "text") codes.sort((a, b) => collator.compare(this.texts[a]!, this.texts[b]!) || a - b);
    else codes.sort((a, b) => this.nums[a]! - this.nums[b]!);
    this.sortedCache = Uint32Array.from(codes);
    return this.sortedCache;
  }
}

/** A loaded table: one code column per field, all of length `rowCount`. */
export interface Table {
  readonly index: number;
  readonly name: string;
  readonly rowCount: number;
  readonly fields: Field[];
  /** Code columns, parallel to `fields`. */
  readonly columns: Uint32Array[];
  /**
   * Numeric value per row, parallel to `fields`, for number and date fields with many distinct values
   * (null otherwise): aggregations then read memory in row order instead of jumping around a large
   * dictionary, at 8 bytes per row.
   */
  readonly numbers: Array<Float64Array | null>;
}

/** Above this many distinct values, a numeric column also keeps its values per row. */
export const ROW_VALUES_MIN_CARDINALITY = 4096;

/** The per-row numeric values of a column when worth keeping (see `Table.numbers`). */
export function rowNumbers(field: Field, codes: Uint32Array): Float64Array | null {
  if (field.type === "text" || field.cardinality < ROW_VALUES_MIN_CARDINALITY) return null;
  const out = new Float64Array(new SharedArrayBuffer(codes.length * Float64Array.BYTES_PER_ELEMENT));
  const nums = field.nums;
  for (let i = 0; i < codes.length; i++) out[i] = nums[codes[i]!]!;
  return out;
}

/** The code column of `field` in `table`, or undefined when the table does not hold the field. */
export function columnOf(table: Table, field: Field): Uint32Array | undefined {
  const i = table.fields.indexOf(field);
  return i === -1 ? undefined : table.columns[i];
}

/** A copy of `codes` in a SharedArrayBuffer: worker threads given it read the same memory. */
export function sharedCopy(codes: Uint32Array): Uint32Array {
  const out = new Uint32Array(new SharedArrayBuffer(codes.length * Uint32Array.BYTES_PER_ELEMENT));
  out.set(codes);
  return out;
}
