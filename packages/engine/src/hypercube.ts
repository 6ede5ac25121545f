import type {
  DimensionCell,
  HypercubeResult,
  HypercubeRow,
  PageRequest,
  SortRequest,
} from "@portico/protocol";
import type { Association } from "./association.js";
import { type AggregationSpec, type CompiledObject, evaluateMeasure } from "./compile-object.js";
import { countCodes } from "./count-codes.js";
import { EngineError, EngineErrorCode } from "./engine-error.js";
import { columnOf, type Field, type Table } from "./field.js";
import type { SelectionState } from "./selection-state.js";

export interface HypercubeOptions {
  sort?: SortRequest | undefined;
}

/**
 * A computed hypercube in columns, every row of it, sorted: what the result cache keeps, so any page of
 * it is a slice. Rows as objects exist only for the page asked (`pageOf`), which keeps a cube of a
 * million groups at a few bytes per row.
 */
export interface Cube {
  readonly object: CompiledObject;
  readonly totalRows: number;
  readonly totals: Array<number | null>;
  /** Group ids in row order. */
  readonly order: ArrayLike<number>;
  /** Codes of the first and second dimension per group. */
  readonly c1: ArrayLike<number>;
  readonly c2: ArrayLike<number>;
  /** True for the "Others" group(s) of a top-N fold. */
  readonly others: ArrayLike<boolean | undefined>;
  /** Per measure, its value per group (NaN = null). */
  readonly measures: Float64Array[];
}

/** Text of a null dimension cell (a row with no value, or no associated value), as the modelled hub shows it. */
export const NULL_TEXT = "-";
export const OTHERS_TEXT = "Others";
// Group ids come from a dense table when the dimension space is small enough; a Map otherwise.
const DENSE_GROUP_LIMIT = 1 << 20;
const DISTINCT_BITMAP_LIMIT = 1 << 24;

/**
 * Arrays of group ids per pair, lent to one cube's computation and given back when it ends (cubes are
 * computed one at a time per thread): a fresh array of a million ids costs more to allocate and touch for
 * the first time than to fill, and no cube keeps its own once computed.
 */
class GroupBuffers {
  private readonly free: Int32Array[] = [];
  private readonly lent: Int32Array[] = [];

  lend(n: number): Int32Array {
    const found = this.free.findIndex((b) => b.length >= n);
    const buffer = found === -1 ? new Int32Array(n) : this.free.splice(found, 1)[0]!;
    this.lent.push(buffer);
    return buffer.subarray(0, n);
  }

  giveBack(): void {
    for (const buffer of this.lent.splice(0))
      if (buffer.length <= KEPT_GROUP_BUFFER_MAX_LENGTH) this.free.push(buffer);
    this.free.sort((a, b) => b.length - a.length).splice(KEPT_GROUP_BUFFERS);
  }
}

/** What a thread keeps between cubes: two buffers (a cube's groups and their top-N remap) of 4M ids at most. */
const KEPT_GROUP_BUFFERS = 2;
const KEPT_GROUP_BUFFER_MAX_LENGTH = 1 << 22;
const groupBuffers = new GroupBuffers();

/** The rows of one driver table (a table an aggregation runs over), each mapped to its group. */
interface DriverGroups {
  table: Table;
  /** Row index per pair. */
  rows: Uint32Array;
  groups: Int32Array;
  n: number;
  /** True when some row appears in several pairs. */
  expanded: boolean;
}

/** How the rows of a driver table reach a dimension's codes. */
type DimensionPath =
  | { kind: "direct"; codes: Uint32Array }
  | { kind: "single"; keys: Uint32Array; map: Uint32Array }
  | { kind: "multi"; keys: Uint32Array; lists: Array<number[] | undefined> };

class GroupIndex {
  readonly c1: number[] = [];
  readonly c2: number[] = [];
  private readonly stride: number;
  private readonly dense: Int32Array | null;
  private readonly sparse: Map<number, number> | null;

  constructor(card1: number, card2: number) {
    this.stride = card2 + 1;
    const size = (card1 + 1) * (card2 + 1);
    this.dense = size <= DENSE_GROUP_LIMIT ? new Int32Array(size).fill(-1) : null;
    this.sparse = this.dense ? null : new Map();
  }

  get size(): number {
    return this.c1.length;
  }

  /**
   * The common case in one tight loop: dimensions held by the driver table itself and a dense id
   * table. Returns false (doing nothing) when the id table is sparse.
   */
  assignDirect(
    codes1: Uint32Array,
    codes2: Uint32Array | null,
    rows: Uint32Array,
    n: number,
    out: Int32Array,
  ): boolean {
    const dense = this.dense;
    if (dense === null) return false;
    const stride = this.stride;
    // One loop per number of dimensions: see `Aggregator` on loops that test what does not vary.
    if (codes2 === null) {
      for (let j = 0; j < n; j++) {
        const a = codes1[rows[j]!]!;
        let g = dense[a * stride]!;
        if (g < 0) g = this.add(a * stride, a, 0);
        out[j] = g;
      }
      return true;
    }
    for (let j = 0; j < n; j++) {
      const r = rows[j]!;
      const a = codes1[r]!;
      const b = codes2[r]!;
      const key = a * stride + b;
      let g = dense[key]!;
      if (g < 0) g = this.add(key, a, b);
      out[j] = g;
    }
    return true;
  }

  private add(key: number, a: number, b: number): number {
    const g = this.c1.length;
    this.dense![key] = g;
    this.c1.push(a);
    this.c2.push(b);
    return g;
  }

  id(a: number, b: number): number {
    const key = a * this.stride + b;
    if (this.dense !== null) {
      let g = this.dense[key]!;
      if (g < 0) {
        g = this.dense[key] = this.c1.length;
        this.c1.push(a);
        this.c2.push(b);
      }
      return g;
    }
    let g = this.sparse!.get(key);
    if (g === undefined) {
      g = this.c1.length;
      this.sparse!.set(key, g);
      this.c1.push(a);
      this.c2.push(b);
    }
    return g;
  }
}

/**
 * Computes an object's hypercube: group the included rows of each aggregation's table by the dimension
 * values they are associated with, aggregate, evaluate the measures, then top-N, sort and page.
 */
export function computeHypercube(
  object: CompiledObject,
  association: Association,
  state: SelectionState,
  options: HypercubeOptions = {},
): Cube {
  try {
    return cubeOf(object, association, state, options);
  } finally {
    groupBuffers.giveBack();
  }
}

function cubeOf(
  object: CompiledObject,
  association: Association,
  state: SelectionState,
  options: HypercubeOptions,
): Cube {
  const { def, dimensions, measures, aggregations } = object;
  const card1 = dimensions[0]?.cardinality ?? 0;
  const card2 = dimensions[1]?.cardinality ?? 0;
  const index = new GroupIndex(card1, card2);

  if (def.type === "filterpane" || def.type === "text") {
    // No hypercube: a filter pane shows its fields' states (query each field), a text object its text.
    return { object, totalRows: 0, totals: [], order: [], c1: [], c2: [], others: [], measures: [] };
  }
  const totalsByTable = new Map<number, Aggregator>();
  const totalsOf = (t: number): Aggregator => {
    let found = totalsByTable.get(t);
    if (!found) {
      found = totalsOver(association, state, t);
      totalsByTable.set(t, found);
    }
    return found;
  };
  if (dimensions.length === 0) {
    const totals = aggregations.map((spec) => totalsOf(spec.table).aggregate(spec).total);
    const totalValues = measures.map((m) => evaluateMeasure(m, (slot) => nullable(totals[slot]!)));
    return {
      object,
      totalRows: 1,
      totals: totalValues,
      order: [0],
      c1: [0],
      c2: [0],
      others: [],
      measures: totalValues.map((v) => Float64Array.of(v ?? Number.NaN)),
    };
  }

  const driverTables = [...new Set(aggregations.map((a) => a.table))];
  if (driverTables.length === 0) driverTables.push(largestTable(association, dimensions[0]!));
  const drivers = new Map<number, DriverGroups>();
  for (const t of driverTables) drivers.set(t, groupRows(association, state, t, dimensions, index));
  // Every driver's groups, the ones other drivers reached too.
  const byGroup = new Map(
    [...drivers].map(([t, driver]) => [t, new Aggregator(association, driver, index.size)]),
  );

  let groupCount = index.size;
  let c1 = index.c1;
  let c2 = index.c2;
  let others: boolean[] = [];
  let remap: Int32Array | null = null;
  const topN = def.topN;
  if (topN !== undefined && topN > 0 && measures.length > 0) {
    const folded = foldOthers(object, association, drivers, byGroup, index, topN);
    if (folded) ({ groupCount, c1, c2, others, remap } = folded);
  }

  const folded = remap;
  const final =
    folded === null
      ? byGroup
      : new Map(
          [...drivers].map(([t, driver]) => [
            t,
            new Aggregator(association, driver, groupCount, folded, byGroup.get(t)!),
          ]),
        );
  const aggregated = aggregations.map((spec) => final.get(spec.table)!.aggregate(spec));
  const values = aggregated.map((a) => a.values);
  // A row counted in several groups (linked to several dimension values) must count once in the totals.
  const totals = aggregations.map((spec, i) =>
    drivers.get(spec.table)!.expanded ? totalsOf(spec.table).aggregate(spec).total : aggregated[i]!.total,
  );
  const totalValues = measures.map((m) => evaluateMeasure(m, (slot) => nullable(totals[slot]!)));
  const measureValues = measures.map((m) => {
    const out = new Float64Array(groupCount);
    for (let g = 0; g < groupCount; g++)
      out[g] = evaluateMeasure(m, (slot) => nullable(values[slot]![g]!)) ?? Number.NaN;
    return out;
  });
  // A null dimension value whose measures are all empty says nothing (the events that are not denials,
  // grouped by their missing denial code): it is not a row. A null group with a value stays ("-").
  const order = sortGroups(groupCount, object, options.sort, { c1, c2 }, others, measureValues).filter(
    (g) =>
      !(
        (c1[g] === 0 || (dimensions.length > 1 && c2[g] === 0)) &&
        !others[g] &&
        emptyGroup(measureValues, g)
      ),
  );
  return {
    object,
    totalRows: order.length,
    totals: totalValues,
    order,
    c1,
    c2,
    others,
    measures: measureValues,
  };
}

/** The rows `page` asks for of a computed cube, as the data API answers them. */
export function pageOf(cube: Cube, page: PageRequest): HypercubeResult {
  const { object } = cube;
  const rows: HypercubeRow[] = [];
  const end = Math.min(cube.totalRows, page.offset + page.limit);
  for (let i = page.offset; i < end; i++) rows.push(rowOf(cube, cube.order[i]!));
  return {
    kind: "hypercube",
    object: object.def.id,
    dimensions: object.dimensions.map((f) => ({ field: f.name, label: f.name, type: f.type })),
    measures: object.measures.map((m) => ({
      expression: m.expression,
      label: m.label,
      ...(m.format !== undefined ? { format: m.format } : {}),
    })),
    rows,
    totalRows: cube.totalRows,
    totals: cube.totals,
    page,
  };
}

/** Every row of a computed cube, in order. */
export function* rowsOf(cube: Cube): Generator<HypercubeRow> {
  for (let i = 0; i < cube.totalRows; i++) yield rowOf(cube, cube.order[i]!);
}

/** Result rows (and memory) a cached cube stands for: its groups, at a fraction of a row object each. */
export function cubeWeight(cube: Cube): number {
  return 1 + Math.ceil((cube.totalRows * (8 + 8 * cube.measures.length)) / ROW_OBJECT_BYTES);
}

/** About what one row object of a result costs in memory: the unit of the result cache's weight. */
const ROW_OBJECT_BYTES = 160;

function rowOf(cube: Cube, g: number): HypercubeRow {
  const { dimensions } = cube.object;
  const other = cube.others[g] === true;
  const row: HypercubeRow = {
    dimensions: dimensions.map((field, d) =>
      other && d === 0
        ? { text: OTHERS_TEXT, value: null }
        : cell(field, d === 0 ? cube.c1[g]! : cube.c2[g]!),
    ),
    measures: cube.measures.map((values) => nullable(values[g]!)),
  };
  if (other) row.others = true;
  return row;
}

function nullable(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}

/** True when the object has measures and every one of them is null or zero for group `g`. */
function emptyGroup(measureValues: Float64Array[], g: number): boolean {
  return (
    measureValues.length > 0 && measureValues.every((values) => Number.isNaN(values[g]!) || values[g] === 0)
  );
}

function cell(field: Field, code: number): DimensionCell {
  return code === 0
    ? { text: NULL_TEXT, value: null }
    : { text: field.texts[code]!, value: field.values[code]! };
}

function largestTable(association: Association, field: Field): number {
  return field.tables.reduce(
    (best, t) => (association.tables[t]!.rowCount > association.tables[best]!.rowCount ? t : best),
    field.tables[0]!,
  );
}

/**
 * Group ids in row order: the requested column (a table's header click), else the object's configured
 * dimension sorts, else the type's default (bar and pie: largest first); then each dimension in its
 * configured or default order (numbers, dates, calendar names by number, text as loaded). "Others" last.
 */
function sortGroups(
  groupCount: number,
  object: CompiledObject,
  sort: SortRequest | undefined,
  codes: { c1: number[]; c2: number[] },
  others: boolean[],
  measureValues: Float64Array[],
): number[] {
  const { dimensions, measures, def, sorts } = object;
  const order = Array.from({ length: groupCount }, (_, g) => g);
  const byRank = (d: number, rank: Uint32Array, descending: boolean) => (a: number, b: number) => {
    const list = d === 0 ? codes.c1 : codes.c2;
    const ra = rank[list[a]!]!;
    const rb = rank[list[b]!]!;
    if (ra === rb) return 0;
    if (ra === 0xffffffff) return 1; // nulls last either way
    if (rb === 0xffffffff) return -1;
    return descending ? rb - ra : ra - rb;
  };
  const byMeasure = (m: number, descending: boolean) => (a: number, b: number) => {
    const va = measureValues[m]![a]!;
    const vb = measureValues[m]![b]!;
    if (va === vb || (Number.isNaN(va) && Number.isNaN(vb))) return 0;
    if (Number.isNaN(va)) return 1;
    if (Number.isNaN(vb)) return -1;
    return descending ? vb - va : va - vb;
  };
  const byDimension = (d: number, descending: boolean) => {
    const configured = sorts[d];
    const field = dimensions[d]!;
    if (configured?.by === "measure")
      return byMeasure(configured.measure, configured.descending !== descending);
    const rank = field.rankBy(configured?.by ?? field.defaultOrder);
    return byRank(d, rank, (configured?.descending ?? false) !== descending);
  };
  const keys: Array<(a: number, b: number) => number> = [];
  if (sort !== undefined) {
    const column = sort.column;
    if (!Number.isInteger(column) || column < 0 || column >= dimensions.length + measures.length) {
      throw new EngineError(
        EngineErrorCode.BAD_REQUEST,
        `sort column ${column} does not exist in object "${def.id}"`,
      );
    }
    // A header click sorts the column by its values (text alphabetically), whatever the configured sort.
    keys.push(
      column < dimensions.length
        ? byRank(column, dimensions[column]!.rank(), sort.descending === true)
        : byMeasure(column - dimensions.length, sort.descending === true),
    );
  } else if ((def.type === "bar" || def.type === "pie") && measures.length > 0 && sorts[0] === undefined) {
    keys.push(byMeasure(0, true));
  }
  // Equal values of a ranking (a header click, largest first) fall back on the values' own order, so ties
  // read the same way a sorted column does; otherwise each dimension keeps its configured or default order.
  const ranked = keys.length > 0;
  dimensions.forEach((field, d) => {
    keys.push(ranked && sorts[d] === undefined ? byRank(d, field.rank(), false) : byDimension(d, false));
  });
  order.sort((a, b) => {
    if (others[a] !== others[b]) return others[a] ? 1 : -1;
    for (const key of keys) {
      const c = key(a, b);
      if (c !== 0) return c;
    }
    return a - b;
  });
  return order;
}

/**
 * Top-N on the first dimension: rank its values by the first measure (largest first), keep N and fold
 * the rest into one "Others" group per second-dimension value. Returns undefined when nothing folds.
 */
function foldOthers(
  object: CompiledObject,
  association: Association,
  drivers: Map<number, DriverGroups>,
  byGroup: Map<number, Aggregator>,
  index: GroupIndex,
  topN: number,
): { groupCount: number; c1: number[]; c2: number[]; others: boolean[]; remap: Int32Array } | undefined {
  const firstValues = new Map<number, number>();
  const toFirst = new Int32Array(index.size);
  const distinctFirst: number[] = [];
  for (let g = 0; g < index.size; g++) {
    const code = index.c1[g]!;
    let d = firstValues.get(code);
    if (d === undefined) {
      d = distinctFirst.length;
      firstValues.set(code, d);
      distinctFirst.push(code);
    }
    toFirst[g] = d;
  }
  if (distinctFirst.length <= topN) return undefined;
  const measure = object.measures[0]!;
  // With one dimension each group is a first value of its own (toFirst is the identity), so the
  // groups' aggregations score them as they are.
  const byFirst =
    distinctFirst.length === index.size
      ? byGroup
      : new Map(
          [...drivers].map(([t, driver]) => [
            t,
            new Aggregator(association, driver, distinctFirst.length, toFirst, byGroup.get(t)!),
          ]),
        );
  const slotValues = new Map<number, Float64Array>();
  for (const slot of new Set(measure.slots.values())) {
    const spec = object.aggregations[slot]!;
    slotValues.set(slot, byFirst.get(spec.table)!.aggregate(spec).values);
  }
  const score = distinctFirst.map((_, d) =>
    evaluateMeasure(measure, (slot) => nullable(slotValues.get(slot)![d]!)),
  );
  const rank = object.dimensions[0]!.rank();
  const byScore = distinctFirst.map((_, d) => d);
  byScore.sort((a, b) => {
    const sa = score[a] ?? null;
    const sb = score[b] ?? null;
    if (sa !== sb) {
      if (sa === null) return 1;
      if (sb === null) return -1;
      return sb - sa;
    }
    return rank[distinctFirst[a]!]! - rank[distinctFirst[b]!]!;
  });
  const kept = new Set(byScore.slice(0, topN).map((d) => distinctFirst[d]!));
  const card1 = object.dimensions[0]!.cardinality;
  const next = new GroupIndex(card1 + 1, object.dimensions[1]?.cardinality ?? 0);
  const OTHERS = card1 + 1;
  const remap = new Int32Array(index.size);
  for (let g = 0; g < index.size; g++) {
    const a = index.c1[g]!;
    remap[g] = next.id(kept.has(a) ? a : OTHERS, index.c2[g]!);
  }
  const others = next.c1.map((a) => a === OTHERS);
  return { groupCount: next.size, c1: next.c1, c2: next.c2, others, remap };
}

/** Maps each included row of driver table `t` to its group (expanding a row linked to several values). */
function groupRows(
  association: Association,
  state: SelectionState,
  t: number,
  dimensions: Field[],
  index: GroupIndex,
): DriverGroups {
  const table = association.tables[t]!;
  const included = state.rows[t] ?? association.columns.allRows(t);
  const n = included.length;
  const paths = dimensions.map((d) => dimensionPath(association, state, t, d));
  const p1 = paths[0];
  const p2 = paths[1];
  if (paths.every((p) => p.kind !== "multi")) {
    const groups = groupBuffers.lend(n);
    const direct1 = p1?.kind === "direct" ? p1.codes : null;
    const direct2 = p2?.kind === "direct" ? p2.codes : null;
    if (
      direct1 !== null &&
      (p2 === undefined || direct2 !== null) &&
      index.assignDirect(direct1, direct2, included, n, groups)
    ) {
      return { table, rows: included, groups, n, expanded: false };
    }
    for (let j = 0; j < n; j++) {
      const r = included[j]!;
      const a = p1 === undefined ? 0 : direct1 !== null ? direct1[r]! : singleCode(p1, r);
      const b = p2 === undefined ? 0 : direct2 !== null ? direct2[r]! : singleCode(p2, r);
      groups[j] = index.id(a, b);
    }
    return { table, rows: included, groups, n, expanded: false };
  }
  // Some row links to several values of a dimension: it counts once in each group it reaches.
  const rows: number[] = [];
  const groups: number[] = [];
  const none = [0];
  const codesOf = (p: DimensionPath | undefined, r: number): number[] => {
    if (p === undefined) return none;
    if (p.kind === "direct") return [p.codes[r]!];
    if (p.kind === "single") return [p.map[p.keys[r]!]!];
    return p.lists[p.keys[r]!] ?? none;
  };
  for (let j = 0; j < n; j++) {
    const r = included[j]!;
    for (const a of codesOf(p1, r)) {
      for (const b of codesOf(p2, r)) {
        rows.push(r);
        groups.push(index.id(a, b));
      }
    }
  }
  return {
    table,
    rows: Uint32Array.from(rows),
    groups: Int32Array.from(groups),
    n: rows.length,
    expanded: true,
  };
}

function singleCode(path: DimensionPath, r: number): number {
  return path.kind === "single" ? path.map[path.keys[r]!]! : 0;
}

/**
 * How rows of table `from` reach the codes of `dimension` held elsewhere: follow the tree path, and per
 * hop collect, over the included rows of each table on the way, which dimension codes each key reaches.
 */
function dimensionPath(
  association: Association,
  state: SelectionState,
  from: number,
  dimension: Field,
): DimensionPath {
  const table = association.tables[from]!;
  const own = columnOf(table, dimension);
  if (own) return { kind: "direct", codes: own };
  const T = association.tables.length;
  const target = association.keyNodeOfField.get(dimension) ?? dimension.tables[0]!;
  const path = association.path(from, target);
  if (path.length === 0)
    return { kind: "single", keys: new Uint32Array(table.rowCount), map: new Uint32Array(1) };
  // path = [K1, T1, K2, T2, ..., target]; walk it backwards from the table that holds the dimension.
  const hops = target >= T ? path.slice(0, -1) : path;
  const keyField = (node: number) => association.keyFields[node - T]!;
  let lists: Array<number[] | undefined> | undefined;
  for (let i = hops.length - 1; i >= 1; i -= 2) {
    const t = association.tables[hops[i]!]!;
    const incoming = keyField(hops[i - 1]!);
    const inCodes = columnOf(t, incoming)!;
    const outCodes = lists === undefined ? columnOf(t, dimension)! : columnOf(t, keyField(hops[i + 1]!))!;
    const next: Array<number[] | undefined> = new Array(incoming.cardinality + 1);
    const rows = state.rows[t.index] ?? null;
    const n = rows === null ? t.rowCount : rows.length;
    for (let j = 0; j < n; j++) {
      const r = rows === null ? j : rows[j]!;
      const key = inCodes[r]!;
      if (key === 0) continue; // null never links
      const reached =
        lists === undefined ? (outCodes[r] === 0 ? undefined : [outCodes[r]!]) : lists[outCodes[r]!];
      if (reached === undefined) continue;
      let list = next[key];
      if (list === undefined) next[key] = list = [];
      for (const code of reached) if (!list.includes(code)) list.push(code);
    }
    lists = next;
  }
  const keys = columnOf(table, keyField(hops[0]!))!;
  const reached = lists!;
  if (reached.every((l) => l === undefined || l.length <= 1)) {
    const map = new Uint32Array(reached.length);
    reached.forEach((l, k) => {
      if (l !== undefined && l.length === 1) map[k] = l[0]!;
    });
    map[0] = 0;
    return { kind: "single", keys, map };
  }
  reached[0] = undefined;
  return { kind: "multi", keys, lists: reached };
}

/** An aggregation's value per group (NaN = no value) and over every pair at once. */
interface Aggregated {
  values: Float64Array;
  total: number;
}

/** Rows of a table paired with group ids: a driver's pairs, or included rows all in group 0. */
interface Pairs {
  table: Table;
  rows: Uint32Array;
  groups: Int32Array;
  n: number;
}

/** Per group, the sum and the number of the numeric values of one column: what Sum and Avg share. */
interface Sums {
  sums: Float64Array;
  counts: Float64Array;
  sum: number;
  seen: number;
}

/**
 * The aggregations of one object over a set of pairs, into `G` groups (after an optional remap of the
 * group ids). Passes over the rows are what a cube costs, so they are shared: Sum and Avg of a column
 * take one pass between them, and Count of a column with a value on every row is the group sizes.
 *
 * The loops over pairs take typed arrays only, never null for "every row" or "one group" (the included
 * rows are then listed, the group ids zero): a loop that tests per row whether an array is there runs at
 * about half the speed once it has met both cases, even though the test always goes the same way.
 */
class Aggregator {
  private remapped: Int32Array | undefined;
  private sizesCache: Float64Array | undefined;
  private readonly sumsByColumn = new Map<number, Sums>();

  /**
   * `remap` (with `G` the number of remapped groups) folds the groups of `fine`, an aggregator over the
   * same pairs, whose group sizes then fold too.
   */
  constructor(
    private readonly association: Association,
    private readonly pairs: Pairs,
    readonly G: number,
    private readonly remap: Int32Array | null = null,
    private readonly fine: Aggregator | null = null,
  ) {}

  aggregate(spec: AggregationSpec): Aggregated {
    const { table, rows, n } = this.pairs;
    const column = table.fields.indexOf(spec.field);
    const codes = table.columns[column]!;
    const rowNums = table.numbers[column] ?? null;
    const groups = this.groups();
    const G = this.G;
    if (spec.fn === "count" && spec.distinct) return countDistinct(spec.field, codes, rows, n, groups, G);
    if (spec.fn === "count") {
      // Read-only: shared with the other counts and sums of the same pairs.
      if (!this.association.columns.hasNulls(codes)) return { values: this.sizes(), total: n };
      const out = new Float64Array(G);
      let total = 0;
      for (let j = 0; j < n; j++) {
        if (codes[rows[j]!] !== 0) {
          out[groups[j]!]!++;
          total++;
        }
      }
      return { values: out, total };
    }
    if (spec.fn === "sum" || spec.fn === "avg") {
      const { sums, counts, sum, seen } = this.sums(column, spec.field, codes);
      const avg = spec.fn === "avg";
      const out = new Float64Array(G);
      for (let g = 0; g < G; g++)
        out[g] = counts[g] === 0 ? Number.NaN : avg ? sums[g]! / counts[g]! : sums[g]!;
      return { values: out, total: seen === 0 ? Number.NaN : avg ? sum / seen : sum };
    }
    const nums = spec.field.nums;
    if (spec.fraction !== undefined)
      return fractiles(spec.fraction, nums, codes, rowNums, rows, n, groups, G);
    const out = new Float64Array(G).fill(Number.NaN);
    let total = Number.NaN;
    const max = spec.fn === "max";
    for (let j = 0; j < n; j++) {
      const r = rows[j]!;
      const v = rowNums === null ? nums[codes[r]!]! : rowNums[r]!;
      if (Number.isNaN(v)) continue;
      const g = groups[j]!;
      const current = out[g]!;
      if (Number.isNaN(current) || (max ? v > current : v < current)) out[g] = v;
      if (Number.isNaN(total) || (max ? v > total : v < total)) total = v;
    }
    return { values: out, total };
  }

  /** Group id per pair, remapped when asked (computed once). */
  private groups(): Int32Array {
    if (this.remapped === undefined) {
      const { groups, n } = this.pairs;
      this.remapped = this.remap === null ? groups : remapGroups(groups, n, this.remap);
    }
    return this.remapped;
  }

  /** Pairs per group: folded from the fine groups' or taken from a count already made when known. */
  private sizes(): Float64Array {
    if (this.sizesCache === undefined) {
      const fine = this.fine?.sizesCache;
      const groups = this.groups();
      const sizes = new Float64Array(this.G);
      if (this.G === 1) sizes[0] = this.pairs.n;
      else if (fine !== undefined && this.remap !== null)
        for (let g = 0; g < fine.length; g++) sizes[this.remap[g]!]! += fine[g]!;
      else {
        // Group ids are never negative: count them as the codes of a column.
        const counts = new Uint32Array(this.G);
        countCodes(counts, new Uint32Array(groups.buffer, groups.byteOffset, this.pairs.n), null);
        sizes.set(counts);
      }
      this.sizesCache = sizes;
    }
    return this.sizesCache;
  }

  private sums(column: number, field: Field, codes: Uint32Array): Sums {
    let found = this.sumsByColumn.get(column);
    if (found) return found;
    const { table, rows, n } = this.pairs;
    const values = this.association.columns.numbersOn(table.index, column, rows);
    const sums = new Float64Array(this.G);
    const counts = new Float64Array(this.G);
    // One group (totals): sums kept in registers, not added to memory pair after pair.
    const sum =
      this.G === 1 ? totalValues(values, n, sums, counts) : sumValues(values, this.groups(), n, sums, counts);
    let seen = 0;
    for (let g = 0; g < this.G; g++) seen += counts[g]!;
    found = { sums, counts, sum, seen };
    // Over a column with a number on every row, the counts are the group sizes.
    if (!this.association.columns.hasNulls(codes) && this.association.columns.numberOnEveryValue(field))
      this.sizesCache ??= counts;
    this.sumsByColumn.set(column, found);
    return found;
  }
}

/** Adds each pair's value to its group's sum and count; returns the sum of them all. */
function sumValues(
  values: Float64Array,
  groups: Int32Array,
  n: number,
  sums: Float64Array,
  counts: Float64Array,
): number {
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const v = values[j]!;
    if (!Number.isNaN(v)) {
      const g = groups[j]!;
      sums[g]! += v;
      counts[g]!++;
      sum += v;
    }
  }
  return sum;
}

/** `sumValues` into one group. */
function totalValues(values: Float64Array, n: number, sums: Float64Array, counts: Float64Array): number {
  let sum = 0;
  let seen = 0;
  for (let j = 0; j < n; j++) {
    const v = values[j]!;
    if (!Number.isNaN(v)) {
      sum += v;
      seen++;
    }
  }
  sums[0] = sum;
  counts[0] = seen;
  return sum;
}

function remapGroups(groups: Int32Array, n: number, remap: Int32Array): Int32Array {
  const out = groupBuffers.lend(n);
  for (let j = 0; j < n; j++) out[j] = remap[groups[j]!]!;
  return out;
}

/** Aggregations over every included row of a table, in one group (totals, and objects without dimensions). */
function totalsOver(association: Association, state: SelectionState, t: number): Aggregator {
  const table = association.tables[t]!;
  const rows = state.rows[t] ?? association.columns.allRows(t);
  const n = rows.length;
  return new Aggregator(association, { table, rows, groups: groupBuffers.lend(n).fill(0), n }, 1);
}

/**
 * Median and Fractile: per group, the value at fraction `p` of its sorted numeric values, interpolated
 * between the two nearest (p = 0 is the minimum, 1 the maximum); NaN for a group with none.
 */
function fractiles(
  p: number,
  nums: Float64Array,
  codes: Uint32Array,
  rowNums: Float64Array | null,
  rows: Uint32Array,
  n: number,
  groups: Int32Array,
  G: number,
): Aggregated {
  const values: number[][] = Array.from({ length: G }, () => []);
  const all: number[] = [];
  for (let j = 0; j < n; j++) {
    const r = rows[j]!;
    const v = rowNums === null ? nums[codes[r]!]! : rowNums[r]!;
    if (Number.isNaN(v)) continue;
    values[groups[j]!]!.push(v);
    all.push(v);
  }
  const out = new Float64Array(G);
  for (let g = 0; g < G; g++) out[g] = fractileOf(values[g]!, p);
  return { values: out, total: fractileOf(all, p) };
}

function fractileOf(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  values.sort((a, b) => a - b);
  const at = p * (values.length - 1);
  const low = Math.floor(at);
  const high = Math.min(low + 1, values.length - 1);
  return values[low]! + (values[high]! - values[low]!) * (at - low);
}

function countDistinct(
  field: Field,
  codes: Uint32Array,
  rows: Uint32Array,
  n: number,
  groups: Int32Array,
  G: number,
): Aggregated {
  const out = new Float64Array(G);
  const stride = field.cardinality + 1;
  const bitmap = G * stride <= DISTINCT_BITMAP_LIMIT ? new Uint8Array(G * stride) : null;
  const seen = bitmap ? null : new Set<number>();
  const overall = new Uint8Array(stride);
  let total = 0;
  for (let j = 0; j < n; j++) {
    const code = codes[rows[j]!]!;
    if (code === 0) continue;
    if (overall[code] === 0) {
      overall[code] = 1;
      total++;
    }
    const g = groups[j]!;
    const key = g * stride + code;
    if (bitmap !== null) {
      if (bitmap[key] === 0) {
        bitmap[key] = 1;
        out[g]!++;
      }
    } else if (!seen!.has(key)) {
      seen!.add(key);
      out[g]!++;
    }
  }
  return { values: out, total };
}
