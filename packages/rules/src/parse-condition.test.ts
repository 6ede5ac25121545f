import { describe, expect, it } from "vitest";
import type { LogicalNode } from "./ast.js";
import { RuleSyntaxError, RulesError } from "./errors.js";
import { parseCondition } from "./parse-condition.js";
import { printCondition } from "./print-condition.js";

const canonical = (src: string) => printCondition(parseCondition(src));

function syntaxError(src: string): RuleSyntaxError {
  try {
    parseCondition(src);
  } catch (e) {
    expect(e).toBeInstanceOf(RuleSyntaxError);
    expect(e).toBeInstanceOf(RulesError);
    return e as RuleSyntaxError;
  }
  throw new Error(`expected a syntax error for ${src}`);
}

describe("parseCondition", () => {
  it("parses an empty or blank condition to always", () => {
    expect(parseCondition("").kind).toBe("always");
    expect(parseCondition("  \n\t ").kind).toBe("always");
  });

  it("binds NOT tighter than AND, and AND tighter than OR", () => {
    const ast = parseCondition('user.name = "a" or user.name = "b" and user.name = "c"');
    expect(ast.kind).toBe("or");
    const or = ast as LogicalNode;
    expect(or.operands.map((o) => o.kind)).toEqual(["compare", "and"]);
    expect(canonical('!user.name = "a" and user.name = "b"')).toBe('!user.name = "a" and user.name = "b"');
    const not = parseCondition('!user.name = "a" and user.name = "b"');
    expect(not.kind).toBe("and");
    expect(canonical('user.name = "a" and (user.name = "b" or user.name = "c")')).toBe(
      'user.name = "a" and (user.name = "b" or user.name = "c")',
    );
  });

  it("accepts keywords in any case and the symbolic operators", () => {
    const forms = [
      'user.name = "a" OR user.name = "b" AnD user.name = "c"',
      'user.name = "a" || user.name = "b" && user.name = "c"',
      'user.name = "a" or user.name = "b" and user.name = "c"',
    ];
    const printed = forms.map(canonical);
    expect(new Set(printed).size).toBe(1);
    expect(canonical('user.name LIKE "a*" and user.name Matches "a.*"')).toBe(
      'user.name like "a*" and user.name matches "a.*"',
    );
  });

  it("treats property and function names as case-insensitive and keeps canonical spellings", () => {
    expect(canonical('USER.USERDIRECTORY = "NONE" and Resource.ResourceType = "App"')).toBe(
      'user.userDirectory = "NONE" and resource.resourcetype = "App"',
    );
    expect(canonical('user.isanonymous() and RESOURCE.STREAM.hasprivilege("READ")')).toBe(
      'user.IsAnonymous() and resource.stream.HasPrivilege("read")',
    );
    expect(canonical('user.environment.SECUREREQUEST = "true"')).toBe(
      'user.environment.secureRequest = "true"',
    );
  });

  it("parses every comparison operator, paths on both sides, @ attributes and linked resources", () => {
    for (const op of ["=", "!=", "==", "!==", "like", "matches"]) {
      expect(canonical(`resource.app.stream.@region ${op} "x"`)).toBe(
        `resource.app.stream.@region ${op} "x"`,
      );
    }
    expect(canonical("resource.owner.userId = user.userId")).toBe("resource.owner.userId = user.userId");
    expect(canonical('resource.objectType = "sheet" and resource.published = "true"')).toBe(
      'resource.objectType = "sheet" and resource.published = "true"',
    );
  });

  it("reads backslash escapes only before a quote or a backslash", () => {
    const ast = parseCondition('user.name = "\\d+\\"\\\\"');
    expect(ast.kind === "compare" && ast.right.kind === "string" && ast.right.value).toBe('\\d+"\\');
  });

  it("reports line, column, offset and a caret excerpt", () => {
    const e = syntaxError('user.name = "a" and\n  user.name.x = "b"');
    expect(e.code).toBe("RULE_SYNTAX");
    expect([e.line, e.column, e.offset]).toEqual([2, 13, 32]);
    expect(e.excerpt).toBe('  user.name.x = "b"\n            ^');
    expect(e.message).toContain("line 2, column 13");
    expect(e.message).toContain(e.excerpt);
  });

  it.each([
    ['user.name = "a" garbage', 1, 17, /Expected/],
    ['user.name = "unterminated', 1, 13, /unterminated string/],
    ['user.name = "a" and', 1, 20, /Expected/],
    ['foo.name = "a"', 1, 1, /unknown property root "foo"/],
    ["resource.owner like user", 1, 1, /like compares text; a user compares with = or !=/],
    ["user = resource.stream", 1, 8, /resource.stream is a resource, not a value/],
    ["resource.owner = user.environment", 1, 18, /user.environment is a set of environment values/],
    ["user.Frobnicate()", 1, 6, /unknown function "Frobnicate\(\)"/],
    ['user.IsAnonymous("x")', 1, 18, /takes no arguments, got 1/],
    ["resource.stream.HasPrivilege()", 1, 17, /takes 1 argument, got 0/],
    ['resource.HasPrivilege("read", "update")', 1, 31, /takes 1 argument, got 2/],
    ['resource.HasPrivilege("fly")', 1, 23, /unknown action "fly"/],
    ["resource.HasPrivilege(user.name)", 1, 23, /must be a string/],
    ['user.HasPrivilege("read")', 1, 6, /applies to a resource/],
    ["resource.IsAnonymous()", 1, 10, /applies to a user/],
    ["user.name.IsOwned()", 1, 11, /applies to a resource/],
    ["IsAnonymous()", 1, 1, /needs a target/],
    ['resource.stream = "x"', 1, 1, /resource.stream is a resource/],
    ['user.environment = "x"', 1, 1, /not a value/],
    ['user.name.first = "x"', 1, 11, /cannot follow a value/],
    ['user.name matches "(a"', 1, 19, /invalid regular expression/],
    // What the linear-time engine cannot run is pointed at inside the pattern, escapes counted.
    ['user.name matches "a(?=b)"', 1, 21, /lookahead \(\?=…\) is not supported/],
    ['user.name matches "\\"(?<!x)"', 1, 22, /negative lookbehind/],
    ['user.name = "x" and\n  user.userId matches "\\d(a)\\1"', 2, 29, /backreferences/],
    ['user.name matches "a{2000}"', 1, 21, /repetition count above 1000/],
    ["user.name like user.email", 1, 16, /pattern of like must be a string/],
    ["user.name", 1, 10, /Expected/],
    ['(user.name = "a"', 1, 17, /Expected/],
  ])("rejects %j at %i:%i", (src, line, column, message) => {
    const e = syntaxError(src);
    expect(e.reason).toMatch(message);
    expect([e.line, e.column]).toEqual([line, column]);
  });

  it("rejects absurd nesting with a syntax error instead of exhausting the stack", () => {
    const leaf = 'user.name = "a"';
    // Parentheses leave no node behind, so only the parser's own stack limits them.
    expect(parseCondition("(".repeat(200) + leaf + ")".repeat(200)).kind).toBe("compare");
    expect(parseCondition("!".repeat(100) + leaf).kind).toBe("not");
    for (const src of [
      "!".repeat(101) + leaf,
      "!(".repeat(101) + leaf + ")".repeat(101),
      "(".repeat(20_000) + leaf + ")".repeat(20_000),
      "!(".repeat(20_000),
    ]) {
      expect(syntaxError(src).reason).toMatch(/more than 100 levels deep|Expected/);
    }
  });

  it("throws TypeError for a non-string condition", () => {
    expect(() => parseCondition(42 as unknown as string)).toThrow(TypeError);
  });
});
