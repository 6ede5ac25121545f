/**
 * The virtual proxy prefix of the page, from its path: `/anon/embed` -> `anon`, `/embed` -> `""` (the
 * default proxy). The last path segment is the page (`embed`, `hub`, `login`); what precedes it is the prefix.
 */
export function proxyPrefixFromPath(pathname: string): string {
  const segments = pathname.split("/").filter((s) => s.length > 0);
  const last = segments[segments.length - 1] ?? "";
  // Tolerate `.html` and trailing slashes (`/anon/embed/`, `/anon/embed.html` in development).
  if (/^(embed|hub|login)(\.html)?$/.test(last)) segments.pop();
  return segments.map((s) => decodeURIComponent(s)).join("/");
}

/** `/{P}` or `""` for the default proxy: the base every API and page URL is built from. */
export function proxyBase(prefix: string): string {
  return prefix ? `/${encodeURIComponent(prefix)}` : "";
}
