import { describe, expect, it } from "vitest";
import { networkOf } from "./ip-network.js";

describe("networkOf", () => {
  it("cuts IPv4 addresses to their prefix", () => {
    expect(networkOf("203.0.113.7", 24, 64)).toBe("203.0.113.0/24");
    expect(networkOf("203.0.113.200", 16, 64)).toBe("203.0.0.0/16");
    expect(networkOf("203.0.113.200", 28, 64)).toBe("203.0.113.192/28");
    expect(networkOf("255.255.255.255", 32, 64)).toBe("255.255.255.255/32");
    expect(networkOf("10.1.2.3", 0, 64)).toBe("0.0.0.0/0");
  });

  it("cuts IPv6 addresses to their prefix, in the compressed form", () => {
    expect(networkOf("2001:db8:1:2:a:b:c:d", 24, 64)).toBe("2001:db8:1:2::/64");
    expect(networkOf("2001:0db8:0001:0002::1", 24, 64)).toBe("2001:db8:1:2::/64");
    expect(networkOf("2001:db8:1:2:a:b:c:d", 24, 48)).toBe("2001:db8:1::/48");
    expect(networkOf("2001:db8:1:2:a:b:c:d", 24, 56)).toBe("2001:db8:1::/56");
    expect(networkOf("2001:db8:1:2ff:a:b:c:d", 24, 56)).toBe("2001:db8:1:200::/56");
    expect(networkOf("2001:db8::1", 24, 128)).toBe("2001:db8::1/128");
    expect(networkOf("::1", 24, 64)).toBe("::/64");
  });

  it("leaves anything else as it is", () => {
    expect(networkOf("unknown", 24, 64)).toBe("unknown");
  });
});
