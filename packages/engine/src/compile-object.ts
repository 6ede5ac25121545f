import { dimensionField, dimensionSort, type SheetObjectDef } from "@portico/protocol";
import { EngineError, EngineErrorCode } from "./engine-error.js";
import type { Field, ValueOrder } from "./field.js";
import {
  type AggregationName,
  aggregationKey,
  aggregationsOf,
  type MeasureNode,
  parseMeasure,
} from "./parse-measure.js";

/** One aggregation to compute, shared by every measure of the object that uses it. */
export interface AggregationSpec {
  key: string;
  fn: AggregationName;
  distinct: boolean;
  field: Field;
  /** The table the aggregation runs over: the one holding the field (the largest when several do). */
  table: number;
  /** Median and Fractile: which fraction of the sorted values. */
  fraction?: number;
}

export interface CompiledMeasure {
  expression: string;
  label: string;
  format?: string;
  ast: MeasureNode;
  /** Aggregation index per aggregation node of `ast`, in `aggregationsOf` order. */
  slots: Map<string, number>;
}

/** A dimension's configured order: its values in one of the field's orders, or a measure's values. */
export type CompiledSort =
  | { by: ValueOrder; descending: boolean }
  | { by: "measure"; measure: number; descending: boolean };

export interface CompiledObject {
  def: SheetObjectDef;
  dimensions: Field[];
  /** Per dimension, its configured sort (undefined: the object type's default). */
  sorts: Array<CompiledSort | undefined>;
  measures: CompiledMeasure[];
  aggregations: AggregationSpec[];
}

export const MAX_DIMENSIONS = 2;

/** Resolves an object's fields and parses its measures once; the result is reused for every query. */
export function compileObject(
  def: SheetObjectDef,
  fieldByName: Map<string, Field>,
  rowCounts: readonly number[],
): CompiledObject {
  const field = (name: string): Field => {
    const found = fieldByName.get(name);
    if (!found) {
      throw new EngineError(
        EngineErrorCode.FIELD_NOT_FOUND,
        `object "${def.id}": field "${name}" does not exist`,
        {
          object: def.id,
          field: name,
        },
      );
    }
    return found;
  };
  const dimensionNames = def.dimensions ?? [];
  if (dimensionNames.length > MAX_DIMENSIONS) {
    throw new EngineError(
      EngineErrorCode.BAD_REQUEST,
      `object "${def.id}" has more than ${MAX_DIMENSIONS} dimensions`,
    );
  }
  const dimensions = dimensionNames.map((d) => field(dimensionField(d)));
  const aggregations: AggregationSpec[] = [];
  const byKey = new Map<string, number>();
  const measures = (def.measures ?? []).map((m): CompiledMeasure => {
    const measure = typeof m === "string" ? { expression: m } : m;
    const ast = parseMeasure(measure.expression);
    const slots = new Map<string, number>();
    for (const node of aggregationsOf(ast)) {
      const key = aggregationKey(node);
      let slot = byKey.get(key);
      if (slot === undefined) {
        const f = field(node.field);
        const table = f.tables.reduce(
          (best, t) => (rowCounts[t]! > rowCounts[best]! ? t : best),
          f.tables[0]!,
        );
        slot = aggregations.length;
        aggregations.push({
          key,
          fn: node.fn,
          distinct: node.distinct,
          field: f,
          table,
          ...(node.fraction !== undefined ? { fraction: node.fraction } : {}),
        });
        byKey.set(key, slot);
      }
      slots.set(key, slot);
    }
    return {
      expression: measure.expression,
      label: measure.label ?? measure.expression,
      ...(measure.format !== undefined ? { format: measure.format } : {}),
      ast,
      slots,
    };
  });
  const sorts = dimensionNames.map((d, i): CompiledSort | undefined => {
    const sort = dimensionSort(d);
    if (!sort) return undefined;
    const descending = sort.descending === true;
    if (sort.by !== "measure") return { by: sort.by, descending };
    const measure = sort.measure === undefined ? 0 : measureIndex(measures, sort.measure);
    if (measure < 0 || measure >= measures.length)
      throw new EngineError(
        EngineErrorCode.BAD_REQUEST,
        `object "${def.id}": dimensions[${i}].sort names no measure of the object`,
      );
    return { by: "measure", measure, descending };
  });
  return { def, dimensions, sorts, measures, aggregations };
}

/** The measure a sort names by its expression or its label; -1 when none matches. */
export function measureIndex(
  measures: ReadonlyArray<{ expression: string; label?: string | undefined }>,
  name: string,
): number {
  const byExpression = measures.findIndex((m) => m.expression === name);
  return byExpression >= 0 ? byExpression : measures.findIndex((m) => m.label === name);
}

/** Evaluates a measure from its aggregations' values; null propagates and division by zero gives null. */
export function evaluateMeasure(
  measure: CompiledMeasure,
  value: (slot: number) => number | null,
): number | null {
  const result = evaluate(measure.ast, measure.slots, value);
  // Rounded to 15 significant digits: summing many decimals in binary floating point leaves noise
  // (11178114.359999996) that would otherwise reach charts and exported CSV.
  return result === null || !Number.isFinite(result) ? null : Number(result.toPrecision(15));
}

function evaluate(
  node: MeasureNode,
  slots: Map<string, number>,
  value: (slot: number) => number | null,
): number | null {
  switch (node.kind) {
    case "number":
      return node.value;
    case "aggregation":
      return value(slots.get(aggregationKey(node))!);
    case "negate": {
      const v = evaluate(node.operand, slots, value);
      return v === null ? null : -v;
    }
    case "binary": {
      const left = evaluate(node.left, slots, value);
      const right = evaluate(node.right, slots, value);
      if (left === null || right === null) return null;
      switch (node.op) {
        case "+":
          return left + right;
        case "-":
          return left - right;
        case "*":
          return left * right;
        case "/":
          return right === 0 ? null : left / right;
      }
    }
  }
}
