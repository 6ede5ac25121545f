import { RulesError, RulesErrorCode } from "./errors.js";

/** The actions a security rule can allow, with the bit values of the hub Portico models. */
export const ACTIONS = {
  create: 1,
  read: 2,
  update: 4,
  delete: 8,
  export: 16,
  publish: 32,
  changeowner: 64,
  changerole: 128,
  exportdata: 256,
  accessoffline: 512,
  distribute: 1024,
  duplicate: 2048,
  approve: 4096,
} as const;

/** A lowercase action name: `"read"`, `"publish"`, `"exportdata"`, ... */
export type ActionName = keyof typeof ACTIONS;

/** Every action name, in bit order. */
export const ACTION_NAMES = Object.keys(ACTIONS) as ActionName[];

/** Every action bit set. */
export const ALL_ACTIONS_MASK = ACTION_NAMES.reduce((mask, name) => mask | ACTIONS[name], 0);

/** True when `name` is an action name (exact lowercase spelling). */
export function isActionName(name: unknown): name is ActionName {
  return typeof name === "string" && Object.hasOwn(ACTIONS, name);
}

/** The bit mask of a list of action names; throws a RULE_INVALID `RulesError` for an unknown name. */
export function actionsToMask(actions: readonly string[]): number {
  let mask = 0;
  for (const action of actions) {
    if (!isActionName(action)) {
      throw new RulesError(
        RulesErrorCode.RULE_INVALID,
        `unknown action "${action}" (expected one of ${ACTION_NAMES.join(", ")})`,
      );
    }
    mask |= ACTIONS[action];
  }
  return mask;
}

/** The action names whose bits are set in `mask`, in bit order; unknown bits are ignored. */
export function maskToActions(mask: number): ActionName[] {
  return ACTION_NAMES.filter((name) => (mask & ACTIONS[name]) !== 0);
}
