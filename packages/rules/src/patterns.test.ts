import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileCondition } from "./compile-condition.js";
import { likeToTest } from "./patterns.js";

/** What `like` meant as a JavaScript regular expression. */
function javascript(pattern: string): (value: string) => boolean {
  let body = "";
  for (const ch of pattern) {
    if (ch === "*") body += "[\\s\\S]*";
    else if (ch === "?") body += "[\\s\\S]";
    else body += ch.replace(/[\\^$.|+()[\]{}*?/]/g, "\\$&");
  }
  const re = new RegExp(`^${body}$`, "iu");
  return (value) => re.test(value);
}

describe("likeToTest", () => {
  it("decides many wildcards on a long value without backtracking", () => {
    const condition = compileCondition('user.userId like "*a*a*a*a*a*a*b"');
    const started = performance.now();
    expect(condition({ user: { userDirectory: "CORP", userId: "a".repeat(10_000) } })).toBe(false);
    // Generous for a loaded machine; a backtracking engine takes seconds for *a*a*a*b on 256 characters.
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("ignores case as JavaScript's iu flags do, with * and ? over code points and line breaks", () => {
    expect(likeToTest("k?")("\u212a\n")).toBe(true);
    expect(likeToTest("?")("😀")).toBe(true);
    expect(likeToTest("a*B")("A\n\nb")).toBe(true);
    expect(likeToTest("[a-z].(x)")("[A-Z].(X)")).toBe(true);
    expect(likeToTest("[a-z]")("b")).toBe(false);
  });

  it("agrees with the regular expression it replaces on random patterns and strings", () => {
    const chars = ["a", "B", "b", "*", "?", ".", "\\", "[", "\n", "ſ", "s", "é", "É", "😀"];
    const text = (max: number) =>
      fc.array(fc.constantFrom(...chars), { maxLength: max }).map((c) => c.join(""));
    fc.assert(
      fc.property(text(6), fc.array(text(8), { minLength: 1, maxLength: 8 }), (pattern, values) => {
        const linear = likeToTest(pattern);
        const js = javascript(pattern);
        for (const v of values) expect([pattern, v, linear(v)]).toEqual([pattern, v, js(v)]);
      }),
      { numRuns: 300 },
    );
  });
});
