/** One row of the basic editor: `user.<property> <operator> "<value>"`. */
export interface ConditionRow {
  property: string;
  operator: string;
  value: string;
}

/**
 * The user properties the basic editor offers; `IsAnonymous()` is a test of its own (no operator, no
 * value): the row writes `user.IsAnonymous()`.
 */
export const PROPERTIES = [
  "userDirectory",
  "userId",
  "name",
  "roles",
  "groups",
  "email",
  "IsAnonymous()",
] as const;
export const IS_ANONYMOUS = "IsAnonymous()";
/** The operators the basic editor offers. */
export const OPERATORS = ["=", "!=", "like"] as const;
const ROW = /^user\.(\w+)\s*(=|!=|like)\s*"((?:[^"\\]|\\.)*)"$/i;

/** The condition the rows spell, joined with `and`. */
export function conditionOf(rows: ConditionRow[]): string {
  return rows
    .filter((row) => row.value !== "" || row.property === IS_ANONYMOUS)
    .map((row) =>
      row.property === IS_ANONYMOUS
        ? `user.${IS_ANONYMOUS}`
        : `user.${row.property} ${row.operator} "${row.value.replace(/["\\]/g, "\\$&")}"`,
    )
    .join(" and ");
}

/** The rows a condition reads as, when it is one the basic editor writes; undefined otherwise. */
export function rowsOf(condition: string): ConditionRow[] | undefined {
  if (condition.trim() === "") return [];
  const rows: ConditionRow[] = [];
  for (const part of condition.split(/\s+and\s+/i)) {
    if (/^user\.IsAnonymous\(\)$/i.test(part.trim())) {
      rows.push({ property: IS_ANONYMOUS, operator: "=", value: "" });
      continue;
    }
    const match = ROW.exec(part.trim());
    const property = PROPERTIES.find((p) => p.toLowerCase() === match?.[1]?.toLowerCase());
    if (!match || !property) return undefined;
    rows.push({
      property,
      operator: (match[2] as string).toLowerCase(),
      value: (match[3] as string).replace(/\\(.)/g, "$1"),
    });
  }
  return rows;
}
