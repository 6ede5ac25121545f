import { ACTION_NAMES } from "./actions.js";
import type { SecurityRule } from "./types.js";

const rules: SecurityRule[] = [
  {
    name: "Stream",
    resourceFilter: "App*",
    actions: ["read"],
    condition:
      '(resource.resourcetype = "App" and resource.stream.HasPrivilege("read")) or ' +
      '(resource.resourcetype = "App.Object" and resource.published = "true" and resource.app.stream.HasPrivilege("read"))',
    context: "both",
  },
  {
    name: "StreamEveryone",
    resourceFilter: "Stream_everyone",
    actions: ["read", "publish"],
    condition: "!user.IsAnonymous()",
    context: "both",
  },
  {
    name: "StreamEveryoneAnonymous",
    resourceFilter: "Stream_everyone",
    actions: ["read"],
    condition: "user.IsAnonymous()",
    context: "hub",
  },
  {
    name: "RootAdmin",
    resourceFilter: "*",
    actions: [...ACTION_NAMES],
    condition: 'user.roles = "RootAdmin"',
    context: "both",
  },
];

/** The rules of a new configuration (docs/rules.md), as the hub Portico models ships them. Frozen: copy to change. */
export const defaultRules: readonly SecurityRule[] = Object.freeze(
  rules.map((rule) =>
    Object.freeze({ ...rule, actions: Object.freeze([...rule.actions]) as SecurityRule["actions"] }),
  ),
);
