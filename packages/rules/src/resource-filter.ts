import { RulesError, RulesErrorCode } from "./errors.js";

/** The resource identity a filter is matched against. */
export interface ResourceRef {
  type: string;
  id: string;
}

/**
 * One pattern of a resource filter, matched case-insensitively against `<type>_<id>` with `*` as any
 * run of characters: `Stream_*` every stream, `Stream_<id>` one, `App*` every type whose name starts
 * with App, `*` everything.
 */
export interface FilterPattern {
  /** The pattern as written (trimmed). */
  text: string;
  /** Lowercase text. */
  lower: string;
  /** Lowercase text before the first `*` (the whole text when there is none). */
  prefix: string;
  wildcard: boolean;
  regex: RegExp | undefined;
}

const PATTERN = /^[A-Za-z*][A-Za-z0-9.*]*(_[^\s,]*)?$/;

/** Splits and checks a resource filter; throws a RULE_INVALID `RulesError` naming the bad pattern. */
export function parseResourceFilter(filter: string): FilterPattern[] {
  if (typeof filter !== "string") throw new TypeError("a resource filter must be a string");
  const parts = filter.split(",").map((p) => p.trim());
  if (parts.length === 1 && parts[0] === "") {
    throw new RulesError(
      RulesErrorCode.RULE_INVALID,
      "the resource filter is empty (use * for every resource)",
    );
  }
  return parts.map((text, index) => {
    if (text === "") {
      throw new RulesError(
        RulesErrorCode.RULE_INVALID,
        `resource filter pattern ${index + 1} is empty (check for a stray comma)`,
      );
    }
    if (!PATTERN.test(text) || text.endsWith("_")) {
      throw new RulesError(
        RulesErrorCode.RULE_INVALID,
        `invalid resource filter pattern "${text}" (expected Type_*, Type_<id>, Type*, or *)`,
      );
    }
    const lower = text.toLowerCase();
    const star = lower.indexOf("*");
    const wildcard = star !== -1;
    const regex = wildcard
      ? new RegExp(`^${lower.split("*").map(escapeRegExp).join("[\\s\\S]*")}$`, "i")
      : undefined;
    return { text, lower, prefix: wildcard ? lower.slice(0, star) : lower, wildcard, regex };
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.|+?()[\]{}*/-]/g, "\\$&");
}

/** Whether one parsed pattern matches a resource. */
export function patternMatches(pattern: FilterPattern, resource: ResourceRef): boolean {
  const key = `${resource.type}_${resource.id}`.toLowerCase();
  return pattern.regex ? pattern.regex.test(key) : key === pattern.lower;
}

/** How a pattern relates to every resource of one type: all of them, none, one id, or it depends on the id. */
export type PatternScope =
  | { kind: "all" }
  | { kind: "none" }
  | { kind: "id"; id: string }
  | { kind: "some"; pattern: FilterPattern };

/** Classifies a pattern for a resource type, so a rule set can index rules by type and id. */
export function patternScope(pattern: FilterPattern, type: string): PatternScope {
  const head = `${type.toLowerCase()}_`;
  if (!pattern.wildcard) {
    return pattern.lower.startsWith(head)
      ? { kind: "id", id: pattern.lower.slice(head.length) }
      : { kind: "none" };
  }
  if (pattern.lower === `${pattern.prefix}*` && head.startsWith(pattern.prefix)) return { kind: "all" };
  if (head.startsWith(pattern.prefix) || pattern.prefix.startsWith(head)) return { kind: "some", pattern };
  return { kind: "none" };
}

/**
 * Whether a resource filter (comma-separated patterns) matches a resource. Throws a RULE_INVALID
 * `RulesError` for an invalid filter.
 */
export function matchesResourceFilter(filter: string, resource: ResourceRef): boolean {
  return parseResourceFilter(filter).some((p) => patternMatches(p, resource));
}
