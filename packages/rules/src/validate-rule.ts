import { ACTION_NAMES, isActionName } from "./actions.js";
import { RuleSyntaxError, RulesError, RulesErrorCode } from "./errors.js";
import { parseCondition } from "./parse-condition.js";
import { parseResourceFilter } from "./resource-filter.js";
import { RULE_CONTEXTS } from "./types.js";

/** One problem in a security rule, placed on a field path a config loader can prefix (`actions[1]`). */
export interface RuleIssue {
  /** `name`, `resourceFilter`, `actions`, `actions[<i>]`, `condition`, `context`, `disabled`, or `` for the rule itself. */
  field: string;
  message: string;
  /** The error behind the issue; a `RuleSyntaxError` (line, column, excerpt) for the condition. */
  error: RulesError;
}

const FIELDS = new Set(["name", "resourceFilter", "actions", "condition", "context", "disabled"]);

function issue(field: string, message: string): RuleIssue {
  const error = new RulesError(RulesErrorCode.RULE_INVALID, message);
  error.field = field;
  return { field, message, error };
}

/** Checks a whole security rule (untrusted input) and lists every problem; an empty list means valid. */
export function validateRule(rule: unknown): RuleIssue[] {
  if (rule === null || typeof rule !== "object" || Array.isArray(rule)) {
    return [issue("", "a security rule must be an object")];
  }
  const r = rule as Record<string, unknown>;
  const issues: RuleIssue[] = [];
  for (const key of Object.keys(r)) {
    if (!FIELDS.has(key)) issues.push(issue(key, `unknown field "${key}"`));
  }
  if (typeof r.name !== "string" || r.name.trim() === "") {
    issues.push(issue("name", "name must be a non-empty string"));
  }
  if (typeof r.resourceFilter !== "string") {
    issues.push(issue("resourceFilter", "resourceFilter must be a string such as Stream_* or App*"));
  } else {
    try {
      parseResourceFilter(r.resourceFilter);
    } catch (e) {
      if (!(e instanceof RulesError)) throw e;
      issues.push(issue("resourceFilter", e.message));
    }
  }
  if (!Array.isArray(r.actions) || r.actions.length === 0) {
    issues.push(issue("actions", `actions must be a non-empty list of ${ACTION_NAMES.join(", ")}`));
  } else {
    r.actions.forEach((action, i) => {
      if (!isActionName(action)) {
        issues.push(
          issue(
            `actions[${i}]`,
            `unknown action ${JSON.stringify(action)} (expected one of ${ACTION_NAMES.join(", ")})`,
          ),
        );
      }
    });
  }
  if (typeof r.condition !== "string") {
    issues.push(issue("condition", 'condition must be a string (use "" for always)'));
  } else {
    try {
      parseCondition(r.condition);
    } catch (e) {
      if (!(e instanceof RuleSyntaxError)) throw e;
      e.field = "condition";
      issues.push({ field: "condition", message: e.message, error: e });
    }
  }
  if (!RULE_CONTEXTS.includes(r.context as never)) {
    issues.push(issue("context", `context must be one of ${RULE_CONTEXTS.join(", ")}`));
  }
  if (r.disabled !== undefined && typeof r.disabled !== "boolean") {
    issues.push(issue("disabled", "disabled must be true or false"));
  }
  return issues;
}
