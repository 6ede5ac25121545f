import type { Selections } from "@portico/protocol";
import type { Association } from "./association.js";
import { countCodes } from "./count-codes.js";
import { EngineError, EngineErrorCode } from "./engine-error.js";
import type { Field } from "./field.js";

/** Selections resolved to dictionary codes: one value mask per selected field, plus a canonical cache key. */
export interface ResolvedSelections {
  masks: Map<Field, Uint8Array>;
  key: string;
}

export function resolveSelections(
  selections: Selections | undefined,
  fieldNamed: (name: string) => Field | undefined,
): ResolvedSelections {
  const masks = new Map<Field, Uint8Array>();
  const parts: string[] = [];
  if (selections === undefined || selections === null) return { masks, key: "" };
  if (typeof selections !== "object" || Array.isArray(selections)) {
    throw new EngineError(EngineErrorCode.BAD_REQUEST, "selections must be an object of field -> values[]");
  }
  for (const name of Object.keys(selections).sort()) {
    const values = selections[name];
    if (!Array.isArray(values)) {
      throw new EngineError(
        EngineErrorCode.BAD_REQUEST,
        `selections for "${name}" must be an array of values`,
      );
    }
    const field = fieldNamed(name);
    if (!field)
      throw new EngineError(EngineErrorCode.FIELD_NOT_FOUND, `field "${name}" does not exist`, {
        field: name,
      });
    if (values.length === 0) continue;
    const mask = new Uint8Array(field.cardinality + 1);
    const codes: number[] = [];
    for (const value of values) {
      if (typeof value !== "string" && typeof value !== "number") {
        throw new EngineError(
          EngineErrorCode.BAD_REQUEST,
          `selection values for "${name}" must be strings or numbers`,
        );
      }
      // A value the field does not hold matches no row: the selection stays, and excludes everything.
      for (const code of field.codesOf(value)) {
        if (mask[code] === 0) {
          mask[code] = 1;
          codes.push(code);
        }
      }
    }
    codes.sort((a, b) => a - b);
    masks.set(field, mask);
    parts.push(`${field.index}:${codes.join(",")}`);
  }
  return { masks, key: parts.join("|") };
}

/** The rows included under one set of selections, with per-field frequencies computed on demand. */
export class SelectionState {
  readonly selections: ResolvedSelections;
  private readonly association: Association;
  private readonly counts = new Map<Field, Uint32Array>();
  private readonly allCounts: Map<Field, Uint32Array>;
  private rowsCache: Array<Uint32Array | null> | undefined;

  private readonly countsOnly: boolean;

  /** `countsOnly`: the state is wanted for field frequencies only (the "alternative" states). */
  constructor(
    association: Association,
    selections: ResolvedSelections,
    allCounts: Map<Field, Uint32Array>,
    countsOnly = false,
  ) {
    this.association = association;
    this.selections = selections;
    this.allCounts = allCounts;
    this.countsOnly = countsOnly;
  }

  /** Per table: the included row indexes, or null when every row is included (computed on first use). */
  get rows(): Array<Uint32Array | null> {
    this.rowsCache ??= this.association.propagate(this.selections.masks);
    return this.rowsCache;
  }

  /** Number of included rows of a table. */
  rowCount(table: number): number {
    return this.rows[table]?.length ?? this.association.tables[table]!.rowCount;
  }

  /**
   * Frequencies in a table linked to nothing, counted straight from the selection masks in one pass,
   * without listing the included rows; undefined when that does not apply or would not pay (the
   * selections keep few rows, so listing them through posting lists is cheaper).
   */
  private countUnlinked(field: Field): Uint32Array | undefined {
    if (field.tables.length !== 1) return undefined;
    const t = field.tables[0]!;
    if (this.association.adjacency[t]!.length !== 0) return undefined;
    const table = this.association.tables[t]!;
    const constraints: Array<[Uint32Array, Uint8Array]> = [];
    let share = 1;
    for (const [f, mask] of this.selections.masks) {
      if (f.tables[0] !== t) continue;
      constraints.push([table.columns[table.fields.indexOf(f)]!, mask]);
      const all = this.allCounts.get(f)!;
      let kept = 0;
      for (let code = 1; code < mask.length; code++) if (mask[code] === 1) kept += all[code]!;
      share = Math.min(share, kept / Math.max(1, table.rowCount));
    }
    if (constraints.length === 0 || constraints.length > 2 || share < COUNT_DIRECTLY_MIN_SHARE)
      return undefined;
    const codes = table.columns[table.fields.indexOf(field)]!;
    const counts = new Uint32Array(field.cardinality + 1);
    const [codes1, mask1] = constraints[0]!;
    if (constraints.length === 1) {
      for (let i = 0; i < codes.length; i++) counts[codes[i]!]! += mask1[codes1[i]!]!;
    } else {
      const [codes2, mask2] = constraints[1]!;
      for (let i = 0; i < codes.length; i++) counts[codes[i]!]! += mask1[codes1[i]!]! & mask2[codes2[i]!]!;
    }
    return counts;
  }

  /**
   * Frequency of each code of `field` over the included rows of every table holding it; a value is
   * possible exactly when its count is non-zero (index 0 counts nulls).
   */
  countsOf(field: Field): Uint32Array {
    let counts = this.counts.get(field);
    if (counts) return counts;
    counts = this.countsOnly && this.rowsCache === undefined ? this.countUnlinked(field) : undefined;
    if (counts) {
      this.counts.set(field, counts);
      return counts;
    }
    if (field.tables.every((t) => this.rows[t] === null))
      counts = this.allCounts.get(field) ?? countAll(this.association, field);
    else {
      counts = new Uint32Array(field.cardinality + 1);
      for (const t of field.tables) {
        const table = this.association.tables[t]!;
        const codes = table.columns[table.fields.indexOf(field)]!;
        countCodes(counts, codes, this.rows[t] ?? null);
      }
    }
    this.counts.set(field, counts);
    return counts;
  }
}

/** Above this share of rows kept by its most selective constraint, counting beats listing rows. */
const COUNT_DIRECTLY_MIN_SHARE = 0.25;
/** Frequencies of every code of a field with no selection. */
export function countAll(association: Association, field: Field): Uint32Array {
  const counts = new Uint32Array(field.cardinality + 1);
  for (const t of field.tables) {
    const table = association.tables[t]!;
    countCodes(counts, table.columns[table.fields.indexOf(field)]!, null);
  }
  return counts;
}
