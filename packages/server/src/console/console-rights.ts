import type { ActionName, RuleUser } from "@portico/rules";
import { AccessControl } from "../access/access-control.js";
import { buildRuleUser } from "../access/rule-user.js";
import type { ConfigState } from "../config/config-state.js";
import { EDITABLE_SECTIONS, type EditableSection } from "../config/config-store.js";
import type { ConsoleSession } from "./console-sessions.js";

/**
 * The resource type each configuration section stands for in `qmc`-context rules, in the modelled hub's
 * names where it has one (`Stream_*`, `App_*`, `SystemRule_*`, `License_*`, `VirtualProxyConfig_*`).
 */
export const SECTION_RESOURCE_TYPES: Record<EditableSection, string> = {
  virtualProxies: "VirtualProxyConfig",
  streams: "Stream",
  apps: "App",
  securityRules: "SystemRule",
  userDirectories: "UserDirectory",
  ticketClients: "TicketClient",
  licenses: "License",
  visits: "Visit",
};

/** What one admin API request needs in the `qmc` context: an action on every resource of a type. */
export interface ConsoleRight {
  type: string;
  action: ActionName;
}

/** Requests any signed-in console user may make (their own console session). */
export const SIGNED_IN = "signedIn" as const;

type RouteRight = ConsoleRight | typeof SIGNED_IN;

const read = (type: string): ConsoleRight => ({ type, action: "read" });

/**
 * The admin API routes a console session may call, each with the right it needs (method, path under
 * `/admin/api/v1`). A route missing here is refused to console sessions: a route added later stays
 * behind the admin key until someone decides which right it needs.
 */
const ROUTES: Array<
  [method: string, path: RegExp, right: (match: RegExpExecArray) => RouteRight | undefined]
> = [
  ["GET", /^\/console\/session$/, () => SIGNED_IN],
  ["DELETE", /^\/console\/session$/, () => SIGNED_IN],
  ["GET", /^\/config\/([^/]+)$/, (m) => sectionRight(m[1], "read")],
  ["PUT", /^\/config\/([^/]+)$/, (m) => sectionRight(m[1], "update")],
  ["GET", /^\/rules$/, () => read("SystemRule")],
  ["POST", /^\/audit$/, () => read("SystemRule")],
  // Checking a draft changes nothing: whoever sees the rules may check what they type.
  ["POST", /^\/rules\/check$/, () => read("SystemRule")],
  ["POST", /^\/licenses\/rules\/check$/, () => read("License")],
  ["GET", /^\/sessions$/, () => read("ProxySession")],
  ["DELETE", /^\/sessions\/[^/]+$/, () => ({ type: "ProxySession", action: "delete" })],
  ["GET", /^\/apps\/data$/, () => read("App")],
  ["GET", /^\/apps\/[^/]+\/reloads$/, () => read("App")],
  ["POST", /^\/apps\/[^/]+\/reload$/, () => ({ type: "App", action: "update" })],
  ["GET", /^\/connections$/, () => read("DataConnection")],
  ["GET", /^\/visits(\/summary|\/export)?$/, () => read("Visit")],
  ["GET", /^\/licenses\/usage$/, () => read("License")],
  ["POST", /^\/licenses\/audit$/, () => read("License")],
  ["POST", /^\/doctor(\/fix)?$/, () => read("VirtualProxyConfig")],
];

function sectionRight(section: string | undefined, action: ActionName): ConsoleRight | undefined {
  const type = SECTION_RESOURCE_TYPES[section as EditableSection];
  return type === undefined ? undefined : { type, action };
}

/** The right a console session needs for `method path` (path under `/admin/api/v1`); undefined: refused. */
export function routeRight(method: string, path: string): RouteRight | undefined {
  for (const [routeMethod, pattern, right] of ROUTES) {
    if (routeMethod !== method && !(routeMethod === "GET" && method === "HEAD")) continue;
    const match = pattern.exec(path);
    if (match) return right(match);
  }
  return undefined;
}

/** The console user as `qmc`-context rules see it. */
export function consoleUser(
  session: ConsoleSession,
  state: ConfigState,
  request: { ip: string; userAgent: string | undefined; secure: boolean },
): RuleUser {
  return buildRuleUser({ ...session, attributes: {} }, state, { ...request, context: "qmc" });
}

/**
 * Whether the user may take `right` on every resource of its type in the console: the rules are asked
 * about a resource standing for the whole type (`<Type>_*`), so a rule for one stream (`Stream_budget`)
 * does not make its holder an editor of the streams section.
 */
export function consoleMay(user: RuleUser, right: ConsoleRight, state: ConfigState): boolean {
  return new AccessControl(state).can(user, right.action, { type: right.type, id: "*" }, "qmc");
}

/** Per section, what the user may do with it in the console (the UI shows a section read-only without update). */
export function sectionRights(
  user: RuleUser,
  state: ConfigState,
): Record<EditableSection, { read: boolean; update: boolean }> {
  const rights = {} as Record<EditableSection, { read: boolean; update: boolean }>;
  for (const section of EDITABLE_SECTIONS) {
    const type = SECTION_RESOURCE_TYPES[section];
    rights[section] = {
      read: consoleMay(user, { type, action: "read" }, state),
      update: consoleMay(user, { type, action: "update" }, state),
    };
  }
  return rights;
}
