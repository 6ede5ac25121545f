import { describe, expect, it } from "vitest";
import { isEmbedConfig } from "./embed-config.js";

describe("isEmbedConfig", () => {
  it("accepts the config route's body", () => {
    expect(
      isEmbedConfig({
        hostAllowList: ["https://a.example"],
        anonymousAccess: "allow",
        inactivityTimeoutMs: 60_000,
      }),
    ).toBe(true);
  });

  it("refuses anything else (the frame then asks the route)", () => {
    const good = { hostAllowList: [], anonymousAccess: "none", inactivityTimeoutMs: 60_000 };
    for (const bad of [
      null,
      "config",
      [],
      { ...good, hostAllowList: "https://a.example" },
      { ...good, hostAllowList: [42] },
      { ...good, anonymousAccess: "sometimes" },
      { ...good, inactivityTimeoutMs: "60000" },
      { ...good, inactivityTimeoutMs: 0 },
      { ...good, inactivityTimeoutMs: Number.POSITIVE_INFINITY },
    ])
      expect(isEmbedConfig(bad), JSON.stringify(bad)).toBe(false);
  });
});
