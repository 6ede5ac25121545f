import { RE2JS } from "re2js";
import { toRe2Syntax, type UnsupportedSyntax } from "./to-re2-syntax.js";

/** A compiled `matches` pattern: a whole-string, case-sensitive test, or why the pattern is refused. */
export type CompiledMatches = { test: (value: string) => boolean } | { invalid: UnsupportedSyntax };

// A pattern is checked when its condition parses and compiled again with every rule set and licence
// rule built from a configuration (each live change builds them anew); the bound keeps a stream of
// distinct patterns from growing the cache without limit.
const CACHE_LIMIT = 1000;
const cache = new Map<string, CompiledMatches>();

/**
 * Compiles a `matches` pattern (JavaScript regular expression syntax, no flags) for a linear-time
 * engine: an administrator's pattern meets user-supplied values on the request path, and a
 * backtracking engine spends exponential time on patterns such as `(a+)+b`. A pattern that is not
 * valid JavaScript, or that needs backtracking (backreferences, lookaround), comes back `invalid` with
 * the offset of the problem in the pattern (0 when the JavaScript parser does not say where).
 */
export function compileMatches(pattern: string): CompiledMatches {
  const cached = cache.get(pattern);
  if (cached !== undefined) return cached;
  const compiled = compile(pattern);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(pattern, compiled);
  return compiled;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function compile(pattern: string): CompiledMatches {
  try {
    // Only to check the syntax with the parser the patterns were written for; it never runs.
    new RegExp(pattern);
  } catch (e) {
    return { invalid: { offset: 0, reason: message(e) } };
  }
  const translated = toRe2Syntax(pattern);
  if ("unsupported" in translated) return { invalid: translated.unsupported };
  try {
    const re = RE2JS.compile(translated.re2);
    return { test: (value) => re.testExact(value) };
  } catch (e) {
    // Limits the translation cannot see, such as nested counts that make the program too large.
    return { invalid: { offset: 0, reason: `not supported by the linear-time engine: ${message(e)}` } };
  }
}
