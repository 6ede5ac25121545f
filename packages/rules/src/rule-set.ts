import { ACTIONS, type ActionName, actionsToMask, isActionName } from "./actions.js";
import { type CompiledCondition, type ConditionInput, compileCondition } from "./compile-condition.js";
import { RulesError, RulesErrorCode } from "./errors.js";
import { type FilterPattern, parseResourceFilter, patternMatches, patternScope } from "./resource-filter.js";
import { type FalseBecause, traceCondition } from "./trace-condition.js";
import type { RuleContext, RuleResource, RuleUser, SecurityRule } from "./types.js";
import { validateRule } from "./validate-rule.js";

/** Why one rule did or did not grant a decision. */
export interface RuleVerdict {
  /** Position of the rule in the rule set. */
  index: number;
  name: string;
  disabled: boolean;
  /** The resource filter matches the resource. */
  filter: boolean;
  /** The rule lists the action. */
  action: boolean;
  /** The rule applies in the request context. */
  context: boolean;
  /** The condition's value; `undefined` when it was not evaluated (disabled, or filter/action/context did not match). */
  condition: boolean | undefined;
  /** This rule grants the decision. */
  applies: boolean;
  /** One sentence for people. */
  reason: string;
  /** For a false condition: the first sub-expression that made it false. */
  falseBecause?: FalseBecause;
}

/** A decision with the verdict of every rule. */
export interface RuleExplanation {
  allowed: boolean;
  action: ActionName;
  context: RuleContext;
  resource: { type: string; id: string };
  /** Every rule of the set, in order. */
  rules: RuleVerdict[];
}

/** Compiled security rules: ask for decisions, or for their explanation. */
export interface RuleSet {
  readonly rules: readonly SecurityRule[];
  /**
   * Whether `user` may perform `action` on `resource` in `context`: true when at least one enabled
   * rule matches filter, action, context and condition (allow-only, default deny). Throws a
   * RULE_CYCLE `RulesError` when `HasPrivilege` leads back to a decision in progress.
   *
   * Decisions are memoised per (user object, resource object, action, context): treat the user and
   * resource objects passed in as immutable snapshots and pass new objects when they change.
   */
  can(user: RuleUser, action: ActionName, resource: RuleResource, context: RuleContext): boolean;
  /** The same decision with the verdict of every rule (audit). */
  explain(user: RuleUser, action: ActionName, resource: RuleResource, context: RuleContext): RuleExplanation;
}

interface CompiledRule {
  index: number;
  rule: SecurityRule;
  mask: number;
  hub: boolean;
  qmc: boolean;
  patterns: FilterPattern[];
  condition: CompiledCondition;
}

/** Rules that may apply to one (context, action, resource type). */
interface Candidates {
  /** Rules whose filter matches every resource of the type. */
  all: CompiledRule[];
  /** Rules naming single resources, by lowercase id. */
  byId: Map<string, CompiledRule[]>;
  /** Rules whose filter depends on the id in another way (`Stream_abc*`). */
  some: CompiledRule[];
}

function compileRule(rule: SecurityRule, index: number): CompiledRule {
  const issues = validateRule(rule);
  const first = issues[0];
  if (first) {
    const error = first.error;
    error.ruleName = typeof rule?.name === "string" ? rule.name : `#${index}`;
    error.field = first.field;
    error.message = `security rule ${JSON.stringify(error.ruleName)}, ${first.field || "rule"}: ${error.message}`;
    throw error;
  }
  return {
    index,
    rule,
    mask: actionsToMask(rule.actions),
    hub: rule.context !== "qmc",
    qmc: rule.context !== "hub",
    patterns: parseResourceFilter(rule.resourceFilter),
    condition: compileCondition(rule.condition),
  };
}

function checkArguments(action: unknown, context: unknown): void {
  if (!isActionName(action)) throw new TypeError(`unknown action ${JSON.stringify(action)}`);
  if (context !== "hub" && context !== "qmc") {
    throw new TypeError(`context must be "hub" or "qmc", got ${JSON.stringify(context)}`);
  }
}

function describe(resource: RuleResource): string {
  return `${resource.type}_${resource.id}`;
}

/**
 * Compiles security rules once. Throws for the first invalid rule: a `RuleSyntaxError` for a
 * condition (line, column, excerpt), a RULE_INVALID `RulesError` for another field; both carry
 * `ruleName` and `field`. Use `validateRule` to list every problem instead.
 */
export function createRuleSet(rules: readonly SecurityRule[]): RuleSet {
  if (!Array.isArray(rules)) throw new TypeError("createRuleSet expects an array of security rules");
  const compiled = rules.map(compileRule);
  const enabled = compiled.filter((r) => r.rule.disabled !== true);
  const candidateCache = new Map<string, Candidates>();

  function candidates(context: RuleContext, actionBit: number, type: string): Candidates {
    const key = `${context}|${actionBit}|${type}`;
    let found = candidateCache.get(key);
    if (found) return found;
    found = { all: [], byId: new Map(), some: [] };
    for (const rule of enabled) {
      if ((rule.mask & actionBit) === 0 || !(context === "hub" ? rule.hub : rule.qmc)) continue;
      const scopes = rule.patterns.map((p) => patternScope(p, type));
      if (scopes.some((s) => s.kind === "all")) {
        found.all.push(rule);
        continue;
      }
      for (const scope of scopes) {
        if (scope.kind === "id") {
          const list = found.byId.get(scope.id);
          if (list) list.push(rule);
          else found.byId.set(scope.id, [rule]);
        }
      }
      if (scopes.some((s) => s.kind === "some")) found.some.push(rule);
    }
    candidateCache.set(key, found);
    return found;
  }

  // Decisions by user object, then resource object, then context and action. Object identity is a
  // key that can never collide between two different users or resources.
  const memo = new WeakMap<RuleUser, WeakMap<RuleResource, Map<number, boolean>>>();
  // Decisions being evaluated right now (evaluation is synchronous, so one stack serves every call).
  const active: { resource: RuleResource; bit: number }[] = [];

  function memoKey(context: RuleContext, actionBit: number): number {
    return context === "hub" ? actionBit : -actionBit;
  }

  function decide(user: RuleUser, actionBit: number, resource: RuleResource, context: RuleContext): boolean {
    let byResource = memo.get(user);
    if (byResource === undefined) {
      byResource = new WeakMap();
      memo.set(user, byResource);
    }
    let byAction = byResource.get(resource);
    if (byAction === undefined) {
      byAction = new Map();
      byResource.set(resource, byAction);
    }
    const key = memoKey(context, actionBit);
    const known = byAction.get(key);
    if (known !== undefined) return known;

    for (const entry of active) {
      if (entry.resource === resource && entry.bit === actionBit) {
        const chain = [...active.map((e) => describe(e.resource)), describe(resource)].join(" -> ");
        throw new RulesError(
          RulesErrorCode.RULE_CYCLE,
          `HasPrivilege cycle: deciding ${actionName(actionBit)} on ${describe(resource)} needs itself (${chain})`,
        );
      }
    }
    active.push({ resource, bit: actionBit });
    let allowed: boolean;
    try {
      allowed = evaluate(user, actionBit, resource, context);
    } finally {
      active.pop();
    }
    byAction.set(key, allowed);
    return allowed;
  }

  function inputFor(user: RuleUser, resource: RuleResource, context: RuleContext): ConditionInput {
    return {
      user,
      resource,
      context,
      hasPrivilege: (action, linked) => decide(user, ACTIONS[action], linked, context),
    };
  }

  function evaluate(
    user: RuleUser,
    actionBit: number,
    resource: RuleResource,
    context: RuleContext,
  ): boolean {
    const found = candidates(context, actionBit, resource.type);
    const input = inputFor(user, resource, context);
    for (const rule of found.all) if (rule.condition(input)) return true;
    if (found.byId.size > 0 && typeof resource.id === "string") {
      const byId = found.byId.get(resource.id.toLowerCase());
      if (byId) for (const rule of byId) if (rule.condition(input)) return true;
    }
    for (const rule of found.some) {
      if (rule.patterns.some((p) => patternMatches(p, resource)) && rule.condition(input)) return true;
    }
    return false;
  }

  return {
    rules,
    can(user, action, resource, context) {
      checkArguments(action, context);
      return decide(user, ACTIONS[action], resource, context);
    },
    explain(user, action, resource, context) {
      checkArguments(action, context);
      const actionBit = ACTIONS[action];
      const input = inputFor(user, resource, context);
      const verdicts = compiled.map((rule): RuleVerdict => {
        const disabled = rule.rule.disabled === true;
        const filter = rule.patterns.some((p) => patternMatches(p, resource));
        const actionOk = (rule.mask & actionBit) !== 0;
        const contextOk = context === "hub" ? rule.hub : rule.qmc;
        const verdict: RuleVerdict = {
          index: rule.index,
          name: rule.rule.name,
          disabled,
          filter,
          action: actionOk,
          context: contextOk,
          condition: undefined,
          applies: false,
          reason: "",
        };
        if (disabled) verdict.reason = "the rule is disabled";
        else if (!filter)
          verdict.reason = `resource filter "${rule.rule.resourceFilter}" does not match ${describe(resource)}`;
        else if (!actionOk) verdict.reason = `the rule does not allow ${action}`;
        else if (!contextOk) verdict.reason = `the rule applies in ${rule.rule.context}, not ${context}`;
        else {
          const { value, falseBecause } = traceCondition(rule.condition.ast, rule.rule.condition, input);
          verdict.condition = value;
          verdict.applies = value;
          if (value) verdict.reason = "the rule applies";
          else {
            verdict.reason = falseBecause
              ? `the condition is false at line ${falseBecause.line}, column ${falseBecause.column}: ${falseBecause.text}`
              : "the condition is false";
            if (falseBecause) verdict.falseBecause = falseBecause;
          }
        }
        return verdict;
      });
      return {
        allowed: verdicts.some((v) => v.applies),
        action,
        context,
        resource: { type: resource.type, id: resource.id },
        rules: verdicts,
      };
    },
  };
}

function actionName(bit: number): string {
  for (const [name, value] of Object.entries(ACTIONS)) if (value === bit) return name;
  return String(bit);
}
