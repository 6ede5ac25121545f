import { aggregationsOf, ExpressionSyntaxError, type FieldScope, parseMeasure } from "@portico/engine";
import { dimensionField } from "@portico/protocol";
import type { AppConfig } from "../config/schema.js";

type Sheet = AppConfig["sheets"][number];
type ObjectDef = Sheet["objects"][number];

/**
 * Field sets by app configuration, then by readable sheets. An `AppConfig` is immutable and replaced by
 * each configuration snapshot, so the cache follows the snapshot and goes with it; within one, requesters
 * fall into a few sheet combinations, so the set is built once per combination rather than per query.
 */
const byApp = new WeakMap<AppConfig, Map<string, ReadonlySet<string>>>();

/**
 * The fields a requester may query, select on, search and export: those named by the objects of the
 * sheets it may read (`sheets`, a subset of `app.sheets`). Data scope follows the sheet rules: a field
 * shown only on a hidden sheet is answered like a missing one.
 */
export function readableFields(app: AppConfig, sheets: readonly Sheet[]): NonNullable<FieldScope> {
  let bySheets = byApp.get(app);
  if (!bySheets) {
    bySheets = new Map();
    byApp.set(app, bySheets);
  }
  // Sheet ids are restricted to A-Za-z0-9_.- by the config schema, so a space cannot occur in one.
  const key = sheets.map((sheet) => sheet.id).join(" ");
  let fields = bySheets.get(key);
  if (!fields) {
    fields = new Set(sheets.flatMap((sheet) => sheet.objects.flatMap(objectFields)));
    bySheets.set(key, fields);
  }
  return fields;
}

/** The fields an object names: its dimensions (a table's columns too), its measures' and its filter pane's. */
export function objectFields(def: ObjectDef): string[] {
  const measured = (def.measures ?? []).flatMap((measure) => {
    try {
      const expression = typeof measure === "string" ? measure : measure.expression;
      return aggregationsOf(parseMeasure(expression)).map((node) => node.field);
    } catch (error) {
      // A measure that does not parse names no field; the object's own query reports the syntax error.
      if (error instanceof ExpressionSyntaxError) return [];
      throw error;
    }
  });
  return [...(def.dimensions ?? []).map(dimensionField), ...measured, ...(def.fields ?? [])];
}
