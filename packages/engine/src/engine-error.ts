import { ErrorCode } from "@portico/protocol";

/** The codes the engine throws; each is one of the protocol's catalogue, so the HTTP layer maps them as is. */
export const EngineErrorCode = {
  FIELD_NOT_FOUND: ErrorCode.FIELD_NOT_FOUND,
  OBJECT_NOT_FOUND: ErrorCode.OBJECT_NOT_FOUND,
  EXPRESSION_SYNTAX: ErrorCode.EXPRESSION_SYNTAX,
  DATA_LOAD_FAILED: ErrorCode.DATA_LOAD_FAILED,
  BAD_REQUEST: ErrorCode.BAD_REQUEST,
} as const;

export type EngineErrorCode = (typeof EngineErrorCode)[keyof typeof EngineErrorCode];

/** The one error class of @portico/engine: callers switch on `code`, never on the message. */
export class EngineError extends Error {
  readonly code: EngineErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: EngineErrorCode,
    message: string,
    details?: Record<string, unknown>,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "EngineError";
    this.code = code;
    this.details = details;
  }
}

/** A measure expression that does not parse; `line` and `column` are 1-based, `excerpt` shows a caret. */
export class ExpressionSyntaxError extends EngineError {
  readonly line: number;
  readonly column: number;
  readonly excerpt: string;
  readonly expression: string;
  /** The message without its position, e.g. `expected ")" but found end of expression`. */
  readonly reason: string;

  constructor(expression: string, offset: number, reason: string) {
    const { line, column, excerpt } = locate(expression, offset);
    super(EngineErrorCode.EXPRESSION_SYNTAX, `${reason} at line ${line}, column ${column}\n${excerpt}`, {
      line,
      column,
    });
    this.name = "ExpressionSyntaxError";
    this.line = line;
    this.column = column;
    this.excerpt = excerpt;
    this.expression = expression;
    this.reason = reason;
  }
}

function locate(source: string, offset: number): { line: number; column: number; excerpt: string } {
  const before = source.slice(0, offset);
  const line = before.split("\n").length;
  const lineStart = before.lastIndexOf("\n") + 1;
  const lineEnd = source.indexOf("\n", lineStart);
  const text = source.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const column = offset - lineStart + 1;
  return { line, column, excerpt: `${text}\n${" ".repeat(column - 1)}^` };
}
