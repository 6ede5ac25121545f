import { describe, expect, it } from "vitest";
import { conditionTokens } from "./condition-tokens.js";

const shown = (source: string) =>
  conditionTokens(source)
    .filter((t) => t.kind !== "space")
    .map((t) => `${t.kind}:${t.text}`);

describe("condition highlighting", () => {
  it("colours properties, functions, strings, keywords and operators", () => {
    expect(shown('user.userDirectory = "NONE" and !user.IsAnonymous()')).toEqual([
      "property:user.userDirectory",
      "operator:=",
      'string:"NONE"',
      "keyword:and",
      "operator:!",
      "property:user",
      "operator:.",
      "function:IsAnonymous",
      "operator:(",
      "operator:)",
    ]);
  });

  it("ends a path before a call on it, and reads attributes and case-insensitive keywords", () => {
    expect(shown('resource.stream.HasPrivilege("read") OR user.@dept LIKE "f*"')).toEqual([
      "property:resource.stream",
      "operator:.",
      "function:HasPrivilege",
      "operator:(",
      'string:"read"',
      "operator:)",
      "keyword:OR",
      "property:user.@dept",
      "keyword:LIKE",
      'string:"f*"',
    ]);
  });

  it("keeps escapes and an unterminated string in one piece, and a name starting with a keyword a name", () => {
    expect(shown(String.raw`user.name == "a \"b\"" || user.order !== "x`)).toEqual([
      "property:user.name",
      "operator:==",
      String.raw`string:"a \"b\""`,
      "operator:||",
      "property:user.order",
      "operator:!==",
      'string:"x',
    ]);
  });

  it("reads a keyword before a parenthesis as the keyword, not a call", () => {
    expect(shown('a = "x" and (b = "y") or(c = "z")')).toEqual([
      "property:a",
      "operator:=",
      'string:"x"',
      "keyword:and",
      "operator:(",
      "property:b",
      "operator:=",
      'string:"y"',
      "operator:)",
      "keyword:or",
      "operator:(",
      "property:c",
      "operator:=",
      'string:"z"',
      "operator:)",
    ]);
  });

  it("always joins back to the source, whatever is typed", () => {
    for (const source of ["", "user.", "((a = ", 'x ~ "\\', "a\n  and\tb", "é = €", "user.-x"])
      expect(
        conditionTokens(source)
          .map((t) => t.text)
          .join(""),
      ).toBe(source);
  });
});
