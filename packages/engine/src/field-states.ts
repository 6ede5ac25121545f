import type { FieldStatesResult, FieldValueInfo, FieldValueState, PageRequest } from "@portico/protocol";
import type { Field } from "./field.js";
import type { SelectionState } from "./selection-state.js";

const STATES: FieldValueState[] = ["selected", "possible", "alternative", "excluded"];

/**
 * The state of every value of `field`. `withoutOwn` is the state under the same selections minus this
 * field's own (only needed when the field is selected): a non-selected value possible there is alternative.
 * Values are ordered selected, possible, alternative, excluded, then by value ascending.
 */
export function fieldStates(
  field: Field,
  state: SelectionState,
  withoutOwn: SelectionState | undefined,
  search: string | undefined,
  page: PageRequest,
): FieldStatesResult {
  const counts = state.countsOf(field);
  const selected = state.selections.masks.get(field);
  const alternative = selected && withoutOwn ? withoutOwn.countsOf(field) : undefined;
  const needle = search?.trim().toLowerCase();
  // One pass over the codes gives each value its state (255 = filtered out by the search); the page is
  // then read in value order, one state after the other, stopping once full: no sort, even for 1M values.
  // A field that is neither selected nor searched only has possible and excluded values: count them.
  const size = field.cardinality + 1;
  const totals = [0, 0, 0, 0];
  let stateOf: Uint8Array | null = null;
  if (!needle && selected === undefined) {
    let possible = 0;
    for (let code = 1; code < size; code++) if (counts[code] !== 0) possible++;
    totals[1] = possible;
    totals[3] = size - 1 - possible;
  } else {
    stateOf = new Uint8Array(size);
    for (let code = 1; code < size; code++) {
      let s: number;
      if (needle && !field.texts[code]!.toLowerCase().includes(needle)) s = 255;
      else if (selected !== undefined && selected[code] === 1) s = 0;
      else if (counts[code]! > 0) s = 1;
      else if (alternative !== undefined && alternative[code]! > 0) s = 2;
      else s = 3;
      stateOf[code] = s;
      if (s !== 255) totals[s]!++;
    }
  }
  const values: FieldValueInfo[] = [];
  const dual = field.type === "text" ? field.dual() : undefined;
  let skip = page.offset;
  const sorted = field.sortedCodes();
  for (let s = 0; s < 4 && values.length < page.limit; s++) {
    if (skip >= totals[s]!) {
      skip -= totals[s]!;
      continue;
    }
    for (let i = 0; i < sorted.length && values.length < page.limit; i++) {
      const code = sorted[i]!;
      const state = stateOf !== null ? stateOf[code] : counts[code] !== 0 ? 1 : 3;
      if (state !== s) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      const num = dual?.[code];
      values.push({
        text: field.texts[code]!,
        value: field.values[code]!,
        ...(num !== undefined && !Number.isNaN(num) ? { num } : {}),
        state: STATES[s]!,
        frequency: counts[code]!,
      });
    }
  }
  const total = totals[0]! + totals[1]! + totals[2]! + totals[3]!;
  return { kind: "field", field: field.name, type: field.type, values, totalValues: total, page };
}
