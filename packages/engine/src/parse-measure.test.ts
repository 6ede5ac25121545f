import { describe, expect, it } from "vitest";
import { ExpressionSyntaxError } from "./engine-error.js";
import { aggregationsOf, parseMeasure } from "./parse-measure.js";

function syntaxError(expression: string): ExpressionSyntaxError {
  try {
    parseMeasure(expression);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) return error;
    throw error;
  }
  throw new Error(`"${expression}" parsed`);
}

describe("parseMeasure", () => {
  it("parses aggregations, arithmetic and precedence", () => {
    const ast = parseMeasure("Sum(Revenue) - Sum(Cost) * 2");
    expect(ast).toMatchObject({
      kind: "binary",
      op: "-",
      left: { kind: "aggregation", fn: "sum", field: "Revenue" },
      right: {
        kind: "binary",
        op: "*",
        left: { fn: "sum", field: "Cost" },
        right: { kind: "number", value: 2 },
      },
    });
  });

  it("reads distinct, bracketed and quoted field names case-insensitively for keywords", () => {
    const nodes = aggregationsOf(
      parseMeasure('count(DISTINCT [Vehicle type]) / AVG("Net amount") + min(x) + MAX(y)'),
    );
    expect(nodes.map((n) => [n.fn, n.distinct, n.field])).toEqual([
      ["count", true, "Vehicle type"],
      ["avg", false, "Net amount"],
      ["min", false, "x"],
      ["max", false, "y"],
    ]);
  });

  it("reads Median(X) and Fractile(X, p), refusing a fraction outside 0-1 with its position", () => {
    const nodes = aggregationsOf(parseMeasure("Median(Duration) + Fractile([Duration], 0.9)"));
    expect(nodes.map((n) => [n.fn, n.field, n.fraction])).toEqual([
      ["median", "Duration", 0.5],
      ["fractile", "Duration", 0.9],
    ]);
    expect(syntaxError("Fractile(Duration, 1.5)").message).toContain("a fraction between 0 and 1");
    expect(syntaxError("Fractile(Duration)").message).toContain('expected "," and a fraction');
    expect(syntaxError("Sum(A, 2)").message).toContain('expected ")"');
  });

  it("handles parentheses, unary minus and decimals", () => {
    expect(parseMeasure("-(Sum(A) + 1.5e2) / .5")).toMatchObject({
      kind: "binary",
      op: "/",
      left: { kind: "negate", operand: { kind: "binary", op: "+", right: { value: 150 } } },
      right: { value: 0.5 },
    });
  });

  it("reports position and caret for a missing parenthesis", () => {
    const error = syntaxError("Sum(Amount");
    expect(error.code).toBe("EXPRESSION_SYNTAX");
    expect([error.line, error.column]).toEqual([1, 11]);
    expect(error.excerpt).toBe("Sum(Amount\n          ^");
  });

  it("reports unknown functions, bare fields, nesting and trailing input with their columns", () => {
    expect(syntaxError("Sum(A) + Mode(B)")).toMatchObject({ column: 10 });
    expect(syntaxError("Sum(A) + Mode(B)").message).toContain('unknown function "Mode"');
    expect(syntaxError("Amount * 2").message).toContain("must be inside an aggregation");
    expect(syntaxError("Sum(Sum(A))").message).toContain("cannot be nested");
    expect(syntaxError("Sum(A) Sum(B)")).toMatchObject({ column: 8 });
    expect(syntaxError("Sum(distinct A)").message).toContain("only allowed in Count");
    expect(syntaxError("")).toMatchObject({ column: 1 });
    expect(syntaxError("Sum([A)").message).toContain("unterminated");
    expect(syntaxError("Sum(A) % 2").message).toContain('unexpected character "%"');
  });

  it("reports the line of a multi-line expression", () => {
    const error = syntaxError("Sum(A)\n  + Avg(B) *");
    expect([error.line, error.column]).toEqual([2, 13]);
    expect(error.excerpt).toBe("  + Avg(B) *\n            ^");
  });
});

describe("ExpressionSyntaxError", () => {
  it("keeps the reason apart from the position, and the message format callers parse", () => {
    const error = syntaxError("Sum(Amount");
    expect(error.reason).toBe('expected ")" but found end of expression');
    expect(error.message).toBe(`${error.reason} at line 1, column 11\n${error.excerpt}`);
  });
});
