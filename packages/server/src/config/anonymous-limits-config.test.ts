import { describe, expect, it } from "vitest";
import { PorticoError } from "../errors/portico-error.js";
import { validateConfig } from "./load-config.js";

function issuesOf(anonymousLimits: unknown): string[] {
  try {
    validateConfig({ virtualProxies: [{ prefix: "" }, { prefix: "anon", anonymousLimits }] }, "/c/p.yaml");
  } catch (error) {
    expect(error).toBeInstanceOf(PorticoError);
    return (
      (error as PorticoError).details as { issues: Array<{ path: string; message: string }> }
    ).issues.map((i) => `${i.path}: ${i.message}`);
  }
  return [];
}

function limitsOf(anonymousLimits: unknown) {
  const state = validateConfig(
    {
      server: { publicUrl: "https://portico.example.com" },
      virtualProxies: [{ prefix: "anon", anonymousAccess: "always", anonymousLimits }],
    },
    "/c/p.yaml",
  );
  return state.config.virtualProxies[0]?.anonymousLimits;
}

describe("virtualProxies[].anonymousLimits", () => {
  it("defaults every budget and the network prefixes; keeps what is set, off included", () => {
    expect(limitsOf(undefined)).toEqual({
      newSessionsPerIpPerHour: 60,
      newSessionsPerNetworkPerHour: 300,
      concurrentSessionsPerIp: 30,
      ipv4NetworkPrefix: 24,
      ipv6NetworkPrefix: 64,
    });
    expect(
      limitsOf({ newSessionsPerIpPerHour: "off", concurrentSessionsPerIp: 5, ipv6NetworkPrefix: 56 }),
    ).toEqual({
      newSessionsPerIpPerHour: "off",
      newSessionsPerNetworkPerHour: 300,
      concurrentSessionsPerIp: 5,
      ipv4NetworkPrefix: 24,
      ipv6NetworkPrefix: 56,
    });
  });

  it("refuses 0, negative, fractional and other words, naming the key and the way to say 'none' or 'off'", () => {
    const issues = issuesOf({
      newSessionsPerIpPerHour: 0,
      newSessionsPerNetworkPerHour: -1,
      concurrentSessionsPerIp: "unlimited",
    });
    expect(issues).toHaveLength(3);
    expect(issues[0]).toBe(
      "virtualProxies[1].anonymousLimits.newSessionsPerIpPerHour: must be a whole number from 1 to 1000000, or off for no limit (0 is not accepted: to admit no anonymous visitors set anonymousAccess: none)",
    );
    expect(issues[1]).toMatch(/^virtualProxies\[1\]\.anonymousLimits\.newSessionsPerNetworkPerHour: must be/);
    expect(issues[2]).toMatch(/^virtualProxies\[1\]\.anonymousLimits\.concurrentSessionsPerIp: must be/);
    expect(issuesOf({ newSessionsPerIpPerHour: 1.5 })).toHaveLength(1);
  });

  it("refuses network prefixes out of range and unknown keys, with their path", () => {
    expect(issuesOf({ ipv4NetworkPrefix: 33, ipv6NetworkPrefix: 8, perIp: 3 }).sort()).toEqual([
      "virtualProxies[1].anonymousLimits.ipv4NetworkPrefix: Too big: expected number to be <=32",
      "virtualProxies[1].anonymousLimits.ipv6NetworkPrefix: Too small: expected number to be >=16",
      "virtualProxies[1].anonymousLimits.perIp: unknown key",
    ]);
  });
});
