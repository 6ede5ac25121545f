// Test support (excluded from the build).

/** Every anonymous session budget off: for tests that start many sessions from one address on purpose. */
export const NO_ANONYMOUS_LIMITS =
  "newSessionsPerIpPerHour: off\nnewSessionsPerNetworkPerHour: off\nconcurrentSessionsPerIp: off";

/** `classicConfig()` YAML with `anonymousLimits` (YAML lines, unindented) set on the `/anon` proxy. */
export function withAnonymousLimits(yaml: string, limits: string): string {
  const anchor = "    sessionMaxLifetimeMinutes: 120\n";
  if (!yaml.includes(anchor)) throw new Error("not a classicConfig() YAML: no /anon proxy to limit");
  return yaml.replace(anchor, `${anchor}    anonymousLimits:\n${limits.replace(/^/gm, "      ")}\n`);
}
