import { type RuleExplanation, RulesError, type RuleUser } from "@portico/rules";
import { appResource, streamResource } from "../access/rule-resources.js";
import { buildRuleUser } from "../access/rule-user.js";
import type { ConfigState } from "../config/config-state.js";
import { describeAttempts } from "../licenses/license-attempt.js";
import type { LicenseService } from "../licenses/license-service.js";
import { ANONYMOUS_DIRECTORY } from "../sessions/session-service.js";

/** The requirements for anonymous access, in the order a visitor meets them. */
export type DoctorCheckId = "proxy" | "license" | "stream" | "app";

export interface DoctorCheck {
  id: DoctorCheckId;
  title: string;
  ok: boolean;
  /** What was found, with the rules' verdicts. */
  detail: string;
  /** The rules involved: the licence rules tried, or the security rules that grant (or were tried). */
  rules: string[];
  /** One line telling the administrator what to change; only on failure. */
  fix?: string;
}

export interface DoctorReport {
  ok: boolean;
  proxy: string;
  app: string;
  /** The fresh anonymous identity the checks were run for. */
  user: string;
  checks: DoctorCheck[];
  /** The ids of the failing checks: the requirement(s) to fix. */
  failing: DoctorCheckId[];
}

export interface DoctorQuery {
  proxy: string;
  app: string;
}

const CHECK_NAMES: Record<DoctorCheckId, string> = {
  proxy: "virtual proxy",
  license: "licence rule",
  stream: "stream read rule",
  app: "app read rule",
};

/**
 * Walks the requirements for anonymous access to one app through one proxy, for a fresh anonymous user:
 * (1) the proxy allows anonymous access, (2) a licence rule would give an access pass and its pool has room,
 * (3) the app's stream is readable in hub context, (4) the app is readable. Each check stands on its own,
 * so one run names every failing requirement, not only the first. Consumes nothing.
 */
export async function runDoctor(
  state: ConfigState,
  licenses: Pick<LicenseService, "explain">,
  query: DoctorQuery,
  uuid: () => string,
): Promise<DoctorReport> {
  const subject = {
    userDirectory: ANONYMOUS_DIRECTORY,
    userId: `anonymous${uuid()}`,
    anonymous: true,
    attributes: {},
  };
  const user = buildRuleUser(subject, state, {
    ip: "127.0.0.1",
    userAgent: undefined,
    secure: false,
    context: "hub",
  });
  const checks = [
    proxyCheck(state, query.proxy),
    await licenseCheck(state, licenses, subject),
    ...contentChecks(state, user, query.app),
  ];
  const failing = checks.filter((c) => !c.ok).map((c) => c.id);
  return {
    ok: failing.length === 0,
    proxy: query.proxy,
    app: query.app,
    user: `${subject.userDirectory}\\${subject.userId}`,
    checks,
    failing,
  };
}

/** `licence rule` for `license`: how the CLI names a failing requirement. */
export function checkName(id: DoctorCheckId): string {
  return CHECK_NAMES[id];
}

function proxyCheck(state: ConfigState, prefix: string): DoctorCheck {
  const title = "The virtual proxy allows anonymous access";
  const index = state.config.virtualProxies.findIndex((p) => p.prefix === prefix);
  const proxy = state.config.virtualProxies[index];
  const label = prefix === "" ? "the default proxy" : `virtual proxy "${prefix}"`;
  if (!proxy)
    return {
      id: "proxy",
      title,
      ok: false,
      detail: `no virtual proxy has the prefix "${prefix}"`,
      rules: [],
      fix: `add { prefix: "${prefix}", anonymousAccess: always, hostAllowList: [<portal origin>] } to virtualProxies`,
    };
  if (proxy.anonymousAccess === "none")
    return {
      id: "proxy",
      title,
      ok: false,
      detail: `${label}: anonymousAccess is none`,
      rules: [],
      fix: `set virtualProxies[${index}].anonymousAccess to always (or allow, to let visitors log in)`,
    };
  return {
    id: "proxy",
    title,
    ok: true,
    detail: `${label}: anonymousAccess is ${proxy.anonymousAccess}`,
    rules: [],
  };
}

async function licenseCheck(
  state: ConfigState,
  licenses: Pick<LicenseService, "explain">,
  subject: { userDirectory: string; userId: string; anonymous: boolean; attributes: Record<string, string> },
): Promise<DoctorCheck> {
  const title = "A licence rule gives the visitor an access pass, and its pool has room";
  const explanation = await licenses.explain(subject);
  const rules = explanation.attempts.map((a) => a.name);
  if (!explanation.enforced)
    return {
      id: "license",
      title,
      ok: true,
      detail: "no licenses section: sessions are not licence-checked",
      rules,
    };
  if (explanation.granted)
    return {
      id: "license",
      title,
      ok: true,
      detail: `rule "${explanation.granted.rule}" (${explanation.granted.type}) would cover the visitor — ${describeAttempts(explanation.attempts)}`,
      rules,
    };
  const exhausted = explanation.attempts.filter((a) => a.result === "poolExhausted");
  const licensesConfig = state.config.licenses;
  let fix: string;
  if (exhausted.length === 0) {
    // The pool that is there, the one made for anonymous visitors first.
    const type = licensesConfig?.anonymousCapacity
      ? "anonymousCapacity"
      : licensesConfig?.analyzerCapacity
        ? "analyzerCapacity"
        : "loginAccessPass";
    fix =
      `add a licence rule for anonymous users: licenses.rules: - { name: Anonymous access, type: ` +
      `${type}, condition: "user.IsAnonymous()" }` +
      (type !== "loginAccessPass" || licensesConfig?.loginAccessPasses !== undefined
        ? ""
        : " (and set licenses.loginAccessPasses)");
  } else if (exhausted.some((a) => a.type === "anonymousCapacity")) {
    fix = `raise licenses.anonymousCapacity.maxConcurrentSessions (now ${licensesConfig?.anonymousCapacity?.maxConcurrentSessions ?? 0}); a seat is free again as soon as its session ends`;
  } else if (exhausted.some((a) => a.type === "loginAccessPass")) {
    fix = `raise licenses.loginAccessPasses (now ${licensesConfig?.loginAccessPasses ?? 0}); used passes return 28 days after they were consumed`;
  } else {
    fix = `raise licenses.analyzerCapacity.minutesPerMonth (now ${licensesConfig?.analyzerCapacity?.minutesPerMonth ?? 0}); the pool resets on the 1st (UTC)`;
  }
  return {
    id: "license",
    title,
    ok: false,
    detail:
      exhausted.length === 0
        ? `no licence rule applies to an anonymous user — ${describeAttempts(explanation.attempts)}`
        : `every licence rule that applies has an exhausted pool — ${describeAttempts(explanation.attempts)}`,
    rules,
    fix,
  };
}

function contentChecks(state: ConfigState, user: RuleUser, appId: string): DoctorCheck[] {
  const app = state.apps.get(appId);
  const streamTitle = "The app's stream is readable in hub context";
  const appTitle = "The app is readable";
  if (!app) {
    const detail = `no app has the id "${appId}"`;
    const fix = `check the app id (configured apps: ${[...state.apps.keys()].join(", ") || "none"})`;
    return [
      { id: "stream", title: streamTitle, ok: false, detail, rules: [], fix },
      { id: "app", title: appTitle, ok: false, detail, rules: [], fix },
    ];
  }
  const stream = state.streams.get(app.stream);
  const streamCheck: DoctorCheck = stream
    ? fromExplanation("stream", streamTitle, explain(state, user, streamResource(stream, state)), {
        what: `stream "${stream.id}"`,
        fix: `add a security rule { name: Anonymous read ${stream.id}, resourceFilter: Stream_${stream.id}, actions: [read], condition: "user.IsAnonymous()", context: hub }`,
      })
    : {
        id: "stream",
        title: streamTitle,
        ok: false,
        detail: `app "${app.id}" names the unknown stream "${app.stream}"`,
        rules: [],
        fix: `add stream "${app.stream}" to streams`,
      };
  const appCheck = fromExplanation("app", appTitle, explain(state, user, appResource(app, state)), {
    what: `app "${app.id}"`,
    fix:
      `add a rule granting read on App_${app.id}, e.g. the default "Stream" rule (resourceFilter App*, ` +
      `condition resource.stream.HasPrivilege("read") for apps)`,
  });
  return [streamCheck, appCheck];
}

function explain(
  state: ConfigState,
  user: RuleUser,
  resource: ReturnType<typeof appResource>,
): RuleExplanation | Error {
  try {
    return state.ruleSet.explain(user, "read", resource, "hub");
  } catch (error) {
    // A HasPrivilege cycle is a configuration fault: the decision is a denial, and the doctor says why.
    if (error instanceof RulesError) return error;
    throw error;
  }
}

function fromExplanation(
  id: DoctorCheckId,
  title: string,
  explanation: RuleExplanation | Error,
  about: { what: string; fix: string },
): DoctorCheck {
  if (explanation instanceof Error)
    return {
      id,
      title,
      ok: false,
      detail: explanation.message,
      rules: [],
      fix: "fix the rule cycle reported",
    };
  if (explanation.allowed) {
    const granting = explanation.rules.filter((v) => v.applies).map((v) => v.name);
    return {
      id,
      title,
      ok: true,
      detail: `${about.what}: read granted by ${quoteList(granting)}`,
      rules: granting,
    };
  }
  // The rules that target this resource and action in this context: their conditions are why it failed.
  const tried = explanation.rules.filter((v) => !v.disabled && v.filter && v.action && v.context);
  const detail =
    tried.length === 0
      ? `${about.what}: no enabled security rule grants read on it in hub context`
      : `${about.what}: read denied — ${tried.map((v) => `"${v.name}": ${v.reason}`).join("; ")}`;
  return { id, title, ok: false, detail, rules: tried.map((v) => v.name), fix: about.fix };
}

function quoteList(names: string[]): string {
  return names.map((n) => `"${n}"`).join(", ");
}
