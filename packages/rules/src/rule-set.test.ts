import { describe, expect, it } from "vitest";
import { defaultRules } from "./default-rules.js";
import { RuleSyntaxError, RulesError } from "./errors.js";
import { createRuleSet } from "./rule-set.js";
import type { RuleResource, RuleUser, SecurityRule } from "./types.js";

const anon: RuleUser = { userDirectory: "NONE", userId: "anonymous6f0c" };
const jane: RuleUser = { userDirectory: "CORP", userId: "jdoe", roles: ["Analyst"], groups: ["Sales"] };
const root: RuleUser = { userDirectory: "CORP", userId: "admin", roles: ["RootAdmin"] };
const everyone: RuleResource = { type: "Stream", id: "everyone", name: "Everyone" };
const sales: RuleResource = { type: "Stream", id: "sales", name: "Sales" };
const publicApp: RuleResource = { type: "App", id: "a1", stream: everyone, published: true };
const salesApp: RuleResource = { type: "App", id: "a2", stream: sales, published: true };
const unpublished: RuleResource = { type: "App", id: "a3" };
const sheet: RuleResource = { type: "App.Object", id: "o1", published: true, app: publicApp };
const privateSheet: RuleResource = { type: "App.Object", id: "o2", published: false, app: publicApp };

describe("createRuleSet with the default rules", () => {
  const rules = createRuleSet(defaultRules);

  it("lets anonymous users read the everyone stream and its apps in the hub only", () => {
    expect(rules.can(anon, "read", everyone, "hub")).toBe(true);
    expect(rules.can(anon, "read", everyone, "qmc")).toBe(false);
    expect(rules.can(anon, "publish", everyone, "hub")).toBe(false);
    expect(rules.can(anon, "read", publicApp, "hub")).toBe(true);
    expect(rules.can(anon, "read", salesApp, "hub")).toBe(false);
    expect(rules.can(anon, "read", unpublished, "hub")).toBe(false);
    expect(rules.can(anon, "update", publicApp, "hub")).toBe(false);
  });

  it("reads published app objects through the app's stream", () => {
    expect(rules.can(anon, "read", sheet, "hub")).toBe(true);
    expect(rules.can(anon, "read", privateSheet, "hub")).toBe(false);
    expect(rules.can(anon, "read", { type: "App.Object", id: "o3", published: true }, "hub")).toBe(false);
  });

  it("lets named users read and publish to everyone, and RootAdmin do anything anywhere", () => {
    expect(rules.can(jane, "read", everyone, "qmc")).toBe(true);
    expect(rules.can(jane, "publish", everyone, "hub")).toBe(true);
    expect(rules.can(jane, "read", sales, "hub")).toBe(false);
    expect(rules.can(root, "delete", sales, "qmc")).toBe(true);
    expect(rules.can(root, "approve", { type: "User", id: "u" }, "hub")).toBe(true);
  });

  it("rejects bad arguments with TypeError", () => {
    expect(() => rules.can(jane, "fly" as "read", sales, "hub")).toThrow(TypeError);
    expect(() => rules.can(jane, "read", sales, "both" as "hub")).toThrow(TypeError);
    expect(() => rules.can(jane, "read", { type: "Stream" } as RuleResource, "hub")).toThrow(TypeError);
  });
});

describe("createRuleSet semantics", () => {
  const rule = (over: Partial<SecurityRule>): SecurityRule => ({
    name: "R",
    resourceFilter: "Stream_*",
    actions: ["read"],
    condition: "",
    context: "both",
    ...over,
  });

  it("denies by default and allows when any one enabled rule matches", () => {
    expect(createRuleSet([]).can(jane, "read", sales, "hub")).toBe(false);
    const set = createRuleSet([
      rule({ name: "no", condition: 'user.groups = "Finance"' }),
      rule({ name: "yes", condition: 'user.groups = "sales"' }),
    ]);
    expect(set.can(jane, "read", sales, "hub")).toBe(true);
  });

  it("skips disabled rules, other actions, other contexts and other resources", () => {
    expect(createRuleSet([rule({ disabled: true })]).can(jane, "read", sales, "hub")).toBe(false);
    expect(createRuleSet([rule({ actions: ["update"] })]).can(jane, "read", sales, "hub")).toBe(false);
    expect(createRuleSet([rule({ context: "qmc" })]).can(jane, "read", sales, "hub")).toBe(false);
    expect(createRuleSet([rule({ context: "qmc" })]).can(jane, "read", sales, "qmc")).toBe(true);
    expect(createRuleSet([rule({ resourceFilter: "App_*" })]).can(jane, "read", sales, "hub")).toBe(false);
    const one = createRuleSet([rule({ resourceFilter: "Stream_SALES, App_a1" })]);
    expect(one.can(jane, "read", sales, "hub")).toBe(true);
    expect(one.can(jane, "read", everyone, "hub")).toBe(false);
    expect(one.can(jane, "read", publicApp, "hub")).toBe(true);
    const some = createRuleSet([rule({ resourceFilter: "Stream_s*" })]);
    expect(some.can(jane, "read", sales, "hub")).toBe(true);
    expect(some.can(jane, "read", everyone, "hub")).toBe(false);
  });

  it("evaluates HasPrivilege with the same user and context", () => {
    const set = createRuleSet([
      rule({
        name: "stream",
        resourceFilter: "Stream_*",
        context: "hub",
        condition: 'user.groups = "Sales"',
      }),
      rule({ name: "apps", resourceFilter: "App_*", condition: 'resource.stream.HasPrivilege("read")' }),
    ]);
    expect(set.can(jane, "read", salesApp, "hub")).toBe(true);
    expect(set.can(jane, "read", salesApp, "qmc")).toBe(false);
    expect(set.can(anon, "read", salesApp, "hub")).toBe(false);
  });

  it("memoises per user object, so a changed user is a new object with its own answers", () => {
    const set = createRuleSet([
      rule({ name: "stream", condition: 'user.groups = "Sales"' }),
      rule({ name: "apps", resourceFilter: "App_*", condition: 'resource.stream.HasPrivilege("read")' }),
    ]);
    const before: RuleUser = { userDirectory: "CORP", userId: "x", groups: [] };
    const after: RuleUser = { ...before, groups: ["Sales"] };
    expect(set.can(before, "read", salesApp, "hub")).toBe(false);
    expect(set.can(after, "read", salesApp, "hub")).toBe(true);
    expect(set.can(before, "read", salesApp, "hub")).toBe(false);
  });

  it("decides a linked resource once per user, context, type and id, however many objects carry it", () => {
    let reads = 0;
    const copy = (): RuleResource => ({
      type: "Stream",
      id: "sales",
      get name() {
        reads++;
        return "Sales";
      },
    });
    const set = createRuleSet([
      rule({ name: "stream", condition: 'resource.name = "Sales"' }),
      rule({ name: "apps", resourceFilter: "App_*", condition: 'resource.stream.HasPrivilege("read")' }),
    ]);
    const apps = [1, 2, 3].map((n): RuleResource => ({ type: "App", id: `a${n}`, stream: copy() }));
    for (const app of apps) expect(set.can(jane, "read", app, "hub")).toBe(true);
    expect(reads).toBe(1);
    // Another context and another user object decide again.
    expect(set.can(jane, "read", apps[0]!, "qmc")).toBe(true);
    expect(set.can({ ...jane }, "read", apps[0]!, "hub")).toBe(true);
    expect(reads).toBe(3);
  });

  it("reports a HasPrivilege cycle as RULE_CYCLE instead of hanging", () => {
    const self = createRuleSet([rule({ condition: 'resource.HasPrivilege("read")' })]);
    expect(() => self.can(jane, "read", sales, "hub")).toThrow(
      expect.objectContaining({ code: "RULE_CYCLE", name: "RulesError" }),
    );
    const mutual = createRuleSet([
      rule({ name: "a", resourceFilter: "App_*", condition: 'resource.HasPrivilege("update")' }),
      rule({
        name: "b",
        resourceFilter: "App_*",
        actions: ["update"],
        condition: 'resource.HasPrivilege("read")',
      }),
    ]);
    let error: unknown;
    try {
      mutual.can(jane, "read", salesApp, "hub");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RulesError);
    expect((error as RulesError).code).toBe("RULE_CYCLE");
    expect((error as RulesError).message).toContain("App_a2 -> App_a2");
    // A cyclic object graph cannot recurse forever either.
    const loop: RuleResource = { type: "Stream", id: "loop" };
    loop.stream = loop;
    const graph = createRuleSet([rule({ condition: 'resource.stream.HasPrivilege("read")' })]);
    expect(() => graph.can(jane, "read", loop, "hub")).toThrow(/cycle/);
    // The rule set is still usable after a cycle error.
    expect(createRuleSet(defaultRules).can(anon, "read", everyone, "hub")).toBe(true);
    expect(() => self.can(jane, "read", sales, "hub")).toThrow(/cycle/);
  });

  it("throws for the first invalid rule with its name and field", () => {
    let error: unknown;
    try {
      createRuleSet([rule({}), rule({ name: "Broken", condition: 'user.name = "x" or' })]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RuleSyntaxError);
    expect(error).toMatchObject({ ruleName: "Broken", field: "condition", line: 1, column: 19 });
    expect(() => createRuleSet([rule({ actions: ["fly" as "read"] })])).toThrow(
      expect.objectContaining({ code: "RULE_INVALID", field: "actions[0]" }),
    );
    expect(() => createRuleSet([rule({ resourceFilter: "" })])).toThrow(/resourceFilter/);
  });
});

describe("explain", () => {
  const rules = createRuleSet(defaultRules);

  it("gives every rule's verdict and the sub-expression that made a condition false", () => {
    const e = rules.explain(anon, "read", salesApp, "hub");
    expect(e.allowed).toBe(false);
    expect(e.rules.map((r) => r.name)).toEqual([
      "Stream",
      "StreamEveryone",
      "StreamEveryoneAnonymous",
      "RootAdmin",
    ]);
    const stream = e.rules[0]!;
    expect(stream).toMatchObject({
      filter: true,
      action: true,
      context: true,
      condition: false,
      applies: false,
    });
    expect(stream.falseBecause).toMatchObject({
      text: 'resource.stream.HasPrivilege("read")',
      line: 1,
      column: 36,
    });
    expect(e.rules[1]).toMatchObject({ filter: false, condition: undefined });
    expect(e.rules[1]!.reason).toContain("does not match App_a2");
    expect(e.rules[3]!.falseBecause?.text).toBe('user.roles = "RootAdmin"');
  });

  it("points into the branch of an or that came nearest to holding", () => {
    const e = rules.explain(anon, "read", privateSheet, "hub");
    expect(e.rules[0]!.falseBecause?.text).toBe('resource.published = "true"');
  });

  it("agrees with can and names the rule that applies", () => {
    const e = rules.explain(anon, "read", everyone, "hub");
    expect(e.allowed).toBe(rules.can(anon, "read", everyone, "hub"));
    expect(e.rules.filter((r) => r.applies).map((r) => r.name)).toEqual(["StreamEveryoneAnonymous"]);
    const qmc = rules.explain(anon, "read", everyone, "qmc");
    expect(qmc.allowed).toBe(false);
    expect(qmc.rules[2]).toMatchObject({ context: false, reason: "the rule applies in hub, not qmc" });
    expect(qmc.rules[1]!.falseBecause?.text).toBe("!user.IsAnonymous()");
  });

  it("reports a HasPrivilege cycle on the rule instead of throwing", () => {
    const set = createRuleSet([
      {
        name: "Loop",
        resourceFilter: "Stream_*",
        actions: ["read"],
        condition: 'resource.HasPrivilege("read")',
        context: "both",
      },
      defaultRules[3]!,
    ]);
    const e = set.explain(root, "read", sales, "hub");
    expect(e.allowed).toBe(true);
    expect(e.rules[0]).toMatchObject({ applies: false, condition: false, error: { code: "RULE_CYCLE" } });
    expect(e.rules[0]!.reason).toMatch(/could not be evaluated: HasPrivilege cycle/);
  });

  it("marks disabled rules", () => {
    const set = createRuleSet([{ ...defaultRules[3]!, disabled: true }]);
    const e = set.explain(root, "read", sales, "hub");
    expect(e.allowed).toBe(false);
    expect(e.rules[0]).toMatchObject({ disabled: true, reason: "the rule is disabled", applies: false });
  });
});
