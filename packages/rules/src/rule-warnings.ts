import type { CompareNode, ConditionNode, OperandNode, PathNode } from "./ast.js";
import { positionOf } from "./errors.js";
import { parseCondition } from "./parse-condition.js";
import { printCondition, printOperand, printPath } from "./print-condition.js";
import { parseResourceFilter, patternScope } from "./resource-filter.js";
import { RESOURCE_TYPES } from "./schema.js";
import type { SecurityRule } from "./types.js";

/**
 * Something in a rule that loads but cannot mean in Portico what it means in the modelled hub: a
 * property or resource type Portico does not model. It is not an error (rules pasted from the hub must
 * load), but a negation of it grants more than its author may think, so administrators are told.
 */
export interface RuleWarning {
  field: "resourceFilter" | "condition";
  /** One sentence naming what was written and what it evaluates to. */
  message: string;
  /** For a condition: 1-based position of the sub-expression. */
  line?: number;
  column?: number;
}

const TYPES = RESOURCE_TYPES.join(", ");

/** The warnings of one rule's resource filter and condition (a condition that does not parse has none). */
export function ruleWarnings(rule: Pick<SecurityRule, "resourceFilter" | "condition">): RuleWarning[] {
  return [...filterWarnings(rule.resourceFilter), ...conditionWarnings(rule.condition)];
}

/** Patterns of a resource filter that match none of Portico's resource types. */
export function filterWarnings(filter: string): RuleWarning[] {
  let patterns: ReturnType<typeof parseResourceFilter>;
  try {
    patterns = parseResourceFilter(filter);
  } catch {
    return [];
  }
  const dead = patterns.filter((p) => RESOURCE_TYPES.every((type) => patternScope(p, type).kind === "none"));
  if (dead.length === 0) return [];
  const one = dead.length === 1;
  return [
    {
      field: "resourceFilter",
      message:
        `${dead.map((p) => p.text).join(", ")} match${one ? "es" : ""} nothing: Portico has no resources of ` +
        `${one ? "this type" : "these types"} (it has ${TYPES})` +
        (dead.length === patterns.length ? ", so the rule never applies" : ""),
    },
  ];
}

/** Sub-expressions of a condition that are constant in Portico because they name what it does not model. */
export function conditionWarnings(condition: string): RuleWarning[] {
  let ast: ConditionNode;
  try {
    ast = parseCondition(condition);
  } catch {
    return [];
  }
  const warnings: RuleWarning[] = [];
  const warn = (node: { loc: { start: number } }, message: string) => {
    const { line, column } = positionOf(condition, node.loc.start);
    warnings.push({ field: "condition", message, line, column });
  };
  const visit = (node: ConditionNode, negated: boolean): void => {
    switch (node.kind) {
      case "and":
      case "or":
        for (const operand of node.operands) visit(operand, negated);
        return;
      case "not":
        visit(node.operand, !negated);
        return;
      case "compare": {
        const constant = constantCompare(node);
        if (constant) warn(node, describe(printCondition(node), constant.value, constant.why, negated));
        else if (node.users === "left" || node.users === "right") {
          const user = printOperand(node.users === "left" ? node.left : node.right);
          warn(
            node,
            `${printCondition(node)} compares only the user id of ${user}, not its user directory: write ${user} = user to compare identities`,
          );
        }
        return;
      }
      case "call": {
        if (!isUnmodelled(node.target)) return;
        const value = node.name === "Empty";
        warn(node, describe(printCondition(node), value, unmodelledWhy(node.target), negated));
        return;
      }
      case "always":
        return;
    }
  };
  visit(ast, false);
  return warnings;
}

function describe(text: string, value: boolean, why: string, negated: boolean): string {
  const flipped = negated
    ? `; the ! around it makes that ${!value}, check that this grants no more than meant`
    : "";
  return `${text} is always ${value}: ${why}${flipped}`;
}

function isUnmodelled(path: OperandNode): path is PathNode {
  return path.kind === "path" && path.segments.some((s) => s.kind === "unmodelled");
}

function unmodelledWhy(path: PathNode): string {
  const at = path.segments.findIndex((s) => s.kind === "unmodelled");
  const known: PathNode = { ...path, segments: path.segments.slice(0, at + 1) };
  return `Portico does not model ${printPath(known)}, so it is missing (equal to nothing), as in the hub for a property a resource lacks`;
}

/** Whether a comparison has the same value for every Portico resource, and why. */
function constantCompare(node: CompareNode): { value: boolean; why: string } | undefined {
  const negation = node.op === "!=" || node.op === "!==";
  for (const side of [node.left, node.right]) {
    if (isUnmodelled(side)) return { value: negation, why: unmodelledWhy(side) };
  }
  const typeTest = resourceTypeTest(node);
  if (typeTest) return { value: negation, why: typeTest };
  return undefined;
}

/** `resource.resourcetype = "TransientObject"`: a type Portico does not have. */
function resourceTypeTest(node: CompareNode): string | undefined {
  if (node.op === "like" || node.op === "matches") return undefined;
  const [path, literal] =
    node.left.kind === "path" && node.right.kind === "string"
      ? [node.left, node.right.value]
      : node.right.kind === "path" && node.left.kind === "string"
        ? [node.right, node.left.value]
        : [undefined, ""];
  if (path?.segments.at(-1)?.name !== "resourcetype") return undefined;
  const strict = node.op === "==" || node.op === "!==";
  const known = RESOURCE_TYPES.some((t) =>
    strict ? t === literal : t.toLowerCase() === literal.toLowerCase(),
  );
  return known ? undefined : `Portico has no ${literal} resources (it has ${TYPES})`;
}
