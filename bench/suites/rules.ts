// One user's full hub listing: a read decision for each of 1,000 streams and 10,000 apps under 200
// rules (the default rules, with HasPrivilege on each app's stream, plus a realistic mix of stream-,
// app- and type-wide rules, other actions, qmc-only and disabled rules). The compiled rule set is
// compared with a naive engine that re-parses every filter and condition on every evaluation.
import {
  type ActionName,
  type ConditionInput,
  compileCondition,
  createRuleSet,
  defaultRules,
  matchesResourceFilter,
  type RuleContext,
  type RuleResource,
  type RuleUser,
  type SecurityRule,
} from "@portico/rules";
import { measure } from "../lib/timing.js";
import type { BenchCase, BenchSuite } from "../lib/types.js";

const STREAMS = 1_000;
const APPS = 10_000;
const RULES = 200;
const LISTING_TARGET_P50_MS = 10;

/** Deterministic pseudo-random numbers (mulberry32), so every run benchmarks the same data. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Fixture {
  streams: RuleResource[];
  apps: RuleResource[];
  rules: SecurityRule[];
  user: RuleUser;
}

function fixture(): Fixture {
  const rnd = random(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
  const departments = ["Sales", "Finance", "HR", "Ops", "IT", "Legal", "Marketing", "Support"];
  const owner: RuleUser = { userDirectory: "CORP", userId: "owner1", name: "Owner One" };
  const streams: RuleResource[] = [{ type: "Stream", id: "everyone", name: "Everyone" }];
  for (let i = 1; i < STREAMS; i++) {
    streams.push({
      type: "Stream",
      id: `s${i}`,
      name: `Stream ${i}`,
      properties: { department: pick(departments), classification: pick(["public", "internal", "secret"]) },
      ...(i % 3 === 0 ? { owner } : {}),
    });
  }
  const apps: RuleResource[] = [];
  for (let i = 0; i < APPS; i++) {
    const stream = i % 20 === 0 ? undefined : streams[Math.floor(rnd() * STREAMS)]!;
    apps.push({
      type: "App",
      id: `a${i}`,
      name: i % 7 === 0 ? `Public report ${i}` : `App ${i}`,
      published: stream !== undefined,
      ...(stream ? { stream } : {}),
      owner,
      properties: { region: pick(["EMEA", "AMER", "APAC"]), classification: pick(["public", "internal"]) },
    });
  }

  const rules: SecurityRule[] = [...defaultRules];
  const wide: SecurityRule[] = [
    {
      name: "DepartmentStreams",
      resourceFilter: "Stream_*",
      actions: ["read"],
      condition: "resource.@department = user.@department and !user.IsAnonymous()",
      context: "hub",
    },
    {
      name: "PublicStreams",
      resourceFilter: "Stream_*",
      actions: ["read"],
      condition: 'resource.@classification = "public" and user.environment.secureRequest = "true"',
      context: "both",
    },
    {
      name: "StreamOwners",
      resourceFilter: "Stream_*",
      actions: ["read", "update"],
      condition: "resource.IsOwned() and resource.owner.userId = user.userId",
      context: "both",
    },
    {
      name: "AuditorsReadAll",
      resourceFilter: "Stream_*, App_*",
      actions: ["read"],
      condition: 'user.groups = "Auditors" or user.roles = "AuditAdmin"',
      context: "both",
    },
    {
      name: "PublicReports",
      resourceFilter: "App_*",
      actions: ["read"],
      condition: 'resource.name like "Public report*" and !resource.stream.Empty()',
      context: "hub",
    },
    {
      name: "RegionalApps",
      resourceFilter: "App_*",
      actions: ["read"],
      condition: 'resource.@region = user.@region and user.groups like "Analysts*"',
      context: "hub",
    },
    {
      name: "ClassifiedApps",
      resourceFilter: "App*",
      actions: ["read", "exportdata"],
      condition:
        'resource.@classification matches "internal|confidential" and user.email like "*@corp.example"',
      context: "hub",
    },
    {
      name: "OwnApps",
      resourceFilter: "App_*",
      actions: ["read", "update", "delete"],
      condition: "resource.owner.userId == user.userId and resource.owner.userDirectory = user.userDirectory",
      context: "both",
    },
  ];
  rules.push(...wide);
  let n = 0;
  while (rules.length < RULES) {
    n++;
    const kind = n % 10;
    const stream = streams[1 + Math.floor(rnd() * (STREAMS - 1))]!;
    const app = apps[Math.floor(rnd() * APPS)]!;
    if (kind < 5) {
      rules.push({
        name: `Stream${n}`,
        resourceFilter: `Stream_${stream.id}`,
        actions: ["read"],
        condition: `user.@department = "${pick(departments)}" or user.groups = "Team${n % 13}"`,
        context: "hub",
      });
    } else if (kind < 7) {
      rules.push({
        name: `App${n}`,
        resourceFilter: `App_${app.id}, App_${apps[Math.floor(rnd() * APPS)]!.id}`,
        actions: ["read"],
        condition: `user.@region = "${pick(["EMEA", "AMER", "APAC"])}" and !user.IsAnonymous()`,
        context: "both",
      });
    } else if (kind === 7) {
      rules.push({
        name: `Manage${n}`,
        resourceFilter: "App_*",
        actions: ["update", "delete", "publish"],
        condition: `user.roles = "ContentAdmin${n % 5}"`,
        context: "qmc",
      });
    } else if (kind === 8) {
      rules.push({
        name: `Export${n}`,
        resourceFilter: "App.Object_*",
        actions: ["export", "exportdata"],
        condition: `user.groups = "Exporters${n % 4}" and resource.app.HasPrivilege("read")`,
        context: "hub",
      });
    } else {
      rules.push({
        name: `Retired${n}`,
        resourceFilter: "App*",
        actions: ["read"],
        condition: 'user.name like "*"',
        context: "both",
        disabled: true,
      });
    }
  }
  const user: RuleUser = {
    userDirectory: "CORP",
    userId: "jdoe",
    name: "Jane Doe",
    email: "jdoe@corp.example",
    roles: ["Analyst"],
    groups: ["Team3", "Analysts EMEA", "Team7"],
    properties: { department: "Sales", region: "EMEA" },
    environment: { ip: "10.0.0.7", browser: "Chrome", secureRequest: "true" },
  };
  return { streams, apps, rules, user };
}

/** The naive engine: every rule's filter and condition parsed again on every evaluation. */
function naiveCan(
  rules: readonly SecurityRule[],
  user: RuleUser,
  action: ActionName,
  resource: RuleResource,
  context: RuleContext,
): boolean {
  const input: ConditionInput = {
    user,
    resource,
    context,
    hasPrivilege: (linkedAction, linked) => naiveCan(rules, user, linkedAction, linked, context),
  };
  for (const rule of rules) {
    if (rule.disabled) continue;
    if (!rule.actions.includes(action)) continue;
    if (rule.context !== "both" && rule.context !== context) continue;
    if (!matchesResourceFilter(rule.resourceFilter, resource)) continue;
    if (compileCondition(rule.condition)(input)) return true;
  }
  return false;
}

type Decide = (user: RuleUser, resource: RuleResource) => boolean;

/** The hub listing: readable streams, each with its readable apps. Returns how many items are readable. */
function listHub(f: Fixture, decide: Decide): number {
  // A fresh user object per listing: the rule set memoises by object identity, and a listing must
  // not profit from the previous one.
  const user = { ...f.user };
  let readable = 0;
  for (const stream of f.streams) if (decide(user, stream)) readable++;
  for (const app of f.apps) if (decide(user, app)) readable++;
  return readable;
}

// `matches` runs administrator patterns against values a visitor controls (a user id through the
// Ticket API): patterns that make a backtracking engine take exponential time, on a long value, each
// compared with a plain `=` on the same value, in the same run.
const HOSTILE_VALUE_LENGTH = 10_000;
const HOSTILE_PATTERNS = ["(a+)+b", "(a|aa)*c", "(.*a){20}", "([a-z]+)+", "(a|a?)+"];
const MATCHES_TARGET_P50_MS = 100;
const EQUALS_CASE = `= on ${HOSTILE_VALUE_LENGTH.toLocaleString("en-US")} characters`;

async function matchesCases(): Promise<BenchCase[]> {
  const value = "a".repeat(HOSTILE_VALUE_LENGTH - 1);
  const input: ConditionInput = { user: { userDirectory: "CORP", userId: `${value}!` } };
  const timeDecision = (condition: string) => {
    const decide = compileCondition(condition);
    if (decide(input)) throw new Error(`${condition} should not hold for the hostile value`);
    return measure(() => decide(input), { warmup: 5, iterations: 50, maxTimeMs: 5_000 });
  };
  const extra = { valueLength: HOSTILE_VALUE_LENGTH };
  const cases: BenchCase[] = [
    {
      case: EQUALS_CASE,
      samplesMs: await timeDecision(`user.userId = "${value}b"`),
      opsPerIteration: 1,
      opsUnit: "decisions",
      extra,
    },
  ];
  for (const pattern of HOSTILE_PATTERNS) {
    cases.push({
      case: `matches "${pattern}" on ${HOSTILE_VALUE_LENGTH.toLocaleString("en-US")} characters`,
      samplesMs: await timeDecision(`user.userId matches "${pattern}"`),
      opsPerIteration: 1,
      opsUnit: "decisions",
      baseline: EQUALS_CASE,
      target: { metric: "p50Ms", max: MATCHES_TARGET_P50_MS },
      extra,
    });
  }
  return cases;
}

export const rulesSuite: BenchSuite = {
  name: "rules",
  description: `hub listing: ${STREAMS.toLocaleString("en-US")} streams + ${APPS.toLocaleString("en-US")} apps, ${RULES} rules`,
  async run() {
    const f = fixture();
    const compileSamples = await measure(() => createRuleSet(f.rules), { warmup: 2, iterations: 20 });
    const ruleSet = createRuleSet(f.rules);
    const compiled: Decide = (user, resource) => ruleSet.can(user, "read", resource, "hub");
    const naive: Decide = (user, resource) => naiveCan(f.rules, user, "read", resource, "hub");

    // Both engines must agree before their speed means anything.
    const expected = listHub(f, naive);
    const actual = listHub(f, compiled);
    if (expected !== actual)
      throw new Error(`compiled engine lists ${actual} items, naive engine ${expected}`);

    // The same listing when every app carries its own copy of its stream object (as a server that
    // builds resources per request does): HasPrivilege answers are memoised by object identity, so
    // here each app's stream is decided again.
    const unshared: Fixture = {
      ...f,
      apps: f.apps.map((a) => (a.stream ? { ...a, stream: { ...a.stream } } : a)),
    };
    if (listHub(unshared, compiled) !== actual) throw new Error("unshared stream objects change the listing");

    const decisions = f.streams.length + f.apps.length;
    const compiledSamples = await measure(() => listHub(f, compiled), { warmup: 20, iterations: 200 });
    const unsharedSamples = await measure(() => listHub(unshared, compiled), { warmup: 20, iterations: 200 });
    const naiveSamples = await measure(() => listHub(f, naive), {
      warmup: 1,
      iterations: 5,
      maxTimeMs: 15_000,
    });
    const extra = { streams: f.streams.length, apps: f.apps.length, rules: f.rules.length, readable: actual };
    return [
      {
        case: "listing, naive (re-parse per evaluation)",
        samplesMs: naiveSamples,
        opsPerIteration: decisions,
        opsUnit: "decisions",
        extra,
      },
      {
        case: "listing, compiled rule set",
        samplesMs: compiledSamples,
        opsPerIteration: decisions,
        opsUnit: "decisions",
        baseline: "listing, naive (re-parse per evaluation)",
        target: { metric: "p50Ms", max: LISTING_TARGET_P50_MS },
        extra,
      },
      {
        case: "listing, compiled, unshared stream objects",
        samplesMs: unsharedSamples,
        opsPerIteration: decisions,
        opsUnit: "decisions",
        baseline: "listing, naive (re-parse per evaluation)",
        target: { metric: "p50Ms", max: LISTING_TARGET_P50_MS },
        extra,
      },
      {
        case: "createRuleSet (200 rules)",
        samplesMs: compileSamples,
        opsPerIteration: 1,
        opsUnit: "rule sets",
      },
      ...(await matchesCases()),
    ];
  },
};
