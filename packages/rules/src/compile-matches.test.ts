import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileCondition } from "./compile-condition.js";
import { compileMatches } from "./compile-matches.js";

function test(pattern: string): (value: string) => boolean {
  const compiled = compileMatches(pattern);
  if ("invalid" in compiled) throw new Error(`${pattern}: ${compiled.invalid.reason}`);
  return compiled.test;
}

/** What `matches` meant when patterns ran on JavaScript's RegExp. */
function javascript(pattern: string): (value: string) => boolean {
  const re = new RegExp(`^(?:${pattern})$`);
  return (value) => re.test(value);
}

describe("compileMatches: linear time", () => {
  const long = "a".repeat(10_000);
  it.each([
    ["(a+)+b", long],
    ["(a|aa)*c", long],
    ["(.*a){20}", `${long}!`],
    ["(\\w+\\s?)*!", `${long}?`],
    ["(a|a?)+b", long],
    // No literal the input must contain, so no shortcut: the automaton itself decides.
    ["([a-z]+)+", `${long}!`],
    ["(a|a?)+", `${long}!`],
  ])("decides %s on 10,000 characters without backtracking", (pattern, value) => {
    const user = { userDirectory: "CORP", userId: value };
    const condition = compileCondition(`user.userId matches "${pattern.replace(/\\/g, "\\\\")}"`);
    const started = performance.now();
    expect(condition({ user })).toBe(false);
    // Generous for a loaded machine; a backtracking engine takes seconds on 25 characters.
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("still matches what it should on long input", () => {
    expect(test("(a+)+b")(`${"a".repeat(10_000)}b`)).toBe(true);
    expect(test("(.*a){20}")("a".repeat(10_000))).toBe(true);
  });

  it("compiles each pattern once", () => {
    expect(compileMatches("cached|pattern")).toBe(compileMatches("cached|pattern"));
  });
});

describe("compileMatches: the meaning of JavaScript syntax is kept", () => {
  it.each([
    // `.` excludes every line terminator, not only \n.
    [".", ["a", " ", "\u00a0"], ["\n", "\r", "\u2028", "\u2029", ""]],
    // \s is JavaScript's white space, wider than RE2's.
    ["\\s", [" ", "\t", "\v", "\u00a0", "\u2003", "\ufeff"], ["a", ""]],
    ["\\S+", ["ab", "é"], ["a b", "\u00a0"]],
    ["[\\S]", ["x"], [" "]],
    ["\\d\\w\\W", ["1a-", "9_ "], ["a1-", "1é-"]],
    // POSIX classes and \pL are RE2 syntax; in JavaScript they are plain characters.
    ["[[:alpha:]]", ["[]", "a]", ":]"], ["a", "b"]],
    // An empty class matches nothing, its negation any one character.
    ["a[]", [], ["a", "a]", "a[]"]],
    ["a[^]", ["a\n", "ab", "a]"], ["a", "a[^]"]],
    ["[\\w-z]", ["a", "-", "z"], ["*"]],
    ["[\\b]", ["\b"], ["b"]],
    ["\\u00e9\\x41\\cJ\\0", ["éA\n\0"], ["éA"]],
    ["\\ud83d\\ude00", ["😀"], [""]],
    ["\\a\\z\\A", ["azA"], [""]],
    ["a{,2}", ["a{,2}"], ["a", "aa"]],
    ["a{2}b{1,}c{1,2}", ["aabcc", "aabbbc"], ["abc", "aabccc"]],
    ["x{", ["x{"], ["x"]],
    ["}]", ["}]"], []],
    ["a$|^b", ["a", "b"], ["ab", "a\n"]],
    ["\\bab\\B", [], ["ab"]],
    ["(?<year>\\d{4})-(\\d\\d)", ["2026-12"], ["26-12"]],
    ["Quarterly", ["Quarterly"], ["quarterly", "Quarterly Sales", "a Quarterly"]],
    ["a|b", ["a", "b"], ["ab"]],
    ["a+?b*?", ["a", "aabb"], ["b"]],
  ])("%s", (pattern, matching, other) => {
    const re2 = test(pattern);
    const js = javascript(pattern);
    for (const value of matching) expect([value, re2(value)]).toEqual([value, true]);
    for (const value of other) expect([value, re2(value)]).toEqual([value, false]);
    for (const value of [...matching, ...other]) expect([value, re2(value)]).toEqual([value, js(value)]);
  });

  // Random patterns over the supported syntax agree with JavaScript on random short strings.
  const chars = ["a", "b", "1", "_", "-", " ", "\n", "\r", "\u00a0", "é", "[", "]", ":", "{", "}", "\\", "."];
  const escaped = (c: string) => (/[\\^$.|?*+()[\]{}/-]/.test(c) ? `\\${c}` : c === "\n" ? "\\n" : c);
  const classItem = fc.oneof(
    fc.constantFrom(...chars).map(escaped),
    fc.constantFrom("\\d", "\\D", "\\w", "\\W", "\\s", "\\S", "a-z", "0-9", "\\x00-\\x7f"),
  );
  const atom = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...chars).map(escaped) },
    fc.constantFrom(".", "\\d", "\\D", "\\w", "\\W", "\\s", "\\S", "\\b", "\\B", "^", "$", "[]", "[^]"),
    fc
      .tuple(fc.boolean(), fc.array(classItem, { minLength: 1, maxLength: 3 }))
      .map(([negated, items]) => `[${negated ? "^" : ""}${items.join("")}]`),
  );
  const quantifier = fc.constantFrom("", "", "*", "+", "?", "{2}", "{0,2}", "{1,}", "*?", "+?");
  const { pattern } = fc.letrec<{ pattern: string; piece: string }>((tie) => ({
    piece: fc.oneof(
      { maxDepth: 2, withCrossShrink: true },
      fc.tuple(atom, quantifier).map(([a, q]) => (/^[\^$]|^\\[bB]$/.test(a) ? a : a + q)),
      fc
        .tuple(fc.constantFrom("(", "(?:"), tie("pattern"), quantifier)
        .map(([open, inner, q]) => `${open}${inner})${q}`),
    ),
    pattern: fc
      .array(
        fc.array(tie("piece"), { maxLength: 3, depthIdentifier: "piece" }).map((p) => p.join("")),
        { minLength: 1, maxLength: 2 },
      )
      .map((alternatives) => alternatives.join("|")),
  }));
  const value = fc.array(fc.constantFrom(...chars), { maxLength: 8 }).map((c) => c.join(""));

  it("agrees with JavaScript's RegExp on random patterns and strings", () => {
    fc.assert(
      fc.property(pattern, fc.array(value, { minLength: 1, maxLength: 8 }), (p, values) => {
        const re2 = test(p);
        const js = javascript(p);
        for (const v of values) expect([p, v, re2(v)]).toEqual([p, v, js(v)]);
      }),
      { numRuns: 200 },
    );
  });
});

describe("compileMatches: what needs backtracking is refused with its place", () => {
  it.each([
    ["(a)\\1", 3, /backreferences/],
    ["(?<n>a)\\k<n>", 7, /backreferences/],
    ["a(?=b)", 1, /lookahead/],
    ["a(?!b)", 1, /negative lookahead/],
    ["(?<=a)b", 0, /lookbehind/],
    ["(?<!a)b", 0, /negative lookbehind/],
    ["x\\pL", 1, /\\p and \\P/],
    ["[\\1]", 1, /octal/],
    ["a{1001}", 1, /repetition count above 1000/],
    ["\\c", 0, /\\c must be followed by a letter/],
    ["(a", 0, /Unterminated group/],
  ])("%s at offset %i", (pattern, offset, reason) => {
    const compiled = compileMatches(pattern);
    expect("invalid" in compiled && compiled.invalid.offset).toBe(offset);
    expect("invalid" in compiled && compiled.invalid.reason).toMatch(reason);
  });

  it("refuses what is too large for the engine", () => {
    const compiled = compileMatches("((a{1000}){1000}){1000}");
    expect("invalid" in compiled && compiled.invalid.reason).toMatch(/linear-time engine/);
  });
});
