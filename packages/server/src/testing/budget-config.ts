// Test support (excluded from the build).

/** A small valid configuration: the default proxy, `/anon` (always, one allowed host) and one stream. */
export const BUDGET_CONFIG_YAML = `server:
  publicUrl: http://portico.test
virtualProxies:
  - prefix: ""
  - prefix: anon
    anonymousAccess: always
    hostAllowList: ["http://localhost:5173"]
streams:
  - id: budget
    name: Budget
`;
