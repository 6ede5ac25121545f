import type { Selections, SelectionValue } from "@portico/protocol";

/** The calls that turn the frame's `current` selections into `next`. */
export interface SelectionsDiff {
  /** Fields to select, with their complete new value lists. */
  select: [field: string, values: SelectionValue[]][];
  /** Fields selected now and absent from `next`. */
  clear: string[];
}

function sameValues(a: readonly SelectionValue[], b: readonly SelectionValue[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set<SelectionValue>(a);
  return b.every((value) => set.has(value));
}

/**
 * What changed between two selection states, so a live `selections` attribute change costs one call per
 * changed field rather than clearing and reselecting everything (and firing an event for each step).
 * A field with an empty value list counts as not selected.
 */
export function diffSelections(current: Selections, next: Selections): SelectionsDiff {
  const select: SelectionsDiff["select"] = [];
  const clear: string[] = [];
  for (const [field, values] of Object.entries(next)) {
    const now = Object.hasOwn(current, field) ? (current[field] ?? []) : [];
    if (values.length === 0) {
      if (now.length > 0) clear.push(field);
    } else if (!sameValues(now, values)) select.push([field, [...values]]);
  }
  for (const [field, values] of Object.entries(current))
    if (values.length > 0 && !Object.hasOwn(next, field)) clear.push(field);
  return { select, clear };
}
