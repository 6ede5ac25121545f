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
  // Walk the values once in ascending order into four buckets: no comparator sort, even for 1M values.
  const buckets: number[][] = [[], [], [], []];
  for (const code of field.sortedCodes()) {
    if (needle && !field.texts[code]!.toLowerCase().includes(needle)) continue;
    if (selected && selected[code] === 1) buckets[0]!.push(code);
    else if (counts[code]! > 0) buckets[1]!.push(code);
    else if (alternative && alternative[code]! > 0) buckets[2]!.push(code);
    else buckets[3]!.push(code);
  }
  const values: FieldValueInfo[] = [];
  let skip = page.offset;
  let total = 0;
  buckets.forEach((bucket, s) => {
    total += bucket.length;
    for (const code of bucket) {
      if (skip > 0) {
        skip--;
        continue;
      }
      if (values.length >= page.limit) break;
      values.push({
        text: field.texts[code]!,
        value: field.values[code]!,
        state: STATES[s]!,
        frequency: counts[code]!,
      });
    }
  });
  return { kind: "field", field: field.name, type: field.type, values, totalValues: total, page };
}
