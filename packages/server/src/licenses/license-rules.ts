import { type CompiledCondition, compileCondition, type RuleUser } from "@portico/rules";
import type { ConfigState } from "../config/config-state.js";
import type { CapacityLicenseType } from "./license-constants.js";

/** A licence rule with its condition compiled once per configuration. */
export interface LicenseRule {
  name: string;
  type: CapacityLicenseType;
  condition: CompiledCondition;
}

const compiled = new WeakMap<ConfigState, LicenseRule[]>();

/**
 * The licence rules of a configuration, in configured order. Conditions were already checked at load
 * (`licenses.rules[i].condition` errors carry line and column), so compiling here cannot fail; it is cached
 * per configuration state, and a live config change brings a new state and so new rules.
 */
export function licenseRules(state: ConfigState): LicenseRule[] {
  let rules = compiled.get(state);
  if (!rules) {
    rules = (state.config.licenses?.rules ?? []).map((rule) => ({
      name: rule.name,
      type: rule.type,
      condition: compileCondition(rule.condition),
    }));
    compiled.set(state, rules);
  }
  return rules;
}

/** Whether a licence rule's condition holds for the user. Licence rules are about the user only: no resource. */
export function ruleHolds(rule: LicenseRule, user: RuleUser): boolean {
  try {
    return rule.condition({ user, context: "hub" });
  } catch {
    // A condition that cannot be evaluated grants nothing (default deny), like a security rule.
    return false;
  }
}
