import type { ConfigState } from "../config/config-state.js";
import type { EditableSection } from "../config/config-store.js";
import type { DoctorCheckId, DoctorReport } from "./run-doctor.js";

/** One section change that repairs a failing requirement, shown to the administrator before it is applied. */
export interface ProposedFix {
  check: DoctorCheckId;
  section: EditableSection;
  /** What changes, in the console's words. */
  summary: string;
  /** The whole section as it would be written. */
  value: unknown;
  /** The section's version the proposal was made from: applying it over a changed section is refused. */
  version: string;
}

/** What the proposals read: the sections as written and their versions. */
export interface SectionSource {
  section(name: EditableSection): unknown;
  version(name: EditableSection): string;
}

/** A new analyzer capacity pool, when the configuration has no pool for a licence rule to draw on. */
const PROPOSED_MINUTES_PER_MONTH = 6000;

type Written = Record<string, unknown>;

/**
 * The changes that repair the report's failing requirements, each the smallest one the modelled hub's
 * administrator would make: the proxy set to *Allow anonymous user*, a licence rule `user.IsAnonymous()` on
 * the pool there is (an analyzer capacity pool when there is none), a stream rule giving anonymous users
 * *Read* *Only in hub*, an app rule the same way. A requirement with nothing to propose (an exhausted pool,
 * an unknown app) keeps the doctor's `fix` text only.
 */
export function proposeFixes(report: DoctorReport, state: ConfigState, source: SectionSource): ProposedFix[] {
  const fixes: ProposedFix[] = [];
  const failing = new Set(report.failing);
  const proxyIndex = state.config.virtualProxies.findIndex((p) => p.prefix === report.proxy);
  if (failing.has("proxy") && proxyIndex >= 0) {
    const proxies = structuredClone(source.section("virtualProxies")) as Written[];
    const proxy = proxies[proxyIndex];
    if (proxy) {
      proxy.anonymousAccess = "allow";
      const label = report.proxy === "" ? "the default proxy" : `virtual proxy ${report.proxy}`;
      fixes.push(
        fix(
          source,
          "proxy",
          "virtualProxies",
          proxies,
          `Anonymous access mode of ${label}: Allow anonymous user`,
        ),
      );
    }
  }
  const licenseCheck = report.checks.find((c) => c.id === "license");
  if (licenseCheck && !licenseCheck.ok && !licenseCheck.detail.startsWith("every licence rule")) {
    const licenses = structuredClone((source.section("licenses") as Written | undefined) ?? {});
    const type = licenses.anonymousCapacity
      ? "anonymousCapacity"
      : licenses.analyzerCapacity || licenses.loginAccessPasses === undefined
        ? "analyzerCapacity"
        : "loginAccessPass";
    let pool = "";
    if (type === "analyzerCapacity" && !licenses.analyzerCapacity) {
      licenses.analyzerCapacity = { minutesPerMonth: PROPOSED_MINUTES_PER_MONTH };
      pool = ` (and an analyzer capacity pool of ${PROPOSED_MINUTES_PER_MONTH} minutes per month)`;
    }
    const rules = Array.isArray(licenses.rules) ? (licenses.rules as Written[]) : [];
    const name = unique("Anonymous access", rules);
    licenses.rules = [...rules, { name, type, condition: "user.IsAnonymous()" }];
    fixes.push(
      fix(
        source,
        "license",
        "licenses",
        licenses,
        `New ${ruleKind(type)} "${name}": user.IsAnonymous()${pool}`,
      ),
    );
  }
  const app = state.apps.get(report.app);
  const stream = app ? state.streams.get(app.stream) : undefined;
  const ruleFixes: Array<{ check: DoctorCheckId; rule: Written }> = [];
  if (failing.has("stream") && stream)
    ruleFixes.push({
      check: "stream",
      rule: anonymousRead(`Anonymous read ${stream.id}`, `Stream_${stream.id}`),
    });
  if (failing.has("app") && !failing.has("stream") && app)
    ruleFixes.push({ check: "app", rule: anonymousRead(`Anonymous read ${app.id}`, `App_${app.id}`) });
  if (ruleFixes.length > 0) {
    // Without a securityRules section the default rules are in force: they are written out with the new
    // ones, so no administrator loses RootAdmin by the fix.
    const written = source.section("securityRules") as Written[] | undefined;
    const rules = structuredClone(written ?? state.rules.map((r) => ({ ...r }))) as Written[];
    for (const { rule } of ruleFixes) rules.push({ ...rule, name: unique(String(rule.name), rules) });
    const names = ruleFixes.map(({ rule }) => `"${rule.name}" (${rule.resourceFilter}: Read, Only in hub)`);
    fixes.push(
      fix(
        source,
        ruleFixes[0]?.check ?? "stream",
        "securityRules",
        rules,
        `New security rule ${names.join(", ")}`,
      ),
    );
  }
  return fixes;
}

function anonymousRead(name: string, resourceFilter: string): Written {
  return { name, resourceFilter, actions: ["read"], condition: "user.IsAnonymous()", context: "hub" };
}

function ruleKind(type: string): string {
  if (type === "loginAccessPass") return "login access rule";
  if (type === "anonymousCapacity") return "anonymous capacity rule";
  return "analyzer capacity rule";
}

function unique(name: string, existing: Written[]): string {
  const taken = new Set(existing.map((r) => String(r.name).toLowerCase()));
  if (!taken.has(name.toLowerCase())) return name;
  for (let n = 2; ; n++) if (!taken.has(`${name} ${n}`.toLowerCase())) return `${name} ${n}`;
}

function fix(
  source: SectionSource,
  check: DoctorCheckId,
  section: EditableSection,
  value: unknown,
  summary: string,
): ProposedFix {
  return { check, section, summary, value, version: source.version(section) };
}
