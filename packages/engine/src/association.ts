import { ColumnCache } from "./column-cache.js";
import { EngineError, EngineErrorCode } from "./engine-error.js";
import type { Field, Table } from "./field.js";

/**
 * The association graph: a bipartite forest of tables and key fields (fields held by two or more
 * tables). A loop (two tables linked twice, or a ring of tables) would make "which rows go together"
 * ambiguous, so it is refused at load time, as the modelled hub flags circular references.
 *
 * Selection semantics (per connected component, islands are independent): a row of table U is included
 * when the tables on the paths from U to every selected field can be given actual rows, linked through
 * equal non-null key values, that satisfy every selection. That is the full-outer-join reading of the
 * associative model: unlinked rows stay in while nothing on their side is selected.
 */
export class Association {
  readonly tables: Table[];
  readonly fields: Field[];
  /** Node ids: tables are 0..T-1, key fields are T + position in `keyFields`. */
  readonly keyFields: Field[];
  readonly keyNodeOfField = new Map<Field, number>();
  readonly adjacency: number[][];
  readonly componentOfNode: number[];
  /** What queries derive from the columns, kept for the next ones. */
  readonly columns: ColumnCache;
  private readonly postingsByColumn = new Map<Uint32Array, { offsets: Uint32Array; rows: Uint32Array }>();

  constructor(tables: Table[], fields: Field[]) {
    this.tables = tables;
    this.fields = fields;
    this.columns = new ColumnCache(tables);
    this.keyFields = fields.filter((f) => f.tables.length > 1);
    const nodeCount = tables.length + this.keyFields.length;
    this.adjacency = Array.from({ length: nodeCount }, () => []);
    this.keyFields.forEach((field, k) => {
      const node = tables.length + k;
      this.keyNodeOfField.set(field, node);
      for (const t of field.tables) {
        this.adjacency[node]!.push(t);
        this.adjacency[t]!.push(node);
      }
    });
    this.componentOfNode = new Array(nodeCount).fill(-1);
    let component = 0;
    for (let start = 0; start < nodeCount; start++) {
      if (this.componentOfNode[start] !== -1) continue;
      const stack: Array<[number, number]> = [[start, -1]];
      this.componentOfNode[start] = component;
      while (stack.length > 0) {
        const [node, parent] = stack.pop()!;
        for (const next of this.adjacency[node]!) {
          if (next === parent) continue;
          if (this.componentOfNode[next] !== -1) throw this.loopError(node, next);
          this.componentOfNode[next] = component;
          stack.push([next, node]);
        }
      }
      component++;
    }
  }

  private loopError(a: number, b: number): EngineError {
    const names = [a, b].map((n) =>
      n < this.tables.length
        ? `table "${this.tables[n]!.name}"`
        : `field "${this.keyFields[n - this.tables.length]!.name}"`,
    );
    return new EngineError(
      EngineErrorCode.DATA_LOAD_FAILED,
      `circular reference between tables (loop through ${names.join(" and ")}): rename fields so that tables are linked by one path only`,
      {},
    );
  }

  /** Tree path from table `from` to table `to`: the alternating key-field / table nodes after `from`. */
  path(from: number, to: number): number[] {
    const parent = new Map<number, number>([[from, -1]]);
    const queue = [from];
    while (queue.length > 0) {
      const node = queue.shift()!;
      if (node === to) break;
      for (const next of this.adjacency[node]!) {
        if (!parent.has(next)) {
          parent.set(next, node);
          queue.push(next);
        }
      }
    }
    if (!parent.has(to)) return [];
    const out: number[] = [];
    for (let n = to; n !== from; n = parent.get(n)!) out.push(n);
    return out.reverse();
  }

  /**
   * Included row indexes (ascending) per table for the given constraints (field -> value mask over
   * codes). A `null` entry means every row of the table is included.
   */
  propagate(constraints: Map<Field, Uint8Array>): Array<Uint32Array | null> {
    const T = this.tables.length;
    const nodeCount = this.adjacency.length;
    const tableConstraints: Array<Array<[Uint32Array, Uint8Array]>> = this.tables.map(() => []);
    const keyConstraint: Array<Uint8Array | null> = new Array(nodeCount).fill(null);
    const constrained: boolean[] = new Array(nodeCount).fill(false);
    for (const [field, mask] of constraints) {
      const keyNode = this.keyNodeOfField.get(field);
      if (keyNode !== undefined) {
        keyConstraint[keyNode] = mask;
        constrained[keyNode] = true;
      } else {
        const t = field.tables[0]!;
        const table = this.tables[t]!;
        tableConstraints[t]!.push([table.columns[table.fields.indexOf(field)]!, mask]);
        constrained[t] = true;
      }
    }

    const result: Array<Uint32Array | null> = new Array(T).fill(null);
    const done = new Set<number>();
    for (let root = 0; root < nodeCount; root++) {
      if (!constrained[root] || done.has(this.componentOfNode[root]!)) continue;
      done.add(this.componentOfNode[root]!);
      if (root < T && this.adjacency[root]!.length === 0) {
        // A table linked to nothing: filter straight into row indexes, no masks.
        result[root] = this.selectRows(this.tables[root]!.rowCount, tableConstraints[root]!);
        continue;
      }

      // Pre-order walk from the root; children come after their parent.
      const order: number[] = [];
      const parent: number[] = new Array(nodeCount).fill(-1);
      const stack = [root];
      parent[root] = root;
      while (stack.length > 0) {
        const node = stack.pop()!;
        order.push(node);
        for (const next of this.adjacency[node]!) {
          if (parent[next] === -1) {
            parent[next] = node;
            stack.push(next);
          }
        }
      }
      const hasConstraint = constrained.slice();
      for (let i = order.length - 1; i > 0; i--) {
        const node = order[i]!;
        if (hasConstraint[node]) hasConstraint[parent[node]!] = true;
      }

      // Upward pass (children before parents): what each constrained subtree allows.
      const allowed: Array<Uint8Array | null> = new Array(nodeCount).fill(null);
      for (let i = order.length - 1; i >= 0; i--) {
        const node = order[i]!;
        if (!hasConstraint[node]) continue;
        if (node < T) {
          let mask: Uint8Array | null = null;
          for (const [codes, values] of tableConstraints[node]!) mask = filterRows(mask, codes, values);
          for (const child of this.adjacency[node]!) {
            if (child === parent[node] || !hasConstraint[child]) continue;
            mask = filterRows(mask, this.codesOf(node, child), allowed[child]!);
          }
          allowed[node] = mask ?? new Uint8Array(this.tables[node]!.rowCount).fill(1);
        } else {
          let mask: Uint8Array | null = keyConstraint[node] ? keyConstraint[node]!.slice() : null;
          for (const child of this.adjacency[node]!) {
            if (child === parent[node] || !hasConstraint[child]) continue;
            mask = intersect(mask, this.valuesOf(child, node, allowed[child]!));
          }
          allowed[node] = mask;
        }
      }

      // Downward pass (parents before children): restrict each node by what its parent kept.
      const final: Array<Uint8Array | null> = new Array(nodeCount).fill(null);
      for (const node of order) {
        const up = parent[node]!;
        if (node === root) {
          final[node] = allowed[node]!;
        } else if (node < T) {
          final[node] = filterRows(
            hasConstraint[node] ? allowed[node]!.slice() : null,
            this.codesOf(node, up),
            final[up]!,
          )!;
        } else {
          final[node] = intersect(
            hasConstraint[node] ? (allowed[node] ?? null) : null,
            this.valuesOf(up, node, final[up]!),
          );
        }
        if (node < T) result[node] = indexesOf(final[node]!);
      }
    }
    return result;
  }

  /**
   * Rows of an unlinked table satisfying every constraint. When one constraint is selective, start
   * from its posting lists (row indexes per value, built on first use) instead of scanning every row;
   * the other constraints then only filter the candidates.
   */
  private selectRows(n: number, constraints: Array<[Uint32Array, Uint8Array]>): Uint32Array {
    let best = -1;
    let bestCount = Number.POSITIVE_INFINITY;
    for (let c = 0; c < constraints.length; c++) {
      const [codes, values] = constraints[c]!;
      const { offsets } = this.postings(codes, values.length);
      let count = 0;
      for (let code = 1; code < values.length; code++)
        if (values[code] === 1) count += offsets[code + 1]! - offsets[code]!;
      if (count < bestCount) {
        best = c;
        bestCount = count;
      }
    }
    if (bestCount > n / POSTINGS_MAX_SHARE) {
      // Listed from the most selective constraint, whose rows (counted above) bound the buffer.
      const first = constraints[best]!;
      return selectRows(n, bestCount, [first, ...constraints.filter((c) => c !== first)]);
    }
    const [codes, values] = constraints[best]!;
    const { offsets, rows } = this.postings(codes, values.length);
    let lists: Uint32Array[] = [];
    for (let code = 1; code < values.length; code++) {
      if (values[code] === 1 && offsets[code + 1]! > offsets[code]!)
        lists.push(rows.subarray(offsets[code]!, offsets[code + 1]!));
    }
    while (lists.length > 1) {
      const merged: Uint32Array[] = [];
      for (let i = 0; i < lists.length; i += 2)
        merged.push(i + 1 < lists.length ? mergeSorted(lists[i]!, lists[i + 1]!) : lists[i]!);
      lists = merged;
    }
    const buffer = lists.length === 0 ? new Uint32Array(0) : lists[0]!.slice();
    const others = constraints.filter((_, c) => c !== best);
    return narrowRows(buffer, buffer.length, others, 0);
  }

  /** Row indexes per code of a column (counting sort), built once per column on first use. */
  private postings(codes: Uint32Array, size: number): { offsets: Uint32Array; rows: Uint32Array } {
    let index = this.postingsByColumn.get(codes);
    if (index) return index;
    const offsets = new Uint32Array(size + 1);
    for (let i = 0; i < codes.length; i++) offsets[codes[i]! + 1]!++;
    for (let code = 1; code <= size; code++) offsets[code]! += offsets[code - 1]!;
    const next = offsets.slice(0, size);
    const rows = new Uint32Array(codes.length);
    for (let i = 0; i < codes.length; i++) rows[next[codes[i]!]!++] = i;
    index = { offsets, rows };
    this.postingsByColumn.set(codes, index);
    return index;
  }

  private codesOf(table: number, keyNode: number): Uint32Array {
    const t = this.tables[table]!;
    return t.columns[t.fields.indexOf(this.keyFields[keyNode - this.tables.length]!)]!;
  }

  /** Codes of key field `keyNode` on the included rows of `table`; null never links. */
  private valuesOf(table: number, keyNode: number, rows: Uint8Array): Uint8Array {
    const field = this.keyFields[keyNode - this.tables.length]!;
    const codes = this.codesOf(table, keyNode);
    const out = new Uint8Array(field.cardinality + 1);
    for (let i = 0; i < codes.length; i++) out[codes[i]!] = out[codes[i]!]! | rows[i]!;
    out[0] = 0;
    return out;
  }
}

/** Posting lists are used when the selective constraint keeps at most 1/POSTINGS_MAX_SHARE of the rows. */
const POSTINGS_MAX_SHARE = 4;

function mergeSorted(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = a[i]! < b[j]! ? a[i++]! : b[j++]!;
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}

// The loops below keep or drop a row without a branch (write the row, then advance by its 0/1 mask
// value): a selection keeping rows at random defeats branch prediction, and a mispredicted branch per
// row costs more than the unconditional write.

/** Rows satisfying every constraint: the first filters every row, the next ones only the survivors. */
function selectRows(n: number, bound: number, constraints: Array<[Uint32Array, Uint8Array]>): Uint32Array {
  // One spare slot: the last row written past the kept ones when it is not kept.
  const buffer = new Uint32Array(Math.min(n, bound + 1));
  const [codes, values] = constraints[0]!;
  let k = 0;
  for (let i = 0; i < n; i++) {
    buffer[k] = i;
    k += values[codes[i]!]!;
  }
  return narrowRows(buffer, k, constraints, 1);
}

/**
 * Keeps the first `k` rows of `buffer` that satisfy `constraints` from `first` on; returns them as a
 * view when they fill at least half the buffer (a copy would cost more than the memory it saves).
 */
function narrowRows(
  buffer: Uint32Array,
  k: number,
  constraints: Array<[Uint32Array, Uint8Array]>,
  first: number,
): Uint32Array {
  for (let c = first; c < constraints.length; c++) {
    const [more, allowed] = constraints[c]!;
    let m = 0;
    for (let j = 0; j < k; j++) {
      const i = buffer[j]!;
      buffer[m] = i;
      m += allowed[more[i]!]!;
    }
    k = m;
  }
  if (k === buffer.length) return buffer;
  return 2 * k >= buffer.length ? buffer.subarray(0, k) : buffer.slice(0, k);
}

function indexesOf(mask: Uint8Array): Uint32Array {
  let n = 0;
  for (let i = 0; i < mask.length; i++) n += mask[i]!;
  // One spare slot: the last row written past the kept ones when it is not kept.
  const out = new Uint32Array(n + 1);
  let j = 0;
  for (let i = 0; i < mask.length; i++) {
    out[j] = i;
    j += mask[i]!;
  }
  return out.subarray(0, n);
}

/** Keeps the rows whose code is in `values`; `mask` null means "every row so far". Mutates and returns. */
function filterRows(mask: Uint8Array | null, codes: Uint32Array, values: Uint8Array): Uint8Array {
  const n = codes.length;
  if (mask === null) {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = values[codes[i]!]!;
    return out;
  }
  for (let i = 0; i < n; i++) mask[i] = mask[i]! & values[codes[i]!]!;
  return mask;
}

function intersect(a: Uint8Array | null, b: Uint8Array): Uint8Array {
  if (a === null) return b;
  for (let i = 0; i < a.length; i++) a[i] = a[i]! & b[i]!;
  return a;
}
