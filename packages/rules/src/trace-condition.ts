import type { ConditionNode } from "./ast.js";
import { type ConditionInput, compileNode } from "./compile-condition.js";
import { positionOf } from "./errors.js";
import { printCondition } from "./print-condition.js";

/** The sub-expression that made a condition false. */
export interface FalseBecause {
  /** The sub-expression as written in the rule. */
  text: string;
  /** The sub-expression in canonical form. */
  canonical: string;
  /** Offsets into the condition source. */
  start: number;
  end: number;
  /** 1-based position of `start`. */
  line: number;
  column: number;
}

interface Trace {
  value: boolean;
  /** The deciding false node, when value is false. */
  culprit: ConditionNode | undefined;
  /** How far a false branch got: the number of conjuncts that held before it failed. */
  progress: number;
}

function trace(node: ConditionNode, input: ConditionInput): Trace {
  switch (node.kind) {
    case "and": {
      let progress = 0;
      for (const operand of node.operands) {
        const t = trace(operand, input);
        if (!t.value) return { value: false, culprit: t.culprit, progress: progress + t.progress };
        progress++;
      }
      return { value: true, culprit: undefined, progress };
    }
    case "or": {
      // Every alternative failed: point at the one that came nearest to holding, which is the one an
      // administrator most likely meant to apply.
      let best: Trace | undefined;
      for (const operand of node.operands) {
        const t = trace(operand, input);
        if (t.value) return { value: true, culprit: undefined, progress: 0 };
        if (best === undefined || t.progress > best.progress) best = t;
      }
      return best ?? { value: false, culprit: node, progress: 0 };
    }
    case "not": {
      const value = compileNode(node)(input);
      return { value, culprit: value ? undefined : node, progress: 0 };
    }
    default: {
      const value = compileNode(node)(input);
      return { value, culprit: value ? undefined : node, progress: 0 };
    }
  }
}

/**
 * Evaluates a checked condition tree and, when it is false, names the first sub-expression that made
 * it false (for an `or`, the alternative that came nearest to holding).
 */
export function traceCondition(
  ast: ConditionNode,
  source: string,
  input: ConditionInput,
): { value: boolean; falseBecause: FalseBecause | undefined } {
  const t = trace(ast, input);
  if (t.value || t.culprit === undefined) return { value: t.value, falseBecause: undefined };
  const { start, end } = t.culprit.loc;
  const position = positionOf(source, start);
  return {
    value: false,
    falseBecause: {
      text: source.slice(start, end),
      canonical: printCondition(t.culprit),
      start,
      end,
      line: position.line,
      column: position.column,
    },
  };
}
