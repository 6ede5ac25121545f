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
