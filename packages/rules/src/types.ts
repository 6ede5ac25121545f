import type { ActionName } from "./actions.js";

/** The context a request is evaluated in: the hub (content) or the management console. */
export type RuleContext = "hub" | "qmc";

/** Where a rule applies: one context or both. */
export type RuleContextSetting = RuleContext | "both";

/** The rule contexts a rule may name. */
export const RULE_CONTEXTS: readonly RuleContextSetting[] = ["hub", "qmc", "both"];

/** "Allow the requester to ACTION the RESOURCE provided that CONDITION." */
export interface SecurityRule {
  name: string;
  /** Comma-separated resource patterns: `Stream_*`, `Stream_<id>`, `App_*`, `App.Object_*`, `App*`, `*`. */
  resourceFilter: string;
  actions: ActionName[];
  /** The condition; empty means always. */
  condition: string;
  context: RuleContextSetting;
  disabled?: boolean;
}

/** A multi-valued attribute: one string or several. */
export type RuleValue = string | string[];

/** The requester, as conditions see it through `user.*`. */
export interface RuleUser {
  userDirectory: string;
  userId: string;
  name?: string;
  email?: string;
  roles?: string[];
  /** Read as `user.group` (the modelled hub's name) or `user.groups`. */
  groups?: string[];
  /** Directory and ticket attributes, read as `user.@x` or `user.x` (built-in properties win a clash). */
  properties?: Record<string, RuleValue>;
  /** Request environment, read as `user.environment.x` (ip, browser, os, device, context, secureRequest, ticket attributes). */
  environment?: Record<string, RuleValue>;
}

/** The resource a decision is about, with its linked resources. */
export interface RuleResource {
  /** `Stream`, `App`, `App.Object`, ...; read as `resource.resourcetype`. */
  type: string;
  id: string;
  name?: string;
  description?: string;
  published?: boolean | string;
  objectType?: string;
  owner?: RuleUser;
  stream?: RuleResource;
  app?: RuleResource;
  /** Custom properties, read as `resource.@x`. */
  properties?: Record<string, RuleValue>;
}
