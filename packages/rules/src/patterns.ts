import { RE2JS } from "re2js";

/**
 * `like`: case-insensitive wildcard over the whole string, `*` any run, `?` exactly one character (a
 * code point). It runs on the same linear-time engine as `matches`: as a backtracking regular
 * expression, `*a*a*a*b` against a 256-character user id takes seconds. RE2's `(?i)` folds case as
 * JavaScript's `iu` flags do; `s` lets `*` and `?` cross line breaks.
 */
export function likeToTest(pattern: string): (value: string) => boolean {
  let body = "(?is)";
  for (const ch of pattern) {
    if (ch === "*") body += ".*";
    else if (ch === "?") body += ".";
    else body += `\\x{${ch.codePointAt(0)!.toString(16)}}`;
  }
  const re = RE2JS.compile(body);
  return (value) => re.testExact(value);
}
