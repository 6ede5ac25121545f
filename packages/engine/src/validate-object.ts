import {
  DIMENSION_SORTS,
  dimensionField,
  dimensionSort,
  OBJECT_TYPES,
  type SheetObjectDef,
} from "@portico/protocol";
import { MAX_DIMENSIONS, measureIndex } from "./compile-object.js";
import { ExpressionSyntaxError } from "./engine-error.js";
import { aggregationsOf, parseMeasure } from "./parse-measure.js";

/** A problem in an object definition; `path` is relative to the object, e.g. `measures[0]`. */
export interface ObjectIssue {
  path: string;
  message: string;
}

const CHART_TYPES: readonly string[] = ["bar", "line", "pie"];

/**
 * Checks an object definition before any data is loaded: type, dimension count, measure syntax, and —
 * when `fieldNames` is given — that every referenced field exists. Returns every issue, never throws,
 * so config validation can report them all with their paths.
 */
export function validateObject(def: SheetObjectDef, fieldNames?: Iterable<string>): ObjectIssue[] {
  const issues: ObjectIssue[] = [];
  const known = fieldNames ? new Set(fieldNames) : undefined;
  const checkField = (path: string, name: unknown) => {
    if (typeof name !== "string" || name === "") issues.push({ path, message: "must be a field name" });
    else if (known && !known.has(name)) issues.push({ path, message: `unknown field "${name}"` });
  };
  if (!(OBJECT_TYPES as readonly string[]).includes(def.type)) {
    issues.push({
      path: "type",
      message: `unknown object type "${def.type}" (expected ${OBJECT_TYPES.join(", ")})`,
    });
  }
  const dimensions = def.dimensions ?? [];
  const measures = def.measures ?? [];
  if (dimensions.length > MAX_DIMENSIONS) {
    issues.push({ path: "dimensions", message: `at most ${MAX_DIMENSIONS} dimensions are supported` });
  }
  dimensions.forEach((dimension, i) => {
    if (typeof dimension === "string" || dimension === null || typeof dimension !== "object") {
      checkField(`dimensions[${i}]`, dimension);
      return;
    }
    checkField(`dimensions[${i}].field`, dimensionField(dimension));
    const sort = dimensionSort(dimension);
    if (!sort) return;
    const path = typeof dimension.sort === "string" ? `dimensions[${i}].sort` : `dimensions[${i}].sort.by`;
    if (!(DIMENSION_SORTS as readonly string[]).includes(sort.by)) {
      issues.push({ path, message: `unknown sort "${sort.by}" (expected ${DIMENSION_SORTS.join(", ")})` });
      return;
    }
    if (sort.by === "measure") {
      const named = sort.measure;
      const list = measures.map((m) => (typeof m === "string" ? { expression: m } : m));
      if (list.length === 0)
        issues.push({ path, message: "sorting by a measure needs a measure on the object" });
      else if (named !== undefined && measureIndex(list, named) < 0)
        issues.push({
          path: `dimensions[${i}].sort.measure`,
          message: `no measure "${named}" on this object (measures: ${list.map((m) => m.label ?? m.expression).join(", ")})`,
        });
    } else if (sort.measure !== undefined) {
      issues.push({
        path: `dimensions[${i}].sort.measure`,
        message: `only a sort by "measure" names a measure`,
      });
    }
  });
  measures.forEach((measure, i) => {
    const expression = typeof measure === "string" ? measure : measure?.expression;
    const path = typeof measure === "string" ? `measures[${i}]` : `measures[${i}].expression`;
    if (typeof expression !== "string") {
      issues.push({ path, message: "must be a measure expression such as Sum(Amount)" });
      return;
    }
    try {
      for (const node of aggregationsOf(parseMeasure(expression))) checkField(path, node.field);
    } catch (error) {
      if (!(error instanceof ExpressionSyntaxError)) throw error;
      issues.push({ path, message: error.message });
    }
  });
  (def.fields ?? []).forEach((name, i) => {
    checkField(`fields[${i}]`, name);
  });
  if (def.type === "kpi") {
    if (measures.length === 0) issues.push({ path: "measures", message: "a kpi needs at least one measure" });
    if (dimensions.length > 0) issues.push({ path: "dimensions", message: "a kpi has no dimensions" });
  }
  if (CHART_TYPES.includes(def.type)) {
    if (dimensions.length === 0)
      issues.push({ path: "dimensions", message: `a ${def.type} chart needs a dimension` });
    if (measures.length === 0)
      issues.push({ path: "measures", message: `a ${def.type} chart needs a measure` });
  }
  if (def.type === "table" && dimensions.length === 0 && measures.length === 0) {
    issues.push({ path: "dimensions", message: "a table needs at least one dimension or measure" });
  }
  if (def.type === "filterpane" && (def.fields ?? []).length === 0) {
    issues.push({ path: "fields", message: "a filter pane needs at least one field" });
  }
  if (def.topN !== undefined && (!Number.isInteger(def.topN) || def.topN < 1)) {
    issues.push({ path: "topN", message: "must be an integer >= 1" });
  }
  return issues;
}
