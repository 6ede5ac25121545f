/** Stable codes of every error @portico/rules throws; callers switch on `code`, never on messages. */
export const RulesErrorCode = {
  /** A condition does not parse or names something unknown (positioned: line, column, excerpt). */
  RULE_SYNTAX: "RULE_SYNTAX",
  /** `HasPrivilege` led back to a decision already being evaluated. */
  RULE_CYCLE: "RULE_CYCLE",
  /** A rule field other than the condition is wrong: resource filter, actions, context, name. */
  RULE_INVALID: "RULE_INVALID",
} as const;
export type RulesErrorCode = (typeof RulesErrorCode)[keyof typeof RulesErrorCode];

/** The one base class of the package's errors. */
export class RulesError extends Error {
  readonly code: RulesErrorCode;
  /** Name of the rule the error belongs to, when it came from a rule set. */
  ruleName?: string;
  /** The rule field at fault (`condition`, `resourceFilter`, `actions`, `context`, `name`). */
  field?: string;

  constructor(code: RulesErrorCode, message: string) {
    super(message);
    this.name = "RulesError";
    this.code = code;
  }
}

/** A condition that cannot be compiled, with the position of the problem (1-based line and column). */
export class RuleSyntaxError extends RulesError {
  /** 1-based line of the problem. */
  readonly line: number;
  /** 1-based column of the problem. */
  readonly column: number;
  /** 0-based offset into the condition source. */
  readonly offset: number;
  /** The offending source line followed by a caret line pointing at the column. */
  readonly excerpt: string;
  /** The message without the position suffix. */
  readonly reason: string;

  constructor(reason: string, source: string, offset: number) {
    const position = positionOf(source, offset);
    super(
      RulesErrorCode.RULE_SYNTAX,
      `${reason} (line ${position.line}, column ${position.column})\n${position.excerpt}`,
    );
    this.name = "RuleSyntaxError";
    this.reason = reason;
    this.offset = position.offset;
    this.line = position.line;
    this.column = position.column;
    this.excerpt = position.excerpt;
  }
}

/** A position in a condition's source, in the forms people and programs need. */
export interface SourcePosition {
  offset: number;
  line: number;
  column: number;
  excerpt: string;
}

/** Line, column (1-based) and a caret excerpt for an offset into `source`. */
export function positionOf(source: string, offset: number): SourcePosition {
  const at = Math.max(0, Math.min(offset, source.length));
  let lineStart = 0;
  let line = 1;
  for (let i = 0; i < at; i++) {
    const ch = source.charCodeAt(i);
    if (ch === 10 || (ch === 13 && source.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  let lineEnd = source.slice(lineStart).search(/\r|\n/);
  lineEnd = lineEnd === -1 ? source.length : lineStart + lineEnd;
  const text = source.slice(lineStart, lineEnd);
  const column = at - lineStart + 1;
  // Tabs stay tabs in the caret line so the caret lines up in a terminal.
  const pad = text.slice(0, column - 1).replace(/[^\t]/g, " ");
  return { offset: at, line, column, excerpt: `${text}\n${pad}^` };
}
