import { describe, expect, it } from "vitest";
import type { ConfigState } from "../config/config-state.js";
import { buildRuleUser } from "./rule-user.js";

const CHROME =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
const state = { users: new Map() } as unknown as ConfigState;
const identity = { userDirectory: "NONE", userId: "anonymous1", attributes: { browser: "forged" } };
const env = (userAgent: string | undefined) =>
  buildRuleUser(identity, state, { ip: "10.0.0.1", userAgent, secure: false, context: "hub" }).environment;

describe("buildRuleUser environment", () => {
  it("describes the browser, OS and device from the user agent, the same on every request", () => {
    for (let i = 0; i < 2; i++) {
      expect(env(CHROME)).toMatchObject({
        browser: "Chrome",
        os: "Linux",
        device: "desktop",
        ip: "10.0.0.1",
      });
      expect(env(IPHONE)).toMatchObject({ browser: "Mobile Safari", os: "iOS", device: "mobile" });
    }
    expect(env(undefined)).toMatchObject({ browser: "unknown", os: "unknown", device: "desktop" });
  });

  it("stays right when clients send more distinct user agents than it remembers", () => {
    for (let i = 0; i < 1200; i++) expect(env(`probe/${i}`)?.browser).toBe("unknown");
    expect(env(CHROME)?.browser).toBe("Chrome");
  });
});
