// Property-based tests (fast-check): printing round-trips, precedence equivalences, negation of
// comparisons, and parsing arbitrary text never throws anything but RuleSyntaxError.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CompareOperator, ConditionNode, OperandNode, PathNode, PathSegment } from "./ast.js";
import { compileCondition } from "./compile-condition.js";
import { RuleSyntaxError } from "./errors.js";
import { parseCondition } from "./parse-condition.js";
import { printCondition } from "./print-condition.js";
import { canonicalEnvironmentName } from "./schema.js";
import type { RuleUser } from "./types.js";

const at = { start: 0, end: 0 };

/** The tree without source positions, for structural comparison. */
function withoutLoc(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLoc);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== "loc")
        .map(([k, v]) => [k, withoutLoc(v)]),
    );
  }
  return value;
}

const prop = (name: string): PathSegment => ({ kind: "property", name, loc: at });
const attrName = fc.stringMatching(/^[A-Za-z0-9_-]{1,8}$/);
const envName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,7}$/).map(canonicalEnvironmentName);
const userValue = fc.oneof(
  fc.constantFrom("name", "userId", "userDirectory", "roles", "groups", "email").map((n) => [prop(n)]),
  attrName.map((n): PathSegment[] => [{ kind: "attribute", name: n, loc: at }]),
  envName.map((n) => [prop("environment"), prop(n)]),
);
const resourceValue = fc.oneof(
  fc.constantFrom("id", "name", "resourcetype", "published", "objectType").map((n) => [prop(n)]),
  attrName.map((n): PathSegment[] => [{ kind: "attribute", name: n, loc: at }]),
);
const link = fc.constantFrom<PathSegment[][]>(
  [],
  [prop("stream")],
  [prop("app")],
  [prop("app"), prop("stream")],
);
const valuePath: fc.Arbitrary<PathNode> = fc.oneof(
  userValue.map((segments): PathNode => ({ kind: "path", root: "user", segments, loc: at })),
  fc
    .tuple(link, resourceValue)
    .map(([l, v]): PathNode => ({ kind: "path", root: "resource", segments: [...l, ...v], loc: at })),
  fc.tuple(link, userValue).map(
    ([l, v]): PathNode => ({
      kind: "path",
      root: "resource",
      segments: [...l, prop("owner"), ...v],
      loc: at,
    }),
  ),
);
const text = fc.string({ unit: "grapheme", maxLength: 10 }).filter((s) => !/[\r\n]/.test(s));
const literal = text.map((value): OperandNode => ({ kind: "string", value, loc: at }));
const regexLiteral = fc
  .constantFrom("a.*", "\\d+", "x|y", "[A-Z]{2}", "(ab)?c", ".*\\.example")
  .map((value): OperandNode => ({ kind: "string", value, loc: at }));

const compare: fc.Arbitrary<ConditionNode> = fc.oneof(
  fc
    .tuple(fc.constantFrom<CompareOperator>("=", "!=", "==", "!=="), valuePath, fc.oneof(literal, valuePath))
    .map(([op, left, right]): ConditionNode => ({ kind: "compare", op, left, right, loc: at })),
  fc
    .tuple(valuePath, literal)
    .map(([left, right]): ConditionNode => ({ kind: "compare", op: "like", left, right, loc: at })),
  fc
    .tuple(valuePath, regexLiteral)
    .map(([left, right]): ConditionNode => ({ kind: "compare", op: "matches", left, right, loc: at })),
);
const resourcePath = link.map(
  (segments): PathNode => ({ kind: "path", root: "resource", segments, loc: at }),
);
const call: fc.Arbitrary<ConditionNode> = fc.oneof(
  fc.constant<ConditionNode>({
    kind: "call",
    target: { kind: "path", root: "user", segments: [], loc: at },
    name: "IsAnonymous",
    args: [],
    loc: at,
  }),
  fc.tuple(resourcePath, fc.constantFrom("read", "update", "exportdata")).map(
    ([target, action]): ConditionNode => ({
      kind: "call",
      target,
      name: "HasPrivilege",
      args: [{ kind: "string", value: action, loc: at }],
      loc: at,
    }),
  ),
  resourcePath.map((target): ConditionNode => ({ kind: "call", target, name: "IsOwned", args: [], loc: at })),
  valuePath.map((target): ConditionNode => ({ kind: "call", target, name: "Empty", args: [], loc: at })),
);

const { condition } = fc.letrec<{ condition: ConditionNode }>((tie) => ({
  condition: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    compare,
    call,
    tie("condition").map((operand): ConditionNode => ({ kind: "not", operand, loc: at })),
    fc
      .tuple(
        fc.constantFrom<"and" | "or">("and", "or"),
        fc.array(tie("condition"), { minLength: 2, maxLength: 3 }),
      )
      .map(([kind, operands]): ConditionNode => ({ kind, operands, loc: at })),
  ),
}));

describe("printCondition", () => {
  it("round-trips: parse(print(ast)) equals ast, positions aside", () => {
    fc.assert(
      fc.property(condition, (ast) => {
        expect(withoutLoc(parseCondition(printCondition(ast)))).toEqual(withoutLoc(ast));
      }),
      { numRuns: 500 },
    );
  });

  it("round-trips through the source a person wrote", () => {
    const src = 'USER.roles = "a" || !(resource.app.stream.@X like "*\\"*" AND user.IsAnonymous())';
    const ast = parseCondition(src);
    expect(withoutLoc(parseCondition(printCondition(ast)))).toEqual(withoutLoc(ast));
  });
});

// Users drawn from a small alphabet so that comparisons hold often enough to matter.
const word = fc.constantFrom("a", "A", "b", "ab", "");
const user: fc.Arbitrary<RuleUser> = fc.record(
  {
    userDirectory: fc.constantFrom("NONE", "none", "CORP"),
    userId: word,
    name: word,
    roles: fc.array(word, { maxLength: 3 }),
    properties: fc.dictionary(fc.constantFrom("x", "y"), fc.oneof(word, fc.array(word, { maxLength: 2 }))),
  },
  { requiredKeys: ["userDirectory", "userId"] },
);
const atom = fc.oneof(
  fc
    .tuple(
      fc.constantFrom("user.name", "user.roles", "user.@x", "user.@y", "user.userId"),
      fc.constantFrom("=", "!=", "==", "!==", "like"),
      fc.constantFrom('"a"', '"A"', '"a*"', '"?"', '""'),
    )
    .map((parts) => parts.join(" ")),
  fc.constant("user.IsAnonymous()"),
  fc.constant("user.roles.Empty()"),
);

describe("evaluation properties", () => {
  it("NOT binds tighter than AND, and AND tighter than OR", () => {
    fc.assert(
      fc.property(user, atom, atom, atom, (u, a, b, c) => {
        const v = (src: string) => compileCondition(src)({ user: u });
        expect(v(`${a} or ${b} and ${c}`)).toBe(v(`${a} or (${b} and ${c})`));
        expect(v(`${a} and ${b} or ${c}`)).toBe(v(`(${a} and ${b}) or ${c}`));
        expect(v(`!${a} and ${b}`)).toBe(v(`(!${a}) and ${b}`));
        expect(v(`!${a} or ${b}`)).toBe(!v(a) || v(b));
        expect(v(`!(${a} or ${b})`)).toBe(v(`!${a} and !${b}`));
        expect(v(`${a} || ${b} && ${c}`)).toBe(v(a) || (v(b) && v(c)));
      }),
      { numRuns: 300 },
    );
  });

  it("!= is the negation of =, and !== of ==, for single, multi-valued and missing properties", () => {
    fc.assert(
      fc.property(
        user,
        fc.constantFrom("user.name", "user.roles", "user.@x", "user.@y", "user.email"),
        text,
        (u, path, value) => {
          const lit = JSON.stringify(value);
          const v = (op: string) => compileCondition(`${path} ${op} ${lit}`)({ user: u });
          expect(v("!=")).toBe(!v("="));
          expect(v("!==")).toBe(!v("=="));
          // Case-sensitive equality implies case-insensitive equality.
          if (v("==")) expect(v("=")).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("parsing untrusted text", () => {
  const token = fc.constantFrom(
    "user",
    "resource",
    ".",
    "name",
    "@x",
    "stream",
    "app",
    "owner",
    "environment",
    "(",
    ")",
    "!",
    "=",
    "!=",
    "==",
    "!==",
    " like ",
    " matches ",
    " and ",
    " or ",
    "&&",
    "||",
    '"a"',
    '"-"',
    '"[a-"',
    '"(',
    '"',
    "HasPrivilege",
    "IsAnonymous",
    "Empty",
    "IsOwned",
    '("read")',
    "()",
    " ",
    "\n",
    ",",
    "\\",
    "*",
  );
  const tokens = fc.array(token, { maxLength: 14 }).map((t) => t.join(""));

  it("never throws anything but RuleSyntaxError, and what parses also evaluates", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 40 }), tokens),
        (src) => {
          let compiled: ReturnType<typeof compileCondition> | undefined;
          try {
            compiled = compileCondition(src);
          } catch (e) {
            expect(e).toBeInstanceOf(RuleSyntaxError);
            const error = e as RuleSyntaxError;
            expect(error.line).toBeGreaterThanOrEqual(1);
            expect(error.column).toBeGreaterThanOrEqual(1);
            expect(error.excerpt).toContain("^");
            return;
          }
          expect(typeof compiled({ user: { userDirectory: "NONE", userId: "a" } })).toBe("boolean");
        },
      ),
      { numRuns: 2000 },
    );
  });
});
