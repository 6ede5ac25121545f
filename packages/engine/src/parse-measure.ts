import { ExpressionSyntaxError } from "./engine-error.js";

export const AGGREGATIONS = ["sum", "avg", "min", "max", "count", "median", "fractile"] as const;
export type AggregationName = (typeof AGGREGATIONS)[number];

/** An aggregation over one field: `Sum(Amount)`, `Count(distinct Vendor)`. */
export interface AggregationNode {
  kind: "aggregation";
  fn: AggregationName;
  distinct: boolean;
  field: string;
  /** `Fractile(X, p)`: the fraction p (0-1); `Median(X)` is `Fractile(X, 0.5)`. */
  fraction?: number;
  /** Offset of the aggregation in the expression, for messages. */
  start: number;
}

export interface NumberNode {
  kind: "number";
  value: number;
}

export interface NegateNode {
  kind: "negate";
  operand: MeasureNode;
}

export interface BinaryNode {
  kind: "binary";
  op: "+" | "-" | "*" | "/";
  left: MeasureNode;
  right: MeasureNode;
}

export type MeasureNode = AggregationNode | NumberNode | NegateNode | BinaryNode;

/** Every aggregation of a measure, left to right. */
export function aggregationsOf(node: MeasureNode, into: AggregationNode[] = []): AggregationNode[] {
  switch (node.kind) {
    case "aggregation":
      into.push(node);
      break;
    case "negate":
      aggregationsOf(node.operand, into);
      break;
    case "binary":
      aggregationsOf(node.left, into);
      aggregationsOf(node.right, into);
      break;
    case "number":
      break;
  }
  return into;
}

/** The canonical text of an aggregation, used to share its computation between measures. */
export function aggregationKey(node: AggregationNode): string {
  return `${node.fn}(${node.distinct ? "distinct " : ""}${node.field}${node.fraction !== undefined ? `,${node.fraction}` : ""})`;
}

type Token =
  | { type: "number"; value: number; start: number }
  | { type: "name"; value: string; start: number }
  | { type: "field"; value: string; start: number }
  | { type: "op"; value: string; start: number }
  | { type: "end"; start: number };

const MAX_EXPRESSION_LENGTH = 2000;

/**
 * Parses a measure expression: aggregations (`Sum`, `Avg`, `Min`, `Max`, `Count`, `Count(distinct X)`),
 * numeric literals, `+ - * /`, unary minus and parentheses. Function names and `distinct` are
 * case-insensitive; field names are case-sensitive and may be written bare (`Amount`), in brackets
 * (`[Vehicle type]`) or in double quotes. Throws `ExpressionSyntaxError` with line, column and a caret.
 */
export function parseMeasure(expression: string): MeasureNode {
  if (typeof expression !== "string") throw new TypeError("a measure expression must be a string");
  if (expression.length > MAX_EXPRESSION_LENGTH) {
    throw new ExpressionSyntaxError(expression, MAX_EXPRESSION_LENGTH, "expression is too long");
  }
  const tokens = tokenize(expression);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const fail = (token: Token, reason: string): never => {
    throw new ExpressionSyntaxError(expression, token.start, reason);
  };
  const describe = (token: Token): string =>
    token.type === "end" ? "end of expression" : `"${expression.slice(token.start, tokenEnd(token))}"`;
  const tokenEnd = (token: Token): number => tokens[tokens.indexOf(token) + 1]?.start ?? expression.length;
  const isOp = (token: Token, op: string): boolean => token.type === "op" && token.value === op;

  const parseExpr = (): MeasureNode => {
    let left = parseTerm();
    for (let t = peek(); isOp(t, "+") || isOp(t, "-"); t = peek()) {
      pos++;
      left = { kind: "binary", op: (t as { value: "+" | "-" }).value, left, right: parseTerm() };
    }
    return left;
  };
  const parseTerm = (): MeasureNode => {
    let left = parseFactor();
    for (let t = peek(); isOp(t, "*") || isOp(t, "/"); t = peek()) {
      pos++;
      left = { kind: "binary", op: (t as { value: "*" | "/" }).value, left, right: parseFactor() };
    }
    return left;
  };
  const parseFactor = (): MeasureNode => {
    const t = peek();
    if (isOp(t, "-")) {
      pos++;
      return { kind: "negate", operand: parseFactor() };
    }
    if (isOp(t, "+")) {
      pos++;
      return parseFactor();
    }
    if (t.type === "number") {
      pos++;
      return { kind: "number", value: t.value };
    }
    if (isOp(t, "(")) {
      pos++;
      const inner = parseExpr();
      const close = peek();
      if (!isOp(close, ")")) fail(close, `expected ")" but found ${describe(close)}`);
      pos++;
      return inner;
    }
    if (t.type === "name") {
      const fn = t.value.toLowerCase();
      const open = tokens[pos + 1]!;
      if (!isOp(open, "(")) {
        return fail(t, `field "${t.value}" must be inside an aggregation such as Sum(${t.value})`);
      }
      if (!(AGGREGATIONS as readonly string[]).includes(fn)) {
        return fail(
          t,
          `unknown function "${t.value}" (expected Sum, Avg, Min, Max, Count, Median or Fractile)`,
        );
      }
      pos += 2;
      let distinct = false;
      let arg = peek();
      const after = tokens[pos + 1]!;
      if (arg.type === "name" && arg.value.toLowerCase() === "distinct" && after.type !== "op") {
        if (fn !== "count") fail(arg, `"distinct" is only allowed in Count(distinct ...)`);
        distinct = true;
        pos++;
        arg = peek();
      }
      if (arg.type === "name" && isOp(tokens[pos + 1]!, "(")) fail(arg, "aggregations cannot be nested");
      if (arg.type !== "name" && arg.type !== "field") {
        return fail(arg, `expected a field name but found ${describe(arg)}`);
      }
      pos++;
      let fraction: number | undefined;
      if (fn === "fractile") {
        const comma = peek();
        if (!isOp(comma, ","))
          fail(comma, `expected "," and a fraction between 0 and 1, as in Fractile(${arg.value}, 0.9)`);
        pos++;
        const p = peek();
        if (p.type !== "number" || p.value < 0 || p.value > 1)
          fail(p, `expected a fraction between 0 and 1 but found ${describe(p)}`);
        fraction = (p as { value: number }).value;
        pos++;
      } else if (fn === "median") fraction = 0.5;
      const close = peek();
      if (!isOp(close, ")")) fail(close, `expected ")" but found ${describe(close)}`);
      pos++;
      return {
        kind: "aggregation",
        fn: fn as AggregationName,
        distinct,
        field: arg.value,
        ...(fraction !== undefined ? { fraction } : {}),
        start: t.start,
      };
    }
    return fail(t, `expected a number, an aggregation or "(" but found ${describe(t)}`);
  };

  const root = parseExpr();
  const rest = peek();
  if (rest.type !== "end") fail(rest, `unexpected ${describe(rest)}`);
  return root;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if ("+-*/(),".includes(ch)) {
      tokens.push({ type: "op", value: ch, start });
      i++;
    } else if (/[0-9.]/.test(ch)) {
      const match = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(source.slice(i));
      if (!match) throw new ExpressionSyntaxError(source, start, `invalid number`);
      tokens.push({ type: "number", value: Number(match[0]), start });
      i += match[0].length;
      if (i < source.length && /[A-Za-z_]/.test(source[i]!)) {
        throw new ExpressionSyntaxError(source, i, "a number cannot be followed by a name");
      }
    } else if (/[A-Za-z_\u00C0-\uFFFF]/.test(ch)) {
      const match = /^[A-Za-z_\u00C0-\uFFFF][\w.\u00C0-\uFFFF]*/.exec(source.slice(i))!;
      tokens.push({ type: "name", value: match[0], start });
      i += match[0].length;
    } else if (ch === "[" || ch === '"') {
      const close = ch === "[" ? "]" : '"';
      const end = source.indexOf(close, i + 1);
      if (end === -1)
        throw new ExpressionSyntaxError(source, start, `unterminated field name, expected ${close}`);
      const name = source.slice(i + 1, end);
      if (name.trim() === "") throw new ExpressionSyntaxError(source, start, "empty field name");
      tokens.push({ type: "field", value: name, start });
      i = end + 1;
    } else {
      throw new ExpressionSyntaxError(source, start, `unexpected character "${ch}"`);
    }
  }
  tokens.push({ type: "end", start: source.length });
  return tokens;
}
