import type { FieldType, SelectionValue } from "@portico/protocol";
import { calendarNumbers } from "./calendar-names.js";
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
  private sortedCache: Uint32Array | undefined;
  private readonly orderCache = new Map<ValueOrder, Uint32Array>();
  private calendarCache: Float64Array | null | undefined;
  private dualNums: Float64Array | undefined;
  private byNumberCache: Map<number, number[]> | undefined;

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

  /**
   * Every code a selection value picks: its own (see `codeOf`), or in a dual field, where no text matches
   * it, every value whose number it is (`3` picks "Mar" and "März" in a month field).
   */
  codesOf(value: SelectionValue): number[] {
    const code = this.codeOf(value);
    if (code !== NULL_CODE) return [code];
    const nums = this.dual();
    if (!nums) return [];
    const n = typeof value === "number" ? value : parseNumber(value);
    if (n === undefined) return [];
    if (!this.byNumberCache) {
      this.byNumberCache = new Map();
      for (let c = 1; c < nums.length; c++) {
        const key = nums[c]!;
        if (Number.isNaN(key)) continue;
        const list = this.byNumberCache.get(key);
        if (list) list.push(c);
        else this.byNumberCache.set(key, [c]);
      }
    }
    return this.byNumberCache.get(n) ?? [];
  }

  /**
   * The number behind each text value of a dual field (NaN: none), by code; undefined for a field that is
   * not dual. A text field is dual when its source gives the numbers (`sortBy`) or when every value is a
   * month, weekday or quarter name.
   */
  dual(): Float64Array | undefined {
    return this.dualNums ?? this.calendar();
  }

  /**
   * Puts a number behind each text value (index = code, NaN: none), as read from a `sortBy` column; it
   * replaces calendar numbers. Numbers and dates are their own numbers already.
   */
  setDual(nums: Float64Array): void {
    if (this.type !== "text")
      throw new TypeError(`field "${this.name}" is not text: it needs no dual numbers`);
    if (nums.length !== this.values.length)
      throw new TypeError(`field "${this.name}": dual numbers need one entry per value`);
    this.dualNums = nums;
    this.sortedCache = undefined;
    this.orderCache.clear();
    this.byNumberCache = undefined;
  }

  /** The numbers `setDual` put behind the values (not calendar ones, which follow from the texts). */
  get sourceDual(): Float64Array | undefined {
    return this.dualNums;
  }

  /**
   * Sort rank per code in ascending value order: numbers and dates by value, dual text by its number,
   * other text by a natural collation.
   */
  rank(): Uint32Array {
    return this.rankBy(this.type === "text" && !this.dual() ? "text" : "number");
  }

  /** Every code (nulls aside) in the order of `rank()`. */
  sortedCodes(): Uint32Array {
    this.sortedCache ??= Uint32Array.from(
      this.codesIn(this.type === "text" && !this.dual() ? "text" : "number"),
    );
    return this.sortedCache;
  }

  /**
   * The position of a text field's values in the calendar when every one is a month name, every one a
   * weekday name or every one a quarter name (the field is then dual); undefined otherwise.
   */
  private calendar(): Float64Array | undefined {
    if (this.calendarCache === undefined)
      this.calendarCache = this.type === "text" ? (calendarNumbers(this.texts) ?? null) : null;
    return this.calendarCache ?? undefined;
  }

  /**
   * The order a dimension of this field takes without a configured sort: numbers, dates and dual text by
   * their number; other text as loaded (the modelled hub's default for text).
   */
  get defaultOrder(): ValueOrder {
    return this.type !== "text" || this.dual() ? "number" : "load";
  }

  /**
   * Sort rank per code (null last) in one of the orders a dimension can take: `load` (code order, which is
   * load order), `text` (natural collation), `number` (values, dates, dual text; text without a
   * number keeps load order after them).
   */
  rankBy(order: ValueOrder): Uint32Array {
    const cached = this.orderCache.get(order);
    if (cached) return cached;
    const codes = this.codesIn(order);
    const rank = new Uint32Array(this.cardinality + 1);
    rank[0] = 0xffffffff;
    for (let i = 0; i < codes.length; i++) rank[codes[i]!] = i;
    this.orderCache.set(order, rank);
    return rank;
  }

  /** Every code (nulls aside) in `order`. */
  private codesIn(order: ValueOrder): number[] {
    const codes = Array.from({ length: this.cardinality }, (_, i) => i + 1);
    if (order === "text") codes.sort((a, b) => collator.compare(this.texts[a]!, this.texts[b]!) || a - b);
    else if (order === "number") codes.sort(this.byNumber(this.numbersForOrder()));
    return codes;
  }

  /** Numbers to order by: the values, or a text field's dual numbers (NaN: none). */
  private numbersForOrder(): Float64Array {
    return this.type === "text" ? (this.dual() ?? this.nums) : this.nums;
  }

  private byNumber(nums: Float64Array): (a: number, b: number) => number {
    return (a, b) => {
      const na = nums[a]!;
      const nb = nums[b]!;
      if (Number.isNaN(na) || Number.isNaN(nb))
        return Number.isNaN(na) === Number.isNaN(nb) ? a - b : Number.isNaN(na) ? 1 : -1;
      return na - nb || a - b;
    };
  }
}

/** See `Field.rankBy`. */
export type ValueOrder = "load" | "text" | "number";

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
