import { realpathSync } from "node:fs";
import path from "node:path";
import {
  builtInUserProperty,
  compileCondition,
  conditionWarnings,
  createRuleSet,
  defaultRules,
  type RuleSet,
  RuleSyntaxError,
  ruleWarnings,
  type SecurityRule,
  validateRule,
} from "@portico/rules";
import { objectSyntaxIssues } from "../data/object-issues.js";
import type { ConfigExtension } from "./config-extension.js";
import { type ConfigIssue, configInvalid, formatPath } from "./format-issues.js";
import type {
  AppConfig,
  LocalUserConfig,
  PorticoConfig,
  SecurityRuleConfig,
  StorageSettings,
  StreamConfig,
  TicketClientConfig,
  VirtualProxyConfig,
} from "./schema.js";
import { storageSettings } from "./schema.js";

/** A validated configuration plus what is derived from it once, at load time. */
export interface ConfigState {
  readonly config: PorticoConfig;
  /** Absolute path of the config file (relative paths in it resolve against its directory). */
  readonly configPath: string;
  readonly baseDir: string;
  readonly dataDir: string;
  /**
   * The data directory (top-level `dataDir`, default the config file's folder): table sources resolve
   * against it, must stay inside it, and errors name them relative to it.
   */
  readonly dataRoot: string;
  /** `sqlite:<absolute path>` or the postgres URL as written. */
  readonly storageUrl: string;
  /** Timeouts and durability of the storage (`storage: {url, ...}`; defaults for a bare URL). */
  readonly storageSettings: StorageSettings;
  readonly rules: SecurityRule[];
  readonly ruleSet: RuleSet;
  /**
   * What loads but may not mean what its author meant: rules naming properties or resource types
   * Portico does not model (pasted from the hub), a user-id comparison standing in for an identity, and
   * directory attributes that a built-in user property shadows. Logged at load, printed by `portico
   * check`, listed by the admin API.
   */
  readonly warnings: ConfigIssue[];
  readonly proxies: ReadonlyMap<string, VirtualProxyConfig>;
  readonly streams: ReadonlyMap<string, StreamConfig>;
  readonly apps: ReadonlyMap<string, AppConfig>;
  readonly ticketClients: ReadonlyMap<string, TicketClientConfig>;
  /** Keyed by `userKey(directory, userId)` (both case-insensitive, as in the modelled hub). */
  readonly users: ReadonlyMap<string, LocalUserConfig & { userDirectory: string }>;
}

export function userKey(userDirectory: string, userId: string): string {
  return `${userDirectory.toUpperCase()}\\${userId.toLowerCase()}`;
}

/** Resolves a path written in the config (table sources, data dir) against the config file's directory. */
export function resolveConfigPath(state: Pick<ConfigState, "baseDir">, written: string): string {
  return path.resolve(state.baseDir, written);
}

export function deriveConfigState(
  written: PorticoConfig,
  configPath: string,
  extensions: readonly ConfigExtension[] = [],
): ConfigState {
  const config = extensions.reduce((extended, extend) => extend(extended), written);
  const absolute = path.resolve(configPath);
  const baseDir = path.dirname(absolute);
  const rules: SecurityRule[] = config.securityRules
    ? config.securityRules.map(toSecurityRule)
    : [...defaultRules];

  const issues: ConfigIssue[] = conditionIssues(config.securityRules, config.licenses?.rules);
  config.securityRules?.forEach((rule, index) => {
    for (const issue of validateRule(toSecurityRule(rule))) {
      if (issue.field === "condition") continue;
      issues.push({ path: formatPath(["securityRules", index, issue.field]), message: issue.message });
    }
  });
  issues.push(...objectSyntaxIssues(config));
  const dataRoot = path.resolve(baseDir, config.dataDir);
  issues.push(...sourceIssues(config, dataRoot));
  if (issues.length > 0) throw configInvalid(issues);

  let ruleSet: RuleSet;
  try {
    ruleSet = createRuleSet(rules);
  } catch (error) {
    throw configInvalid([{ path: "securityRules", message: (error as Error).message }]);
  }

  const users = new Map<string, LocalUserConfig & { userDirectory: string }>();
  for (const dir of config.userDirectories)
    for (const user of dir.users)
      users.set(userKey(dir.name, user.userId), { ...user, userDirectory: dir.name });
  const storage = storageSettings(config.storage);

  return {
    config,
    configPath: absolute,
    baseDir,
    dataDir: path.resolve(baseDir, config.server.dataDir),
    dataRoot,
    storageUrl: storage.url.startsWith("sqlite:")
      ? `sqlite:${path.resolve(baseDir, storage.url.slice("sqlite:".length))}`
      : storage.url,
    storageSettings: storage.settings,
    rules,
    ruleSet,
    warnings: configWarnings(config),
    proxies: new Map(config.virtualProxies.map((p) => [p.prefix, p])),
    streams: new Map(config.streams.map((s) => [s.id, s])),
    apps: new Map(config.apps.map((a) => [a.id, a])),
    ticketClients: new Map(config.ticketClients.map((c) => [c.name, c])),
    users,
  };
}

/**
 * Table sources outside the data directory: by path (absolute elsewhere, `../`) or through a symbolic link
 * that leads out of it. The admin API may edit `apps`, so without this an admin key (or a mistake) could
 * load any CSV or JSON file the server can read and show it in the hub. A missing file is the loader's
 * to report. Messages never show the data directory's absolute path.
 */
function sourceIssues(config: PorticoConfig, dataRoot: string): ConfigIssue[] {
  const files: Array<{ where: PropertyKey[]; written: string; what: string }> = [];
  config.apps.forEach((app, a) => {
    app.tables.forEach((table, t) => {
      if (typeof table.source === "string")
        files.push({
          where: ["apps", a, "tables", t, "source"],
          written: table.source,
          what: "table sources",
        });
    });
  });
  config.dataConnections.forEach((connection, c) => {
    if (connection.type === "sqlite")
      files.push({
        where: ["dataConnections", c, "file"],
        written: connection.file,
        what: "SQLite connections",
      });
  });
  const issues: ConfigIssue[] = [];
  let realRoot: string | undefined;
  for (const { where, written, what } of files) {
    const file = path.resolve(dataRoot, written);
    let inside = isInside(dataRoot, file);
    if (inside) {
      realRoot ??= realPath(dataRoot) ?? dataRoot;
      const real = realPath(file);
      inside = real === undefined || isInside(realRoot, real);
    }
    if (!inside)
      issues.push({
        path: formatPath(where),
        message: `"${path.isAbsolute(written) ? path.basename(written) : written}" is outside the data directory (dataDir); ${what} must be files inside it`,
      });
  }
  return issues;
}

function isInside(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return (
    relative !== "" &&
    relative !== ".." &&
    !relative.startsWith(`..${path.sep}`) &&
    !path.isAbsolute(relative)
  );
}

function realPath(file: string): string | undefined {
  try {
    return realpathSync.native(file);
  } catch {
    return undefined;
  }
}

/**
 * Syntax errors of every security rule and licence rule condition, from validated or raw input (so they
 * can be reported alongside shape errors).
 */
export function conditionIssues(securityRules: unknown, licenseRules: unknown): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const scan = (rules: unknown, where: PropertyKey[]) => {
    if (!Array.isArray(rules)) return;
    rules.forEach((rule: unknown, index) => {
      const condition = (rule as { condition?: unknown } | null)?.condition;
      if (typeof condition !== "string") return;
      const issue = checkCondition(condition, [...where, index, "condition"]);
      if (issue) issues.push(issue);
    });
  };
  scan(securityRules, ["securityRules"]);
  scan(licenseRules, ["licenses", "rules"]);
  return issues;
}

/** A rule condition's syntax error, as `path: line L, column C: message` plus the caret excerpt. */
function checkCondition(source: string, where: PropertyKey[]): ConfigIssue | undefined {
  try {
    compileCondition(source);
    return undefined;
  } catch (error) {
    if (error instanceof RuleSyntaxError) {
      return {
        path: formatPath(where),
        message: `line ${error.line}, column ${error.column}: ${error.reason}\n${error.excerpt}`,
      };
    }
    return { path: formatPath(where), message: (error as Error).message };
  }
}

function configWarnings(config: PorticoConfig): ConfigIssue[] {
  const warnings: ConfigIssue[] = [];
  config.securityRules?.forEach((rule, index) => {
    for (const warning of ruleWarnings(rule)) warnings.push(warningIssue(["securityRules", index], warning));
  });
  config.licenses?.rules?.forEach((rule, index) => {
    for (const warning of conditionWarnings(rule.condition))
      warnings.push(warningIssue(["licenses", "rules", index], warning));
  });
  config.userDirectories.forEach((dir, d) => {
    dir.users.forEach((user, u) => {
      for (const name of Object.keys(user.attributes)) {
        const builtIn = builtInUserProperty(name);
        if (builtIn === undefined) continue;
        warnings.push({
          path: formatPath(["userDirectories", d, "users", u, "attributes", name]),
          message: `rules read user.${name} as the built-in user.${builtIn}, not this attribute; write user.@${name} for the attribute`,
        });
      }
    });
  });
  return warnings;
}

function warningIssue(
  where: PropertyKey[],
  warning: { field: string; message: string; line?: number; column?: number },
): ConfigIssue {
  const at = warning.line === undefined ? "" : `line ${warning.line}, column ${warning.column}: `;
  return { path: formatPath([...where, warning.field]), message: `${at}${warning.message}` };
}

/** The rule as the rules package sees it (our `comment` is documentation only). */
function toSecurityRule(rule: SecurityRuleConfig): SecurityRule {
  const { comment: _comment, ...rest } = rule;
  return rest as SecurityRule;
}
