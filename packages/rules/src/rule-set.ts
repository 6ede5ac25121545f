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
  /** The condition failed to evaluate (a `HasPrivilege` cycle); `can` throws this error. */
  error?: { code: RulesErrorCode; message: string };
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
   * `HasPrivilege` answers are memoised per (user object, context, linked resource type and id,
   * action): treat a user object as an immutable snapshot (pass a new object when the user changes),
   * and give one resource (type, id) the same data in every call to one rule set.
   */
  can(user: RuleUser, action: ActionName, resource: RuleResource, context: RuleContext): boolean;
  /**
   * The same decision with the verdict of every rule (audit). Where `can` throws RULE_CYCLE, `explain`
   * reports the error on the rule whose condition hit it, and that rule does not apply.
   */
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

function checkResource(resource: unknown): void {
  const r = resource as RuleResource | null;
  if (r === null || typeof r !== "object" || typeof r.type !== "string" || typeof r.id !== "string") {
    throw new TypeError("a resource needs a string type and id");
  }
}

// Action bits use 13 bits; the "allowed" bits of a memo entry sit above them.
const KNOWN_BITS = 13;

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
  // Candidate rules by context, then resource type, then action bit; built on first use.
  const index = {
    hub: new Map<string, Map<number, Candidates>>(),
    qmc: new Map<string, Map<number, Candidates>>(),
  };

  function candidates(context: RuleContext, actionBit: number, type: string): Candidates {
    let byAction = index[context].get(type);
    if (byAction === undefined) {
      byAction = new Map();
      index[context].set(type, byAction);
    }
    let found = byAction.get(actionBit);
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
    byAction.set(actionBit, found);
    return found;
  }

  // HasPrivilege answers, memoised per user object, context and linked resource (type, then id), as
  // the linked resource of many decisions is the same stream or app. Within one rule set a resource is
  // identified by its type and id; a new configuration makes a new rule set with an empty memo. Each
  // entry packs, per action bit, a "known" bit and (shifted by KNOWN_BITS) an "allowed" bit.
  interface UserState {
    memo: Record<RuleContext, Map<string, Map<string, number>>>;
    hasPrivilege: Record<RuleContext, NonNullable<ConditionInput["hasPrivilege"]>>;
  }
  const users = new WeakMap<RuleUser, UserState>();
  let lastUser: RuleUser | undefined;
  let lastState: UserState | undefined;

  function stateOf(user: RuleUser): UserState {
    if (user === lastUser && lastState !== undefined) return lastState;
    let state = users.get(user);
    if (state === undefined) {
      const created: UserState = {
        memo: { hub: new Map(), qmc: new Map() },
        hasPrivilege: {
          hub: (action, linked) => linkedDecision(user, created, ACTIONS[action], linked, "hub"),
          qmc: (action, linked) => linkedDecision(user, created, ACTIONS[action], linked, "qmc"),
        },
      };
      state = created;
      users.set(user, state);
    }
    lastUser = user;
    lastState = state;
    return state;
  }

  function linkedDecision(
    user: RuleUser,
    state: UserState,
    actionBit: number,
    resource: RuleResource,
    context: RuleContext,
  ): boolean {
    const { type, id } = resource;
    if (typeof type !== "string" || typeof id !== "string") return false;
    let byId = state.memo[context].get(type);
    if (byId === undefined) {
      byId = new Map();
      state.memo[context].set(type, byId);
    }
    const entry = byId.get(id) ?? 0;
    if ((entry & actionBit) !== 0) return (entry & (actionBit << KNOWN_BITS)) !== 0;
    const allowed = decide(user, state, actionBit, resource, context);
    byId.set(id, (byId.get(id) ?? 0) | actionBit | (allowed ? actionBit << KNOWN_BITS : 0));
    return allowed;
  }

  // Decisions being evaluated right now. Evaluation is synchronous, so one stack serves every call.
  const activeTypes: string[] = [];
  const activeIds: string[] = [];
  const activeBits: number[] = [];

  function decide(
    user: RuleUser,
    state: UserState,
    actionBit: number,
    resource: RuleResource,
    context: RuleContext,
  ): boolean {
    const depth = activeBits.length;
    for (let i = 0; i < depth; i++) {
      if (activeBits[i] === actionBit && activeIds[i] === resource.id && activeTypes[i] === resource.type) {
        const chain = [...activeTypes.map((t, j) => `${t}_${activeIds[j]}`), describe(resource)].join(" -> ");
        throw new RulesError(
          RulesErrorCode.RULE_CYCLE,
          `HasPrivilege cycle: deciding ${actionName(actionBit)} on ${describe(resource)} needs itself (${chain})`,
        );
      }
    }
    activeTypes.push(resource.type);
    activeIds.push(resource.id);
    activeBits.push(actionBit);
    try {
      return evaluate(user, state, actionBit, resource, context);
    } finally {
      activeTypes.pop();
      activeIds.pop();
      activeBits.pop();
    }
  }

  function inputFor(
    user: RuleUser,
    state: UserState,
    resource: RuleResource,
    context: RuleContext,
  ): ConditionInput {
    return { user, resource, context, hasPrivilege: state.hasPrivilege[context] };
  }

  function evaluate(
    user: RuleUser,
    state: UserState,
    actionBit: number,
    resource: RuleResource,
    context: RuleContext,
  ): boolean {
    const found = candidates(context, actionBit, resource.type);
    const input = inputFor(user, state, resource, context);
    for (const rule of found.all) if (rule.condition(input)) return true;
    if (found.byId.size > 0 && typeof resource.id === "string") {
      const byId = found.byId.get(resource.id) ?? found.byId.get(resource.id.toLowerCase());
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
      checkResource(resource);
      return decide(user, stateOf(user), ACTIONS[action], resource, context);
    },
    explain(user, action, resource, context) {
      checkArguments(action, context);
      checkResource(resource);
      const actionBit = ACTIONS[action];
      const input = inputFor(user, stateOf(user), resource, context);
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
          let traced: ReturnType<typeof traceCondition>;
          try {
            traced = traceCondition(rule.condition.ast, rule.rule.condition, input);
          } catch (e) {
            // An audit is where an administrator looks for a broken rule: report it on the rule.
            if (!(e instanceof RulesError)) throw e;
            verdict.condition = false;
            verdict.error = { code: e.code, message: e.message };
            verdict.reason = `the condition could not be evaluated: ${e.message}`;
            return verdict;
          }
          const { value, falseBecause } = traced;
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
