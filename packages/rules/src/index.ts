export {
  ACTION_NAMES,
  ACTIONS,
  type ActionName,
  ALL_ACTIONS_MASK,
  actionsToMask,
  isActionName,
  maskToActions,
} from "./actions.js";
export type {
  AlwaysNode,
  CallNode,
  CompareNode,
  CompareOperator,
  ConditionNode,
  FunctionName,
  LogicalNode,
  NotNode,
  OperandNode,
  PathNode,
  PathRoot,
  PathSegment,
  SourceRange,
  StringNode,
} from "./ast.js";
export { type CompiledCondition, type ConditionInput, compileCondition } from "./compile-condition.js";
export { defaultRules } from "./default-rules.js";
export { positionOf, RuleSyntaxError, RulesError, RulesErrorCode, type SourcePosition } from "./errors.js";
export { parseCondition } from "./parse-condition.js";
export { printCondition } from "./print-condition.js";
export { matchesResourceFilter, parseResourceFilter, type ResourceRef } from "./resource-filter.js";
export { createRuleSet, type RuleExplanation, type RuleSet, type RuleVerdict } from "./rule-set.js";
export { conditionWarnings, filterWarnings, type RuleWarning, ruleWarnings } from "./rule-warnings.js";
export { builtInUserProperty, RESOURCE_TYPES } from "./schema.js";
export type { FalseBecause } from "./trace-condition.js";
export {
  RULE_CONTEXTS,
  type RuleContext,
  type RuleContextSetting,
  type RuleResource,
  type RuleUser,
  type RuleValue,
  type SecurityRule,
} from "./types.js";
export { type RuleIssue, validateRule } from "./validate-rule.js";
