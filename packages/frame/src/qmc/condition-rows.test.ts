import { describe, expect, it } from "vitest";
import { conditionOf, rowsOf } from "./condition-rows.js";

describe("basic condition rows", () => {
  it("writes the modelled hub's basic rule: user userDirectory = NONE", () => {
    expect(conditionOf([{ property: "userDirectory", operator: "=", value: "NONE" }])).toBe(
      'user.userDirectory = "NONE"',
    );
  });

  it("joins rows with and, skips empty values, escapes quotes", () => {
    expect(
      conditionOf([
        { property: "roles", operator: "=", value: "Partner" },
        { property: "email", operator: "like", value: "" },
        { property: "name", operator: "!=", value: 'say "hi"' },
      ]),
    ).toBe('user.roles = "Partner" and user.name != "say \\"hi\\""');
  });

  it("writes user.IsAnonymous() for its row, whatever the operator and value, and joins it with the others", () => {
    expect(
      conditionOf([
        { property: "IsAnonymous()", operator: "=", value: "" },
        { property: "groups", operator: "=", value: "library" },
      ]),
    ).toBe('user.IsAnonymous() and user.groups = "library"');
  });

  it("reads back what it writes; anything else belongs to the advanced field", () => {
    const rows = [
      { property: "userDirectory", operator: "=", value: "NONE" },
      { property: "groups", operator: "like", value: 'a"b*' },
    ];
    expect(rowsOf(conditionOf(rows))).toEqual(rows);
    expect(rowsOf("")).toEqual([]);
    expect(rowsOf("user.IsAnonymous()")).toEqual([{ property: "IsAnonymous()", operator: "=", value: "" }]);
    expect(rowsOf('user.IsAnonymous() or user.roles = "x"')).toBeUndefined();
    expect(rowsOf('user.userDirectory = "NONE" or user.roles = "x"')).toBeUndefined();
    expect(rowsOf('resource.name = "x"')).toBeUndefined();
  });
});
