/**
 * The console's words: the modelled hub's management console's own (sections, fields, buttons and
 * messages), so its administrators recognise every step. English is the reference catalogue; German
 * (qmc-strings-de.ts) has the same keys, and qmc-strings.test.ts holds every catalogue to them.
 */
import { de } from "./qmc-strings-de.js";

const en = {
  title: "Portico management console",
  signIn: "Sign in",
  signOut: "Sign out",
  userDirectory: "User directory",
  userId: "User ID",
  password: "Password",
  signedInAs: "Signed in as {user}",
  signInFailed: "The user directory, user ID or password is not correct.",
  tooManyAttempts: "Too many sign-in attempts. Try again in a few minutes.",
  start: "Start",
  virtualProxies: "Virtual proxies",
  licenseManagement: "License management",
  analyzerCapacityRules: "Analyzer capacity rules",
  loginAccessRules: "Login access rules",
  anonymousCapacityRules: "Anonymous capacity rules",
  streams: "Streams",
  apps: "Apps",
  securityRules: "Security rules",
  usersAndSessions: "Users and sessions",
  visits: "Visits",
  anonymousCheck: "Anonymous access check",
  edit: "Edit",
  apply: "Apply",
  createNew: "Create new",
  delete: "Delete",
  appId: "App ID",
  id: "ID",
  dataFile: "Data file",
  dataFileHelp: "A CSV, TSV, JSON, NDJSON or Parquet file in the data directory; add sheets in portico.yaml",
  duplicate: "Duplicate",
  copyOf: "{name} (copy)",
  disable: "Disable",
  enable: "Enable",
  successfullyUpdated: "Successfully updated",
  appliedLive: "Applied live on every node: no restart is needed.",
  readOnly: "Read only: the security rules give you no right to change this.",
  name: "Name",
  description: "Description",
  prefix: "Prefix",
  defaultProxy: "(default proxy)",
  anonymousAccessMode: "Anonymous access mode",
  mode_none: "No anonymous user",
  mode_allow: "Allow anonymous user",
  mode_always: "Always anonymous user",
  sessionInactivityTimeout: "Session inactivity timeout (minutes)",
  hostAllowList: "Host allow list",
  hostAllowListHelp: "One exact origin per line, such as https://portal.example.com",
  notAnOrigin: "{entry} is not an exact origin (scheme://host[:port], no path)",
  anonymousLimits: "Anonymous limits",
  newSessionsPerIpPerHour: "New anonymous sessions per IP per hour",
  newSessionsPerNetworkPerHour: "New anonymous sessions per network per hour",
  concurrentSessionsPerIp: "Concurrent anonymous sessions per IP",
  anonymousLimitsHelp: "A whole number, or off for no limit; empty for the default ({default}).",
  conditions: "Conditions",
  basic: "Basic",
  advanced: "Advanced",
  conditionProblem: "{message} (line {line}, column {column})",
  user: "User",
  userProperty: "User property",
  operator: "Operator",
  value: "Value",
  addCondition: "Add condition",
  removeCondition: "Remove condition",
  pool: "Pool",
  minutesPerMonth: "Analyzer capacity (minutes per month)",
  loginAccessPasses: "Login access passes",
  usage: "Usage",
  burnRate: "Burn rate",
  perHour: "per hour",
  runsDry: "runs dry at",
  resetsAt: "Resets",
  nextReturn: "Next pass returns",
  minutes: "minutes",
  passes: "passes",
  recentDenials: "Recent denials",
  reason: "Reason",
  noDenials: "No visitor has been refused an access pass.",
  noRuleApplies: "no user allocation and no licence rule configured",
  attempt_granted: "granted",
  attempt_reused: "reused",
  attempt_conditionFalse: "condition false",
  attempt_poolExhausted: "pool exhausted",
  associatedItems: "Associated items",
  createAssociatedRule: "Create associated rule",
  streamRule: "{stream} rule",
  actions: "Actions",
  action_create: "Create",
  action_read: "Read",
  action_update: "Update",
  action_delete: "Delete",
  action_export: "Export",
  action_publish: "Publish",
  action_changeowner: "Change owner",
  action_exportdata: "Export data",
  action_duplicate: "Duplicate",
  context: "Context",
  context_hub: "Only in hub",
  context_qmc: "Only in QMC",
  context_both: "Both in hub and QMC",
  resourceFilter: "Resource filter",
  disabled: "Disabled",
  defaultRule: "Default rule",
  warning: "Warning",
  stream: "Stream",
  published: "Published",
  publish: "Publish",
  sheets: "Sheets",
  reload: "Reload",
  lastReload: "Last reload",
  reloadSucceeded: "Succeeded",
  reloadFailed: "Failed",
  loadedAt: "Loaded",
  proxy: "Virtual proxy",
  app: "App",
  check: "Check",
  requirement: "Check",
  result: "Pass/Fail",
  check_proxy: "The virtual proxy allows anonymous access",
  check_license: "A licence rule gives the visitor an access pass, and its pool has room",
  check_stream: "The app's stream is readable in hub context",
  check_app: "The app is readable",
  pass: "Pass",
  fail: "Fail",
  fix: "Fix",
  proposedChanges: "Proposed changes",
  applyFix: "Apply these changes",
  allPass: "Anonymous visitors can open this app.",
  audit: "Audit",
  anAnonymousVisitor: "An anonymous visitor",
  auditUser: "User (DIRECTORY\\userId)",
  auditResource: "Resource",
  action: "Action",
  allowed: "Allowed",
  canRead: "Read",
  denied: "Denied",
  activeSessions: "Active sessions",
  endSession: "End session",
  anonymous: "Anonymous",
  page: "Page",
  lastActivity: "Last activity",
  users: "Users",
  roles: "Roles",
  visitLog: "Visit log",
  allEvents: "All events",
  visit_sessionStart: "Session start",
  visit_sessionEnd: "Session end",
  visit_appOpen: "App opened",
  visit_sheetView: "Sheet viewed",
  visit_export: "Export",
  visit_denied: "Denied",
  visit_originRefused: "Origin refused",
  visit_licenceUse: "Licence use",
  showMore: "Show more",
  visitorAnalytics: "Visitor analytics",
  visitorAnalyticsNote:
    "Visits, visitors, pages, denials and licence use, read with your hub session (the hub asks you to log in once).",
  openInNewTab: "Open in a new tab",
  exportCsv: "Export CSV",
  from: "From",
  to: "To",
  filter: "Filter",
  time: "Time",
  event: "Event",
  origin: "Origin",
  ip: "IP",
  none: "None",
  loading: "Loading…",
  changedSinceOpened: "This item changed since you opened it. Open it again to see the newer version.",
  emptyList: "Nothing here yet.",
  back: "Back",
  noSheets: "No sheets: they are written in portico.yaml.",
  objectsOf: "Objects on {sheet}",
} as const;

export type QmcStringKey = keyof typeof en;
export type QmcCatalogue = Record<QmcStringKey, string>;

/** The console's translator: the words of one catalogue, and the locale that dates and numbers follow. */
export interface QmcTranslate {
  (key: QmcStringKey, params?: Record<string, string | number>): string;
  /** The locale the words are in: the one asked for when there is a catalogue for its language, else `en`. */
  readonly locale: string;
}

/** The catalogues by language; English is the reference, every other has exactly its keys. */
export const QMC_CATALOGUES: Readonly<Record<string, QmcCatalogue>> = { en, de };

/**
 * The console's locale for a requested one (`?locale=`, else the browser's language): itself when its
 * language has a catalogue, so a `de-CH` administrator reads German words with Swiss dates, else English.
 */
export function qmcLocale(requested: string | null | undefined): string {
  let canonical: string | undefined;
  try {
    canonical = requested ? Intl.getCanonicalLocales(requested)[0] : undefined;
  } catch {
    canonical = undefined; // Not a locale at all: the reference language.
  }
  const language = canonical?.split("-")[0]?.toLowerCase();
  return canonical && language && QMC_CATALOGUES[language] ? canonical : "en";
}

/** The console's translator for `locale` (English where there is no catalogue for its language). */
export function qmcTranslator(locale: string): QmcTranslate {
  const resolved = qmcLocale(locale);
  const catalogue = QMC_CATALOGUES[resolved.split("-")[0]?.toLowerCase() ?? "en"] ?? en;
  const t = (key: QmcStringKey, params?: Record<string, string | number>) =>
    params
      ? catalogue[key].replace(/\{(\w+)\}/g, (m, name: string) =>
          params[name] === undefined ? m : String(params[name]),
        )
      : catalogue[key];
  return Object.assign(t, { locale: resolved });
}
