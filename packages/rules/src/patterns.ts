/** `like`: case-insensitive wildcard over the whole string, `*` any run, `?` exactly one character. */
export function likeToRegExp(pattern: string): RegExp {
  let body = "";
  for (const ch of pattern) {
    if (ch === "*") body += "[\\s\\S]*";
    else if (ch === "?") body += "[\\s\\S]";
    // Only syntax characters: in unicode mode escaping anything else (such as "-") is an error.
    else body += ch.replace(/[\\^$.|+()[\]{}*?/]/g, "\\$&");
  }
  // `u` so that `?` stands for one code point, not half a surrogate pair.
  return new RegExp(`^${body}$`, "iu");
}

/**
 * `matches`: case-sensitive regular expression over the whole string. The pattern is wrapped in a
 * group so that an alternation (`a|b`) is anchored as a whole. Throws the engine's SyntaxError for
 * an invalid expression.
 */
export function matchesToRegExp(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}
