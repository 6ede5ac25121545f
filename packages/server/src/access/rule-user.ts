import type { RuleUser, RuleValue } from "@portico/rules";
import UAParser from "ua-parser-js";
import { type ConfigState, userKey } from "../config/config-state.js";
import type { SessionRecord } from "../storage/storage.js";

/** What the request tells rules about the requester's environment. */
export interface RequestEnvironment {
  ip: string;
  userAgent: string | undefined;
  secure: boolean;
  context: "hub" | "qmc";
}

/**
 * The requester as rules see it: the session identity, what the local directory knows about the user
 * (name, email, roles, groups, attributes; see `directoryUser`), the ticket's attributes (`user.@x` and
 * `user.x`, under the directory's), and `user.environment`: the ticket's attributes plus `ip`,
 * `browser`, `os`, `device`, `context` and `secureRequest`. Request facts win over ticket attributes of
 * the same name, so a ticket cannot claim another IP.
 */
export function buildRuleUser(
  identity: Pick<SessionRecord, "userDirectory" | "userId" | "attributes">,
  state: Pick<ConfigState, "users">,
  request: RequestEnvironment,
): RuleUser {
  const ua = parseUserAgent(request.userAgent ?? "");
  const environment: Record<string, RuleValue> = {
    ...identity.attributes,
    ip: request.ip,
    browser: ua.browser,
    os: ua.os,
    device: ua.device,
    context: request.context,
    secureRequest: request.secure ? "true" : "false",
  };
  return { ...directoryUser(identity, state, identity.attributes), environment };
}

/**
 * A user as its directory entry describes it (name, email, roles, groups, attributes), or bare when the
 * directory does not list it. `attributes` from the user's ticket join the directory's, which win a
 * name clash: the administrator's directory is the authority on its users.
 */
export function directoryUser(
  identity: { userDirectory: string; userId: string },
  state: Pick<ConfigState, "users">,
  attributes: Record<string, RuleValue> = {},
): RuleUser {
  const entry = state.users.get(userKey(identity.userDirectory, identity.userId));
  const user: RuleUser = {
    userDirectory: identity.userDirectory,
    userId: identity.userId,
    roles: entry?.roles ?? [],
    groups: entry?.groups ?? [],
    properties: { ...attributes, ...entry?.attributes },
  };
  if (entry?.name !== undefined) user.name = entry.name;
  if (entry?.email !== undefined) user.email = entry.email;
  return user;
}

/** Parsed user agents by string: a session's every request carries the same one, and parsing is regex-heavy. */
const userAgents = new Map<string, { browser: string; os: string; device: string }>();
const USER_AGENT_CACHE_ENTRIES = 500;

function parseUserAgent(userAgent: string): { browser: string; os: string; device: string } {
  const cached = userAgents.get(userAgent);
  if (cached) return cached;
  const ua = new UAParser(userAgent).getResult();
  const parsed = {
    browser: ua.browser.name ?? "unknown",
    os: ua.os.name ?? "unknown",
    device: ua.device.type ?? "desktop",
  };
  // Bounded: a client sending a new user agent with every request must not grow memory.
  if (userAgents.size >= USER_AGENT_CACHE_ENTRIES) userAgents.clear();
  userAgents.set(userAgent, parsed);
  return parsed;
}

/** `DIR\\userId` -> parts (the CLI and admin audit take users in this form). */
export function parseUserRef(ref: string): { userDirectory: string; userId: string } | undefined {
  const at = ref.indexOf("\\");
  if (at <= 0 || at === ref.length - 1) return undefined;
  return { userDirectory: ref.slice(0, at), userId: ref.slice(at + 1) };
}
