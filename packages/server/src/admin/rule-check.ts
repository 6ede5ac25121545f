import type { RuleCheckError } from "@portico/protocol";
import {
  compileCondition,
  conditionWarnings,
  isActionName,
  parseResourceFilter,
  RULE_CONTEXTS,
  RuleSyntaxError,
  RulesError,
  type RuleWarning,
} from "@portico/rules";
import { z } from "zod";

/** Longest condition a check reads: well above any rule written by hand, far below a request's limit. */
const MAX_CONDITION_CHARS = 20_000;

/** `POST /admin/api/v1/rules/check`: a rule being edited, any of its fields; nothing is applied. */
export const ruleCheckSchema = z.strictObject({
  condition: z.string().max(MAX_CONDITION_CHARS),
  resourceFilter: z.string().max(2_000).optional(),
  actions: z.array(z.string().max(64)).max(64).optional(),
  context: z.string().max(16).optional(),
});
export type RuleCheckDraft = z.infer<typeof ruleCheckSchema>;

export type RuleCheckResult =
  | { ok: true; warnings: RuleWarning[] }
  | { ok: false; errors: RuleCheckError[]; warnings: RuleWarning[] };

/**
 * Checks a rule as it is being typed, with the rules package's own parser and compiler, so the console
 * shows the very message and position the configuration check would give, without the frame bundling it.
 */
export function checkRuleDraft(draft: RuleCheckDraft): RuleCheckResult {
  const errors: RuleCheckError[] = [];
  try {
    compileCondition(draft.condition);
  } catch (error) {
    if (!(error instanceof RuleSyntaxError)) throw error;
    errors.push({
      path: "condition",
      message: error.reason,
      offset: error.offset,
      line: error.line,
      column: error.column,
      excerpt: error.excerpt,
    });
  }
  if (draft.resourceFilter !== undefined) {
    try {
      parseResourceFilter(draft.resourceFilter);
    } catch (error) {
      if (!(error instanceof RulesError)) throw error;
      errors.push({ path: "resourceFilter", message: error.message });
    }
  }
  draft.actions?.forEach((action, i) => {
    if (!isActionName(action)) errors.push({ path: `actions[${i}]`, message: `unknown action "${action}"` });
  });
  if (draft.context !== undefined && !RULE_CONTEXTS.includes(draft.context as never))
    errors.push({ path: "context", message: `context must be one of ${RULE_CONTEXTS.join(", ")}` });
  const warnings = errors.length === 0 ? conditionWarnings(draft.condition) : [];
  return errors.length === 0 ? { ok: true, warnings } : { ok: false, errors, warnings };
}
