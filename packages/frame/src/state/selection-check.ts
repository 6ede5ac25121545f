import {
  type FieldInfo,
  type QueryRequest,
  type QueryResult,
  type Selections,
  type SelectionValue,
  valuesCheck,
} from "@portico/protocol";
import { FrameError } from "../errors/frame-error.js";

/** A part of the host's selections the frame dropped, as the `warning` event that tells the host. */
export interface DroppedSelection {
  code: "FIELD_NOT_FOUND" | "VALUE_NOT_FOUND";
  field: string;
  message: string;
}

/** At most this many field names in a message: an app with hundreds must not flood the console. */
const LISTED_FIELDS = 30;

/** FIELD_NOT_FOUND for `field`, naming the app's fields so the developer sees the right spelling. */
export function unknownField(field: string, appId: string, fields: readonly FieldInfo[]): FrameError {
  const names = fields.map((f) => f.name);
  const listed = names.slice(0, LISTED_FIELDS).join(", ") + (names.length > LISTED_FIELDS ? ", ..." : "");
  return new FrameError(
    "FIELD_NOT_FOUND",
    `There is no field "${field}" in app "${appId}"; its fields are: ${listed || "(none)"}`,
  );
}

/**
 * The values of `values` that `result` (the answer to protocol's `valuesCheck`) shows held, by value, by
 * text, or by a dual field's number behind the text.
 */
export function heldValues(result: QueryResult, values: readonly SelectionValue[]): SelectionValue[] {
  if (result.kind !== "field") return [...values];
  const held = result.values.filter((v) => v.state === "selected");
  return values.filter((value) => {
    const num = asNumber(value);
    return held.some(
      (v) => v.value === value || v.text === String(value) || (v.num !== undefined && v.num === num),
    );
  });
}

/** A selection value as the number it names: a number, or plain decimal text ("3", "-1.5"); NaN otherwise. */
function asNumber(value: SelectionValue): number {
  if (typeof value === "number") return value;
  return /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
}

/** The warning for values `field` does not hold (`held`: those it does, which stay selected). */
export function missingValues(
  field: string,
  values: readonly SelectionValue[],
  held: readonly SelectionValue[],
): DroppedSelection | undefined {
  const missing = values.filter((v) => !held.includes(v));
  if (missing.length === 0) return undefined;
  const list = missing.map((v) => JSON.stringify(v)).join(", ");
  return {
    code: "VALUE_NOT_FOUND",
    field,
    message: `Field "${field}" has no value ${list}: ${held.length > 0 ? "the others are selected" : "nothing selected in it"}`,
  };
}

/**
 * What of the host's `selections` the app can apply: a field it does not have, or values a field does not
 * hold, are dropped and reported, so one mistake never empties the sheet or breaks its queries. A field
 * none of whose values exist is dropped whole (selecting nothing would exclude every row). Empty value
 * lists select nothing and are left out.
 */
export async function checkSelections(
  selections: Selections,
  app: { id: string; fields: readonly FieldInfo[] },
  query: (request: QueryRequest) => Promise<QueryResult>,
): Promise<{ selections: Selections; dropped: DroppedSelection[] }> {
  const dropped: DroppedSelection[] = [];
  const kept: Selections = {};
  await Promise.all(
    Object.entries(selections).map(async ([field, values]) => {
      if (values.length === 0) return;
      if (!app.fields.some((f) => f.name === field)) {
        dropped.push({
          code: "FIELD_NOT_FOUND",
          field,
          message: unknownField(field, app.id, app.fields).message,
        });
        return;
      }
      const held = heldValues(await query(valuesCheck(field, values)), values);
      const missing = missingValues(field, values, held);
      if (missing) dropped.push(missing);
      if (held.length > 0) kept[field] = held;
    }),
  );
  // Keep the host's field order (the checks above finish in any order).
  const ordered: Selections = {};
  for (const field of Object.keys(selections)) if (kept[field]) ordered[field] = kept[field];
  return { selections: ordered, dropped };
}
