/** The first-party cookie of a proxy: `X-Portico-Session-<prefix>`, or `X-Portico-Session` for the default proxy. */
export function sessionCookieName(prefix: string): string {
  return prefix === "" ? "X-Portico-Session" : `X-Portico-Session-${prefix}`;
}

/** Scoped to the proxy's path so proxies never see each other's cookie. */
export function sessionCookiePath(prefix: string): string {
  return prefix === "" ? "/" : `/${prefix}`;
}
