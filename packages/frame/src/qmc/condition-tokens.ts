/** What a piece of a condition is, for its colour in the advanced *Conditions* field. */
export type ConditionTokenKind =
  | "string"
  | "keyword"
  | "function"
  | "property"
  | "operator"
  | "space"
  | "text";

export interface ConditionToken {
  kind: ConditionTokenKind;
  text: string;
}

const NAME = "[A-Za-z_][A-Za-z0-9_-]*(?![A-Za-z0-9_-])";
// Order matters: a string before anything inside it, a keyword before a call (`and (`) and a path, a call's
// name before a path.
const TOKEN = new RegExp(
  [
    String.raw`(?<string>"(?:\\["\\]|[^"\\\n\r]|\\)*"?)`,
    "(?<keyword>(?:and|or|like|matches)(?![A-Za-z0-9_-]))",
    String.raw`(?<function>${NAME}(?=\s*\())`,
    String.raw`(?<property>${NAME}(?:\.(?:@[A-Za-z0-9_-]+|${NAME}(?!\s*\()))*)`,
    String.raw`(?<operator>!==|==|!=|=|&&|\|\||!|[().,])`,
    String.raw`(?<space>\s+)`,
    "(?<text>.)",
  ].join("|"),
  "giys",
);

/**
 * Splits a condition into coloured pieces, by the shapes of the rule language's grammar (strings, the
 * keywords and/or/like/matches, function calls, property paths such as `user.userDirectory`, operators).
 * It only colours: whether the condition is valid is the server's answer (`POST /rules/check`), so the
 * console does not bundle the rules package. The pieces always join back to the source.
 */
export function conditionTokens(source: string): ConditionToken[] {
  const tokens: ConditionToken[] = [];
  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(source); match; match = TOKEN.exec(source)) {
    const groups = match.groups as Record<ConditionTokenKind, string | undefined>;
    const kind = (Object.keys(groups) as ConditionTokenKind[]).find((k) => groups[k] !== undefined) ?? "text";
    tokens.push({ kind, text: match[0] });
  }
  return tokens;
}
