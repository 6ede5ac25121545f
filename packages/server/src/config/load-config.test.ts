import { defaultRules } from "@portico/rules";
import { describe, expect, it } from "vitest";
import { PorticoError } from "../errors/portico-error.js";
import { parseConfigText, validateConfig } from "./load-config.js";

function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PorticoError);
    expect((error as PorticoError).code).toBe("CONFIG_INVALID");
    return (
      (error as PorticoError).details as { issues: Array<{ path: string; message: string }> }
    ).issues.map((i) => `${i.path}: ${i.message}`);
  }
  throw new Error("the configuration was accepted");
}

const base = {
  virtualProxies: [{ prefix: "" }],
  streams: [{ id: "budget", name: "Budget" }],
};

describe("config validation", () => {
  it("applies defaults: default proxy none/30 min, default rules, sqlite file next to the config", () => {
    const state = parseConfigText("{}", "/etc/portico/portico.yaml");
    expect(state.config.virtualProxies).toEqual([
      {
        prefix: "",
        anonymousAccess: "none",
        sessionInactivityMinutes: 30,
        sessionMaxLifetimeMinutes: 480,
        hostAllowList: [],
        leaveGraceSeconds: 10,
        anonymousLimits: {
          newSessionsPerIpPerHour: 60,
          newSessionsPerNetworkPerHour: 300,
          concurrentSessionsPerIp: 30,
          ipv4NetworkPrefix: 24,
          ipv6NetworkPrefix: 64,
        },
      },
    ]);
    expect(state.rules.map((r) => r.name)).toEqual(defaultRules.map((r) => r.name));
    expect(state.storageUrl).toBe("sqlite:/etc/portico/data/portico.db");
    expect(state.dataDir).toBe("/etc/portico/data");
  });

  it("names the path of a bad prefix", () => {
    const issues = issuesOf(() =>
      validateConfig({ virtualProxies: [{ prefix: "" }, { prefix: "Anon!" }] }, "/c/p.yaml"),
    );
    expect(issues).toEqual(["virtualProxies[1].prefix: must be lowercase a-z0-9-._~"]);
  });

  it("refuses unknown keys, naming them", () => {
    const issues = issuesOf(() =>
      validateConfig({ ...base, virtualProxies: [{ prefix: "", anonymousAcess: "always" }] }, "/c/p.yaml"),
    );
    expect(issues).toEqual(["virtualProxies[0].anonymousAcess: unknown key"]);
    expect(issuesOf(() => validateConfig({ serverr: {} }, "/c/p.yaml"))).toEqual(["serverr: unknown key"]);
  });

  it("refuses wildcard and non-exact origins on host allow lists (never 'any')", () => {
    for (const origin of [
      "*",
      "https://*.example.com",
      "https://portal.example.com/",
      "https://portal.example.com/page",
      "portal.example.com",
    ]) {
      const issues = issuesOf(() =>
        validateConfig({ virtualProxies: [{ prefix: "anon", hostAllowList: [origin] }] }, "/c/p.yaml"),
      );
      expect(issues[0], origin).toMatch(/^virtualProxies\[0\]\.hostAllowList\[0\]: must be an exact origin/);
    }
  });

  it("reports rule syntax errors with line, column and a caret excerpt", () => {
    const issues = issuesOf(() =>
      validateConfig(
        {
          ...base,
          securityRules: [
            { name: "ok", resourceFilter: "Stream_*", actions: ["read"] },
            { name: "ok2", resourceFilter: "Stream_*", actions: ["read"] },
            {
              name: "bad",
              resourceFilter: "Stream_*",
              actions: ["read"],
              condition: 'user.name = "a" ann user.name = "b"',
            },
          ],
        },
        "/c/p.yaml",
      ),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^securityRules\[2\]\.condition: line 1, column 17: /);
    expect(issues[0]).toContain('user.name = "a" ann user.name = "b"\n                ^');
  });

  it("reports bad actions and filters of a rule with their path", () => {
    const issues = issuesOf(() =>
      validateConfig(
        { ...base, securityRules: [{ name: "r", resourceFilter: "Stream_*", actions: ["read", "fly"] }] },
        "/c/p.yaml",
      ),
    );
    expect(issues[0]).toMatch(/^securityRules\[0\]\.actions\[1\]: unknown action "fly"/);
  });

  it("checks references: an app's stream must exist; ids are unique", () => {
    const issues = issuesOf(() =>
      validateConfig(
        {
          ...base,
          apps: [
            { id: "a", name: "A", stream: "nope" },
            { id: "a", name: "B", stream: "budget" },
          ],
        },
        "/c/p.yaml",
      ),
    );
    expect(issues.sort()).toEqual(['apps[0].stream: unknown stream "nope"', "apps[1].id: duplicate app id"]);
  });

  it("takes a sort per dimension and names the exact path of a wrong one", () => {
    const position = { col: 0, row: 0, width: 12, height: 6 };
    const objects = (dimensions: unknown[]) => [
      { id: "loans", type: "line", dimensions, measures: ["Sum(Loans)"], position },
    ];
    const app = (dimensions: unknown[]) => ({
      ...base,
      apps: [
        {
          id: "a",
          name: "A",
          stream: "budget",
          sheets: [{ id: "s", title: "S", objects: objects(dimensions) }],
        },
      ],
    });
    const good = [
      "Branch",
      { field: "Month", sort: { by: "measure", measure: "Sum(Loans)", descending: true } },
    ];
    expect(() => validateConfig(app(good), "/c/p.yaml")).not.toThrow();
    expect(() => validateConfig(app([{ field: "Month", sort: "number" }]), "/c/p.yaml")).not.toThrow();
    const where = "apps[0].sheets[0].objects[0].dimensions[0]";
    expect(
      issuesOf(() => validateConfig(app([{ field: "Month", sort: "alphabetical" }]), "/c/p.yaml")),
    ).toEqual([`${where}.sort: Invalid option: expected one of "load"|"text"|"number"|"measure"`]);
    expect(
      issuesOf(() => validateConfig(app([{ field: "Month", sort: { by: "size" } }]), "/c/p.yaml")),
    ).toEqual([`${where}.sort.by: Invalid option: expected one of "load"|"text"|"number"|"measure"`]);
    expect(
      issuesOf(() => validateConfig(app([{ field: "Month", sort: { by: "text", up: true } }]), "/c/p.yaml")),
    ).toEqual([`${where}.sort.up: unknown key`]);
    expect(
      issuesOf(() =>
        validateConfig(
          app([{ field: "Month", sort: { by: "measure", measure: "Sum(Fines)" } }]),
          "/c/p.yaml",
        ),
      ),
    ).toEqual([`${where}.sort.measure: no measure "Sum(Fines)" on this object (measures: Sum(Loans))`]);
    expect(issuesOf(() => validateConfig(app([42]), "/c/p.yaml"))).toEqual([
      `${where}: expected string or object`,
    ]);
  });

  it("refuses a reserved prefix, duplicate prefixes and a ticket client for NONE", () => {
    // `sdk`: /sdk/<version>/ serves the SDK at the root, so a proxy there could never answer.
    for (const prefix of ["admin", "sdk"])
      expect(issuesOf(() => validateConfig({ virtualProxies: [{ prefix }] }, "/c/p.yaml"))[0]).toMatch(
        /^virtualProxies\[0\]\.prefix: must not be one of/,
      );
    expect(
      issuesOf(() => validateConfig({ virtualProxies: [{ prefix: "a" }, { prefix: "a" }] }, "/c/p.yaml")),
    ).toEqual(["virtualProxies[1].prefix: duplicate prefix"]);
    expect(
      issuesOf(() =>
        validateConfig(
          {
            ticketClients: [
              { name: "c", keyHash: "scrypt$16384$8$1$abcdabcd$abcdabcdabcd", userDirectories: ["NONE"] },
            ],
          },
          "/c/p.yaml",
        ),
      )[0],
    ).toMatch(/^ticketClients\[0\]\.userDirectories\[0\]: NONE is the anonymous directory/);
  });

  it("reports YAML syntax errors with their position", () => {
    const issues = issuesOf(() => parseConfigText("virtualProxies:\n  - prefix: [\n", "/c/p.yaml"));
    expect(issues[0]).toMatch(/^line \d+, column \d+: /);
  });

  it("refuses a password that is not a scrypt hash (a plaintext secret in the config)", () => {
    const issues = issuesOf(() =>
      validateConfig({ admin: { apiKeys: [{ name: "ops", keyHash: "hunter2" }] } }, "/c/p.yaml"),
    );
    expect(issues[0]).toMatch(/^admin\.apiKeys\[0\]\.keyHash: must be a hash from `portico hash-password`/);
  });
});
