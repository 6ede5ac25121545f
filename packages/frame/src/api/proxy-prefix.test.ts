import { describe, expect, it } from "vitest";
import { proxyBase, proxyPrefixFromPath } from "./proxy-prefix.js";

describe("proxyPrefixFromPath", () => {
  it("takes what precedes the page name", () => {
    expect(proxyPrefixFromPath("/anon/embed")).toBe("anon");
    expect(proxyPrefixFromPath("/embed")).toBe("");
    expect(proxyPrefixFromPath("/partner/hub")).toBe("partner");
    expect(proxyPrefixFromPath("/anon/embed/")).toBe("anon");
    expect(proxyPrefixFromPath("/embed.html")).toBe("");
    expect(proxyBase("anon")).toBe("/anon");
    expect(proxyBase("")).toBe("");
  });
});
