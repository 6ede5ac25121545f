import { describe, expect, it } from "vitest";
import { defaultRules } from "./default-rules.js";
import { RuleSyntaxError } from "./errors.js";
import { validateRule } from "./validate-rule.js";

const good = { name: "R", resourceFilter: "App_*", actions: ["read"], condition: "", context: "hub" };

describe("validateRule", () => {
  it("accepts the default rules and a minimal rule", () => {
    for (const rule of defaultRules) expect(validateRule(rule)).toEqual([]);
    expect(validateRule(good)).toEqual([]);
    expect(validateRule({ ...good, disabled: true })).toEqual([]);
  });

  it("lists every problem with its field", () => {
    const issues = validateRule({
      name: "",
      resourceFilter: "Stream_*,",
      actions: ["read", "Fly", 3],
      condition: 'user.name = "x" and',
      context: "everywhere",
      disabled: "no",
      colour: "red",
    });
    expect(issues.map((i) => i.field)).toEqual([
      "colour",
      "name",
      "resourceFilter",
      "actions[1]",
      "actions[2]",
      "condition",
      "context",
      "disabled",
    ]);
    const condition = issues.find((i) => i.field === "condition")!;
    expect(condition.error).toBeInstanceOf(RuleSyntaxError);
    expect((condition.error as RuleSyntaxError).column).toBe(20);
  });

  it("rejects non-objects and empty action lists", () => {
    expect(validateRule(null).map((i) => i.field)).toEqual([""]);
    expect(validateRule([]).map((i) => i.field)).toEqual([""]);
    expect(validateRule({ ...good, actions: [] }).map((i) => i.field)).toEqual(["actions"]);
    expect(validateRule({ ...good, condition: undefined }).map((i) => i.field)).toEqual(["condition"]);
  });
});
