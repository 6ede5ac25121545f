import { describe, expect, it } from "vitest";
import { clientNetwork } from "./client-network.js";

describe("clientNetwork", () => {
  it("keeps an IPv4 address and folds an IPv6 address into its /64", () => {
    expect(clientNetwork("203.0.113.7")).toBe("203.0.113.7");
    expect(clientNetwork("2001:db8:1:2::1")).toBe(clientNetwork("2001:0db8:0001:0002:ffff:1:2:3"));
    expect(clientNetwork("2001:db8:1:2::1")).toBe("2001:0db8:0001:0002::/64");
    expect(clientNetwork("2001:db8:1:3::1")).not.toBe(clientNetwork("2001:db8:1:2::1"));
    expect(clientNetwork("unknown")).toBe("unknown");
  });
});
