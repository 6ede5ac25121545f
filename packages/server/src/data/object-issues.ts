import {
  aggregationsOf,
  ExpressionSyntaxError,
  type MeasureNode,
  parseMeasure,
  validateObject,
} from "@portico/engine";
import { dimensionField, type SheetObjectDef } from "@portico/protocol";
import { type ConfigIssue, formatPath } from "../config/format-issues.js";
import type { AppConfig, PorticoConfig } from "../config/schema.js";

/** How many field names an "unknown field" message lists before it stops. */
const LISTED_FIELDS = 12;

/**
 * Problems in the sheet objects of every app that need no data: object type, dimension count, measure
 * syntax (with line, column and caret excerpt). Part of config validation, so `portico check`, a file
 * edit and an admin change all refuse `Sum(Amount` before any data is read.
 */
export function objectSyntaxIssues(config: PorticoConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  config.apps.forEach((app, a) => {
    forEachObject(app, a, (def, where) => {
      for (const issue of validateObject(def as SheetObjectDef)) {
        const path = formatPath([...where, ...splitPath(issue.path)]);
        issues.push({ path, message: syntaxMessage(def, issue.path) ?? issue.message });
      }
    });
  });
  return issues;
}

/**
 * Fields that the objects of one app reference but its tables do not hold. `fieldNames` come from the
 * loaded model (or the CSV headers for `portico check`). Measures point at the aggregation:
 * `apps[0].sheets[0].objects[1].measures[0]: line 1, column 5: unknown field "Amout"`.
 */
export function objectFieldIssues(
  app: AppConfig,
  appIndex: number,
  fieldNames: ReadonlySet<string>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const unknown = (name: string) => `unknown field "${name}" (${known(fieldNames)})`;
  forEachObject(app, appIndex, (def, where) => {
    def.dimensions?.forEach((dimension, i) => {
      const name = dimensionField(dimension);
      const path = [...where, "dimensions", i, ...(typeof dimension === "string" ? [] : ["field"])];
      if (!fieldNames.has(name)) issues.push({ path: formatPath(path), message: unknown(name) });
    });
    def.fields?.forEach((name, i) => {
      if (!fieldNames.has(name))
        issues.push({ path: formatPath([...where, "fields", i]), message: unknown(name) });
    });
    def.measures?.forEach((measure, i) => {
      const expression = typeof measure === "string" ? measure : measure.expression;
      const path = formatPath([
        ...where,
        "measures",
        i,
        ...(typeof measure === "string" ? [] : ["expression"]),
      ]);
      let ast: MeasureNode;
      try {
        ast = parseMeasure(expression);
      } catch {
        return; // a syntax error: objectSyntaxIssues reports it
      }
      for (const node of aggregationsOf(ast)) {
        if (fieldNames.has(node.field)) continue;
        const { line, column } = locate(expression, node.start);
        issues.push({ path, message: `line ${line}, column ${column}: ${unknown(node.field)}` });
      }
    });
  });
  return issues;
}

function forEachObject(
  app: AppConfig,
  appIndex: number,
  visit: (def: AppConfig["sheets"][number]["objects"][number], where: PropertyKey[]) => void,
): void {
  app.sheets.forEach((sheet, s) => {
    sheet.objects.forEach((def, o) => {
      visit(def, ["apps", appIndex, "sheets", s, "objects", o]);
    });
  });
}

/** `measures[0].expression` -> `["measures", 0, "expression"]`. */
function splitPath(path: string): PropertyKey[] {
  const out: PropertyKey[] = [];
  for (const part of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    out.push(part[2] !== undefined ? Number(part[2]) : (part[1] as string));
  }
  return out;
}

/** For a measure path, the parse error as `line L, column C: reason` plus the caret excerpt. */
function syntaxMessage(
  def: { measures?: Array<string | { expression: string }> | undefined },
  issuePath: string,
) {
  const match = /^measures\[(\d+)\]/.exec(issuePath);
  if (!match) return undefined;
  const measure = def.measures?.[Number(match[1])];
  const expression = typeof measure === "string" ? measure : measure?.expression;
  if (typeof expression !== "string") return undefined;
  try {
    parseMeasure(expression);
    return undefined;
  } catch (error) {
    if (!(error instanceof ExpressionSyntaxError)) return undefined;
    const suffix = ` at line ${error.line}, column ${error.column}\n${error.excerpt}`;
    const reason = error.message.endsWith(suffix) ? error.message.slice(0, -suffix.length) : error.message;
    return `line ${error.line}, column ${error.column}: ${reason}\n${error.excerpt}`;
  }
}

function locate(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, offset);
  return { line: before.split("\n").length, column: offset - (before.lastIndexOf("\n") + 1) + 1 };
}

function known(fieldNames: ReadonlySet<string>): string {
  if (fieldNames.size === 0) return "the app's tables hold no fields";
  const names = [...fieldNames].slice(0, LISTED_FIELDS).join(", ");
  return `fields: ${names}${fieldNames.size > LISTED_FIELDS ? ", ..." : ""}`;
}
