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

/**
 * True when `next` would change nothing against `previous`: the same fields with the same values, in any
 * order (no selections and an empty object are the same). The element compares its `selections` property
 * by value, so a framework that builds a new, equal object on every render does not undo the visitor's
 * clicks made in between.
 */
export function sameSelections(previous: Selections | undefined, next: Selections | undefined): boolean {
  const { select, clear } = diffSelections(previous ?? {}, next ?? {});
  return select.length === 0 && clear.length === 0;
}

/**
 * What a page's change of its `selections` value from `previous` to `next` asks of the frame, which shows
 * `frame` now: the fields the page changed, except where the frame already shows the new state. A field
 * the page left as it was keeps whatever the visitor selected in it, so a page that passes only the fields
 * it controls never clears the visitor's clicks on others.
 */
export function pageChanges(previous: Selections, next: Selections, frame: Selections): SelectionsDiff {
  const { select, clear } = diffSelections(previous, next);
  const shown = (field: string) => (Object.hasOwn(frame, field) ? (frame[field] ?? []) : []);
  return {
    select: select.filter(([field, values]) => !sameValues(shown(field), values)),
    clear: clear.filter((field) => shown(field).length > 0),
  };
}
