import type { SheetObjectDef } from "@portico/protocol";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadTables } from "./load-tables.js";

/**
 * Selection semantics against a brute-force reference on small random multi-table data. The reference
 * shares no code with the engine: it works on row objects and enumerates every combination of rows
 * (one row or none per table), keeping the connected, consistent combinations that satisfy the
 * selections — the full-outer-join reading of the associative model.
 */

type Cell = string | number | null;
interface RefTable {
  name: string;
  fields: string[];
  rows: Array<Record<string, Cell>>;
}
type Sel = Record<string, string[]>;

const KEY_VALUES = ["a", "b", "c", null];
const OWN_VALUES = ["x", "y", "z", null];
const NUM_VALUES = [1, 2, 5, null];

/** A random forest of 1..4 tables: each later table links to an earlier one by a new or an existing key. */
const dataArb = fc
  .record({
    count: fc.integer({ min: 1, max: 4 }),
    links: fc.array(fc.record({ kind: fc.constantFrom("new", "join", "island"), pick: fc.nat() }), {
      minLength: 3,
      maxLength: 3,
    }),
    ownFields: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 4, maxLength: 4 }),
  })
  .chain(({ count, links, ownFields }) => {
    const fields: string[][] = [];
    const keys: string[] = [];
    for (let t = 0; t < count; t++) {
      fields.push([]);
      for (let f = 0; f < ownFields[t]!; f++) fields[t]!.push(`T${t}F${f}`);
      fields[t]!.push(`T${t}V`);
      if (t === 0) continue;
      const link = links[t - 1]!;
      if (link.kind === "join" && keys.length > 0) fields[t]!.push(keys[link.pick % keys.length]!);
      else if (link.kind !== "island") {
        const key = `K${t}`;
        keys.push(key);
        fields[t]!.push(key);
        fields[link.pick % t]!.push(key);
      }
    }
    const cellArb = (field: string) =>
      field.startsWith("K")
        ? fc.constantFrom(...KEY_VALUES)
        : field.endsWith("V")
          ? fc.constantFrom(...NUM_VALUES)
          : fc.constantFrom(...OWN_VALUES);
    return fc.tuple(
      ...fields.map((names, t) =>
        fc.array(fc.tuple(...names.map(cellArb)), { minLength: 0, maxLength: 5 }).map(
          (rows): RefTable => ({
            name: `t${t}`,
            fields: names,
            rows: rows.map((cells) => Object.fromEntries(names.map((n, i) => [n, cells[i]!]))),
          }),
        ),
      ),
    );
  });

function selectionArb(tables: RefTable[]): fc.Arbitrary<Sel> {
  const fields = [...new Set(tables.flatMap((t) => t.fields))].filter((f) => !f.endsWith("V"));
  return fc.dictionary(
    fc.constantFrom(...fields),
    fc.subarray(["a", "b", "c", "x", "y", "z"], { minLength: 1 }),
    { maxKeys: 3 },
  );
}

function holders(tables: RefTable[], field: string): number[] {
  return tables.flatMap((t, i) => (t.fields.includes(field) ? [i] : []));
}

/** Tables linked to each other (sharing a field held by two or more tables) form components. */
function componentsOf(tables: RefTable[]) {
  const keyFields = [...new Set(tables.flatMap((t) => t.fields))].filter(
    (f) => holders(tables, f).length > 1,
  );
  const linked = (a: number, b: number) =>
    keyFields.some((k) => tables[a]!.fields.includes(k) && tables[b]!.fields.includes(k));
  const component = tables.map((_, i) => i);
  const find = (i: number): number => (component[i] === i ? i : find(component[i]!));
  for (let a = 0; a < tables.length; a++) {
    for (let b = a + 1; b < tables.length; b++) if (linked(a, b)) component[find(b)] = find(a);
  }
  const members = (root: number) => tables.flatMap((_, i) => (find(i) === root ? [i] : []));
  const roots = tables.flatMap((_, i) => (find(i) === i ? [i] : []));
  return { keyFields, linked, roots, members };
}

/**
 * Every valid combination: one row or none per table of a component, at least one row, connected
 * through shared fields, equal non-null values on every shared field, and every selection on a field
 * of the component satisfied by a chosen row. Yields table -> row index.
 */
function* validCombinations(tables: RefTable[], selections: Sel): Generator<Map<number, number>> {
  const { keyFields, linked, roots, members: membersOf } = componentsOf(tables);
  const selected = Object.entries(selections).filter(([, values]) => values.length > 0);
  for (const root of roots) {
    const members = membersOf(root);
    const relevant = selected.filter(([field]) => members.some((m) => tables[m]!.fields.includes(field)));
    const choice = members.map(() => -1);
    const valid = (): Map<number, number> | undefined => {
      const chosen = members.filter((_, i) => choice[i]! >= 0);
      if (chosen.length === 0) return undefined;
      const row = (t: number) => tables[t]!.rows[choice[members.indexOf(t)]!]!;
      for (const key of keyFields) {
        const values = chosen.filter((t) => tables[t]!.fields.includes(key)).map((t) => row(t)[key]);
        if (values.length > 1 && (values.some((v) => v === null) || new Set(values).size > 1))
          return undefined;
      }
      const reached = new Set([chosen[0]!]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const t of chosen) {
          if (!reached.has(t) && [...reached].some((u) => linked(t, u))) {
            reached.add(t);
            grew = true;
          }
        }
      }
      if (reached.size !== chosen.length) return undefined;
      for (const [field, values] of relevant) {
        const holder = chosen.find((t) => tables[t]!.fields.includes(field));
        if (holder === undefined) return undefined;
        const value = row(holder)[field];
        if (value === null || value === undefined || !values.includes(String(value))) return undefined;
      }
      return new Map(chosen.map((t) => [t, choice[members.indexOf(t)]!]));
    };
    const combos: Array<Map<number, number>> = [];
    const visit = (i: number): void => {
      if (i === members.length) {
        const combo = valid();
        if (combo) combos.push(combo);
        return;
      }
      for (let r = -1; r < tables[members[i]!]!.rows.length; r++) {
        choice[i] = r;
        visit(i + 1);
      }
    };
    visit(0);
    yield* combos;
  }
}

/** Included row indexes per table: the rows of some valid combination. */
function referenceIncluded(tables: RefTable[], selections: Sel): Array<Set<number>> {
  const included = tables.map(() => new Set<number>());
  for (const combo of validCombinations(tables, selections)) for (const [t, r] of combo) included[t]!.add(r);
  return included;
}

function referenceStates(tables: RefTable[], selections: Sel, field: string) {
  const count = (sel: Sel) => {
    const included = referenceIncluded(tables, sel);
    const counts = new Map<string, number>();
    for (const t of holders(tables, field)) {
      for (const r of included[t]!) {
        const value = tables[t]!.rows[r]![field];
        if (value !== null && value !== undefined)
          counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
      }
    }
    return counts;
  };
  const counts = count(selections);
  const own = selections[field] ?? [];
  const isSelected = own.length > 0;
  const { [field]: _own, ...others } = selections;
  const alternative = isSelected ? count(others) : new Map<string, number>();
  const all = new Set<string>();
  for (const t of holders(tables, field))
    for (const row of tables[t]!.rows) if (row[field] !== null) all.add(String(row[field]));
  const out: Record<string, [string, number]> = {};
  for (const value of all) {
    const state = own.includes(value)
      ? "selected"
      : (counts.get(value) ?? 0) > 0
        ? "possible"
        : (alternative.get(value) ?? 0) > 0
          ? "alternative"
          : "excluded";
    out[value] = [state, counts.get(value) ?? 0];
  }
  return out;
}

const load = (tables: RefTable[]) =>
  loadTables(tables.map((t) => ({ name: t.name, rows: t.rows, fields: t.fields })));

describe("selection semantics (property-based, against a brute-force reference)", () => {
  it("gives every value of every field the reference state and frequency", async () => {
    await fc.assert(
      fc.asyncProperty(
        dataArb.chain((tables) => fc.tuple(fc.constant(tables), selectionArb(tables))),
        async ([tables, selections]) => {
          const model = await load(tables);
          for (const info of model.fields()) {
            const actual = Object.fromEntries(
              model
                .fieldStates(info.name, { selections, page: { offset: 0, limit: 100 } })
                .values.map((v) => [v.text, [v.state, v.frequency]]),
            );
            expect(actual, `field ${info.name}`).toEqual(referenceStates(tables, selections, info.name));
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("aggregates a measure per dimension value over exactly the included rows", async () => {
    await fc.assert(
      fc.asyncProperty(
        dataArb.chain((tables) => fc.tuple(fc.constant(tables), selectionArb(tables))),
        async ([tables, selections]) => {
          const model = await load(tables);
          const included = referenceIncluded(tables, selections);
          const t = 0;
          const table = tables[t]!;
          const dimension = table.fields[0]!;
          const def: SheetObjectDef = {
            id: "p",
            type: "table",
            dimensions: [dimension],
            measures: [`Sum(T${t}V)`, `Count(T${t}V)`, `Max(T${t}V)`, `Count(distinct T${t}V)`],
            position: { col: 0, row: 0, width: 1, height: 1 },
          };
          const expected = new Map<string, number[]>();
          for (const r of included[t]!) {
            const row = table.rows[r]!;
            const key = row[dimension] === null ? "-" : String(row[dimension]);
            const list = expected.get(key) ?? [];
            expected.set(key, list);
            if (row[`T${t}V`] !== null) list.push(row[`T${t}V`] as number);
          }
          const result = model.hypercube(def, { selections });
          const actual = Object.fromEntries(result.rows.map((r) => [r.dimensions[0]!.text, r.measures]));
          // A null group with no value to aggregate is not a row (hypercube's empty null groups).
          for (const [key, values] of expected) if (key === "-" && values.length === 0) expected.delete(key);
          const reference = Object.fromEntries(
            [...expected].map(([key, values]) => [
              key,
              values.length === 0
                ? [null, 0, null, 0]
                : [
                    values.reduce((a, b) => a + b, 0),
                    values.length,
                    Math.max(...values),
                    new Set(values).size,
                  ],
            ]),
          );
          // A field with no numbers at all loads as text: its Sum and Max have no value.
          if (model.fields().find((f) => f.name === `T${t}V`)?.type !== "number") {
            for (const row of Object.values(reference)) {
              row[0] = null;
              row[2] = null;
            }
          }
          expect(actual).toEqual(reference);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("groups a measure by a dimension of an associated table as the linked rows say", async () => {
    await fc.assert(
      fc.asyncProperty(
        dataArb.chain((tables) =>
          fc.tuple(
            fc.constant(tables),
            selectionArb(tables),
            fc.nat({ max: tables.length - 1 }),
            fc.constantFrom(...new Set(tables.flatMap((t) => t.fields))),
          ),
        ),
        async ([tables, selections, t, dimension]) => {
          const model = await load(tables);
          const measureField = `T${t}V`;
          const combos = [...validCombinations(tables, selections)];
          const included = referenceIncluded(tables, selections);
          const groups = new Map<string, number[]>();
          const keyOf = (value: Cell) => (value === null ? "-" : String(value));
          for (const r of included[t]!) {
            const reached = new Set<string>();
            for (const combo of combos) {
              if (combo.get(t) !== r) continue;
              for (const [u, row] of combo) {
                const value = tables[u]!.fields.includes(dimension)
                  ? tables[u]!.rows[row]![dimension]
                  : undefined;
                if (value !== undefined && value !== null) reached.add(String(value));
              }
            }
            if (reached.size === 0) reached.add(keyOf(null));
            const v = tables[t]!.rows[r]![measureField]!;
            for (const key of reached) {
              const list = groups.get(key) ?? [];
              groups.set(key, list);
              if (v !== null) list.push(v as number);
            }
          }
          for (const [key, values] of groups) if (key === "-" && values.length === 0) groups.delete(key);
          const numeric = model.fields().find((f) => f.name === measureField)?.type === "number";
          const reference = Object.fromEntries(
            [...groups].map(([key, values]) => [
              key,
              [numeric && values.length > 0 ? values.reduce((a, b) => a + b, 0) : null, values.length],
            ]),
          );
          const result = model.hypercube(
            {
              id: "x",
              type: "table",
              dimensions: [dimension],
              measures: [`Sum(${measureField})`, `Count(${measureField})`],
              position: { col: 0, row: 0, width: 1, height: 1 },
            },
            { selections },
          );
          const actual = Object.fromEntries(result.rows.map((r) => [r.dimensions[0]!.text, r.measures]));
          expect(actual).toEqual(reference);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("filters a larger unlinked table the same whether it scans rows or reads posting lists", async () => {
    const letters = ["a", "b", "c", "d", "e", "f", "g", "h"];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            fc.constantFrom(...letters, null),
            fc.constantFrom(...letters),
            fc.integer({ min: 0, max: 9 }),
          ),
          {
            minLength: 1,
            maxLength: 400,
          },
        ),
        fc.subarray(letters, { minLength: 1 }),
        fc.option(fc.subarray(letters, { minLength: 1 })),
        async (cells, first, second) => {
          const rows = cells.map(([A, B, C]) => ({ A, B, C }));
          const model = await loadTables([{ name: "t", rows }]);
          const selections: Sel = second ? { A: first, B: second } : { A: first };
          const kept = rows.filter(
            (r) => r.A !== null && first.includes(r.A) && (!second || second.includes(r.B)),
          );
          const expected = new Map<string, number>();
          for (const r of kept) expected.set(String(r.C), (expected.get(String(r.C)) ?? 0) + 1);
          const actual = model
            .fieldStates("C", { selections })
            .values.filter((v) => v.frequency > 0)
            .map((v) => [v.text, v.frequency]);
          expect(new Map(actual as Array<[string, number]>)).toEqual(expected);
          // A is selected: its other values are alternative when B's selection alone keeps them.
          const keptByB = new Set(rows.filter((r) => !second || second.includes(r.B)).map((r) => r.A));
          const states = Object.fromEntries(
            model.fieldStates("A", { selections }).values.map((v) => [v.text, v.state]),
          );
          for (const [text, state] of Object.entries(states)) {
            const want = first.includes(text) ? "selected" : keptByB.has(text) ? "alternative" : "excluded";
            expect(state, text).toBe(want);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
