import type { ConsoleApi, Section } from "./qmc-api.js";
import type { QmcTranslate } from "./qmc-strings.js";

/** A security rule as the configuration writes it. */
export interface SecurityRuleDraft {
  name: string;
  resourceFilter: string;
  actions: string[];
  condition?: string;
  context?: "hub" | "qmc" | "both";
  disabled?: boolean;
  comment?: string;
}

/** The actions the console offers as checkboxes, in the modelled hub's order (words: `action_<name>`). */
export const RULE_ACTIONS = [
  "create",
  "read",
  "update",
  "delete",
  "export",
  "publish",
  "changeowner",
  "exportdata",
  "duplicate",
] as const;

/** A rule's actions in the console's words; one it does not offer (`changerole`) by its name. */
export function actionWords(t: QmcTranslate, actions: readonly string[]): string {
  return actions
    .map((action) =>
      (RULE_ACTIONS as readonly string[]).includes(action)
        ? t(`action_${action as (typeof RULE_ACTIONS)[number]}`)
        : action,
    )
    .join(", ");
}

/** Names of the default rules (in force while the configuration writes none). */
export const DEFAULT_RULE_NAMES = ["Stream", "StreamEveryone", "StreamEveryoneAnonymous", "RootAdmin"];

/**
 * The rules in force with the version of the `securityRules` section. Without that section the default
 * rules are in force: they are the starting point, and the first change writes them out with it, so no
 * default (RootAdmin) is lost by adding a rule.
 */
export async function rulesInForce(
  api: ConsoleApi,
): Promise<Section<SecurityRuleDraft[]> & { defaults: boolean }> {
  const section = await api.section<SecurityRuleDraft[] | null>("securityRules");
  if (section.value) return { ...section, value: section.value, defaults: false };
  const { rules } = await api.get<{
    rules: Array<SecurityRuleDraft & { index?: number; warnings?: unknown }>;
  }>("/rules");
  const value = rules.map(({ index: _index, warnings: _warnings, ...rule }) => rule);
  return { value, version: section.version, defaults: true };
}

/** Whether a rule's resource filter names one stream (`Stream_<id>`) among its patterns. */
export function namesStream(rule: SecurityRuleDraft, streamId: string): boolean {
  return rule.resourceFilter
    .split(",")
    .map((pattern) => pattern.trim().toLowerCase())
    .includes(`stream_${streamId.toLowerCase()}`);
}
