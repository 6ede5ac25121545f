import { describe, expect, it } from "vitest";
import { parseConfigText } from "../config/load-config.js";
import { isPorticoError } from "../errors/portico-error.js";

function issues(yaml: string): Array<{ path: string; message: string }> {
  try {
    parseConfigText(yaml, "/tmp/portico.yaml");
  } catch (error) {
    if (isPorticoError(error) && error.code === "CONFIG_INVALID")
      return (error.details as { issues: Array<{ path: string; message: string }> }).issues;
    throw error;
  }
  throw new Error("expected the configuration to be refused");
}

describe("licences in the configuration", () => {
  it("refuses a user-based licence for the anonymous directory, whatever its case, with a clear message", () => {
    for (const directory of ["NONE", "none", "None"]) {
      const found = issues(`
licenses:
  allocations:
    - { userDirectory: ${directory}, userId: anonymous, type: professional }
`);
      expect(found).toHaveLength(1);
      expect(found[0]?.path).toBe("licenses.allocations[0].userDirectory");
      expect(found[0]?.message).toContain("never to anonymous users");
      expect(found[0]?.message).toContain("licence rule");
    }
  });

  it("reports a licence rule condition's syntax error with its path, line and column", () => {
    const found = issues(`
licenses:
  loginAccessPasses: 3
  rules:
    - { name: Ok, type: loginAccessPass, condition: user.IsAnonymous() }
    - { name: Broken, type: loginAccessPass, condition: 'user.IsAnonymous() and' }
`);
    expect(found.map((i) => i.path)).toEqual(["licenses.rules[1].condition"]);
    expect(found[0]?.message).toMatch(/^line 1, column \d+: /);
  });

  it("refuses a rule whose pool is not configured, duplicate rule names and duplicate allocations", () => {
    const found = issues(`
licenses:
  allocations:
    - { userDirectory: PORTAL, userId: alice, type: professional }
    - { userDirectory: portal, userId: ALICE, type: analyzer }
  rules:
    - { name: Capacity, type: analyzerCapacity, condition: user.IsAnonymous() }
    - { name: Capacity, type: loginAccessPass, condition: user.IsAnonymous() }
`);
    expect(found.map((i) => i.path).sort()).toEqual([
      "licenses.allocations[1]",
      "licenses.rules[0].type",
      "licenses.rules[1].name",
      "licenses.rules[1].type",
    ]);
  });

  it("accepts the intended shape", () => {
    const state = parseConfigText(
      `
licenses:
  analyzerCapacity: { minutesPerMonth: 100000 }
  loginAccessPasses: 100
  allocations:
    - { userDirectory: PORTAL, userId: alice, type: analyzer }
  rules:
    - { name: Anonymous visitors on analyzer capacity, type: analyzerCapacity, condition: user.IsAnonymous() }
`,
      "/tmp/portico.yaml",
    );
    expect(state.config.licenses?.rules).toHaveLength(1);
  });
});
