import { describe, expect, it } from "vitest";
import { type ConditionInput, compileCondition } from "./compile-condition.js";
import { RuleSyntaxError } from "./errors.js";
import { parseCondition } from "./parse-condition.js";
import type { RuleResource, RuleUser } from "./types.js";

const jane: RuleUser = {
  userDirectory: "CORP",
  userId: "jdoe",
  name: "Jane Doe",
  email: "jdoe@corp.example",
  roles: ["Analyst", "ContentAdmin"],
  groups: ["Sales", "EMEA Team"],
  properties: { Region: "EMEA", dept: ["Sales", "Finance"] },
  environment: { ip: "10.0.0.7", browser: "Chrome", secureRequest: "true", Tenant: "acme" },
};
const anon: RuleUser = { userDirectory: "none", userId: "anonymous3f1" };
const stream: RuleResource = { type: "Stream", id: "s1", name: "Sales", properties: { region: "EMEA" } };
const app: RuleResource = {
  type: "App",
  id: "a1",
  name: "Quarterly Sales",
  published: true,
  stream,
  owner: { userDirectory: "CORP", userId: "jdoe", name: "Jane Doe" },
  properties: { classification: "internal" },
};
const sheet: RuleResource = { type: "App.Object", id: "o1", objectType: "sheet", published: "true", app };

function holds(src: string, input: Partial<ConditionInput> = {}): boolean {
  return compileCondition(src)({ user: jane, resource: app, ...input });
}

describe("compileCondition: comparisons", () => {
  it("= and != ignore case; == and !== respect it", () => {
    expect(holds('user.name = "jane doe"')).toBe(true);
    expect(holds('user.name != "JANE DOE"')).toBe(false);
    expect(holds('user.name == "jane doe"')).toBe(false);
    expect(holds('user.name == "Jane Doe"')).toBe(true);
    expect(holds('user.name !== "jane doe"')).toBe(true);
    expect(holds('user.name !== "Jane Doe"')).toBe(false);
    expect(holds('user.name = "Jane"')).toBe(false);
  });

  it("like matches the whole string, ignoring case, with * and ?", () => {
    expect(holds('resource.name like "quarterly*"')).toBe(true);
    expect(holds('resource.name like "*SALES"')).toBe(true);
    expect(holds('resource.name like "Quarterly"')).toBe(false);
    expect(holds('resource.name like "Quarterly?Sales"')).toBe(true);
    expect(holds('resource.name like "Quarterly??Sales"')).toBe(false);
    expect(holds('resource.name like "quarterly sales"')).toBe(true);
    expect(holds('user.email like "*.example"')).toBe(true);
    // Regex characters in a like pattern are literal.
    expect(holds('user.email like "jdoe@corp.exampl."')).toBe(false);
    expect(holds('user.environment.ip like "10.0.0.*"')).toBe(true);
    for (const [pattern, value, expected] of [
      ["ab*", "ABC", true],
      ["ab*", "ab", true],
      ["ab*", "a", false],
      ["ab*", "xab", false],
      ["*bc", "ABC", true],
      ["*bc", "bc", true],
      ["*bc", "bcd", false],
      ["*b*", "abc", true],
      ["*b*", "ac", false],
      ["a*c", "abbc", true],
      ["é*", "Éclair", true],
    ] as const) {
      expect(
        holds(`user.name like "${pattern}"`, { user: { ...jane, name: value } }),
        `${value} like ${pattern}`,
      ).toBe(expected);
    }
    expect(holds('user.name like "Jane-*"', { user: { ...jane, name: "jane-doe" } })).toBe(true);
    expect(holds('user.name like "[a-z]*"', { user: { ...jane, name: "[A-Z] team" } })).toBe(true);
    expect(holds('user.name like "*\\*"', { user: { ...jane, name: "a\\b" } })).toBe(true);
  });

  it("matches is a case-sensitive regular expression over the whole string", () => {
    expect(holds('resource.name matches "Quarterly\\s\\w+"')).toBe(true);
    expect(holds('resource.name matches "quarterly.*"')).toBe(false);
    expect(holds('resource.name matches "Quarterly"')).toBe(false);
    expect(holds('resource.name matches "Q.*|nothing"')).toBe(true);
    expect(holds('resource.name matches "nothing|.*Sales"')).toBe(true);
  });

  it("a multi-valued property satisfies =, ==, like, matches when any value does; != and !== negate", () => {
    expect(holds('user.roles = "contentadmin"')).toBe(true);
    expect(holds('user.roles != "contentadmin"')).toBe(false);
    expect(holds('user.roles != "RootAdmin"')).toBe(true);
    expect(holds('user.roles == "contentadmin"')).toBe(false);
    expect(holds('user.roles !== "contentadmin"')).toBe(true);
    expect(holds('user.groups like "EMEA*"')).toBe(true);
    expect(holds('user.groups matches "E.* Team"')).toBe(true);
    expect(holds('user.@dept = "finance"')).toBe(true);
    expect(holds('user.@dept != "finance"')).toBe(false);
  });

  it('a missing property equals nothing, even like "*"', () => {
    const bare: RuleUser = { userDirectory: "CORP", userId: "x" };
    expect(holds('user.email like "*"', { user: bare })).toBe(false);
    expect(holds('user.email = ""', { user: bare })).toBe(false);
    expect(holds('user.email != "a"', { user: bare })).toBe(true);
    expect(holds('user.roles = "RootAdmin"', { user: bare })).toBe(false);
    expect(holds('user.roles like "*"', { user: { ...bare, roles: [] } })).toBe(false);
    expect(holds('user.@missing matches ".*"', { user: bare })).toBe(false);
    expect(holds('resource.stream.name = "Sales"', { resource: { type: "App", id: "x" } })).toBe(false);
    expect(holds('user.email like "*"')).toBe(true);
  });

  it("compares two paths value by value", () => {
    expect(holds("resource.owner.userId = user.userId")).toBe(true);
    expect(holds("resource.owner.name == user.name and resource.stream.@region = user.@region")).toBe(true);
    expect(holds("user.@dept = user.groups")).toBe(true);
    expect(holds("user.@dept == user.roles")).toBe(false);
    expect(holds('"SALES" = resource.stream.name')).toBe(true);
  });

  it("reads resource properties: resourcetype, published, objectType, linked app and stream, @attributes", () => {
    const on = (src: string) => holds(src, { resource: sheet });
    expect(on('resource.resourcetype = "app.object"')).toBe(true);
    expect(on('resource.published = "TRUE"')).toBe(true);
    expect(on('resource.objectType = "sheet"')).toBe(true);
    expect(on('resource.app.name = "quarterly sales"')).toBe(true);
    expect(on('resource.app.stream.name = "Sales"')).toBe(true);
    expect(on('resource.app.@CLASSIFICATION = "internal"')).toBe(true);
    expect(on('resource.app.published = "true"')).toBe(true);
    expect(on('resource.app.stream.@region = "EMEA"')).toBe(true);
  });

  it("reads user.@attr and user.environment.* case-insensitively; environment.context falls back to the request context", () => {
    expect(holds('user.@region = "emea"')).toBe(true);
    expect(holds('user.environment.browser = "chrome"')).toBe(true);
    expect(holds('user.environment.SecureRequest = "true"')).toBe(true);
    expect(holds('user.environment.tenant == "acme"')).toBe(true);
    expect(holds('user.environment.os = "Linux"')).toBe(false);
    expect(holds('user.environment.context = "hub"', { context: "hub" })).toBe(true);
    expect(holds('user.environment.context = "hub"', { context: "qmc" })).toBe(false);
  });
});

describe("compileCondition: logic", () => {
  it("evaluates A or B and C as A or (B and C)", () => {
    const T = 'user.name = "Jane Doe"';
    const F = 'user.name = "nobody"';
    expect(holds(`${T} or ${F} and ${F}`)).toBe(true);
    expect(holds(`(${T} or ${F}) and ${F}`)).toBe(false);
    expect(holds(`!${T} and ${F} or ${T}`)).toBe(true);
    expect(holds(`!(${T} or ${F})`)).toBe(false);
    expect(holds(`!!${T}`)).toBe(true);
    expect(holds(`${F} || ${F} || ${T} && ${T} && ${T}`)).toBe(true);
  });

  it("an empty condition always holds", () => {
    expect(holds("")).toBe(true);
    expect(holds("   ", { user: anon })).toBe(true);
  });
});

describe("compileCondition: functions", () => {
  it("IsAnonymous holds for the NONE directory in any case", () => {
    expect(holds("user.IsAnonymous()", { user: anon })).toBe(true);
    expect(holds("user.IsAnonymous()", { user: { userDirectory: "NONE", userId: "a" } })).toBe(true);
    expect(holds("user.IsAnonymous()")).toBe(false);
    expect(holds("!user.isanonymous()")).toBe(true);
    expect(holds("resource.owner.IsAnonymous()")).toBe(false);
  });

  it("Empty holds for a missing value, an empty list, an empty string or a missing linked resource", () => {
    expect(holds("resource.stream.Empty()")).toBe(false);
    expect(holds("resource.stream.Empty()", { resource: { type: "App", id: "x" } })).toBe(true);
    expect(holds("user.roles.Empty()")).toBe(false);
    expect(holds("user.roles.Empty()", { user: { ...jane, roles: [] } })).toBe(true);
    expect(holds("user.email.Empty()", { user: { ...jane, email: "" } })).toBe(true);
    expect(holds("user.@nothing.Empty()")).toBe(true);
    expect(holds("resource.owner.Empty()")).toBe(false);
  });

  it("IsOwned holds when the resource has an owner", () => {
    expect(holds("resource.IsOwned()")).toBe(true);
    expect(holds("resource.stream.IsOwned()")).toBe(false);
    expect(holds("resource.app.IsOwned()", { resource: sheet })).toBe(true);
  });

  it("HasPrivilege asks the input's resolver for the linked resource, and is false without one", () => {
    const asked: [string, string][] = [];
    const hasPrivilege = (action: string, r: RuleResource) => {
      asked.push([action, r.id]);
      return r.id === "s1";
    };
    expect(holds('resource.stream.HasPrivilege("READ")', { hasPrivilege })).toBe(true);
    expect(holds('resource.HasPrivilege("update")', { hasPrivilege })).toBe(false);
    expect(holds('resource.app.stream.HasPrivilege("read")', { resource: sheet, hasPrivilege })).toBe(true);
    expect(asked).toEqual([
      ["read", "s1"],
      ["update", "a1"],
      ["read", "s1"],
    ]);
    // Standalone: no rules, no privilege.
    expect(holds('resource.stream.HasPrivilege("read")')).toBe(false);
    // No linked resource: false without asking.
    expect(
      holds('resource.stream.HasPrivilege("read")', { resource: { type: "App", id: "x" }, hasPrivilege }),
    ).toBe(false);
    expect(asked).toHaveLength(3);
  });
});

describe("compileCondition: the compiled closure", () => {
  it("works without a resource (licence rules)", () => {
    const c = compileCondition('user.IsAnonymous() or user.userDirectory = "NONE"');
    expect(c({ user: anon })).toBe(true);
    expect(c({ user: jane })).toBe(false);
    expect(compileCondition('resource.name = "x"')({ user: jane })).toBe(false);
  });

  it("exposes source and tree, and compiles a tree from parseCondition", () => {
    const c = compileCondition('user.name = "Jane Doe"');
    expect(c.source).toBe('user.name = "Jane Doe"');
    expect(c.ast.kind).toBe("compare");
    expect(compileCondition(parseCondition('user.name = "x"'))({ user: { ...jane, name: "X" } })).toBe(true);
  });

  it("throws RuleSyntaxError at compile time, never at evaluation", () => {
    expect(() => compileCondition('user.name matches "[a-"')).toThrow(RuleSyntaxError);
    expect(() => compileCondition("user.Nope()")).toThrow(RuleSyntaxError);
  });
});
