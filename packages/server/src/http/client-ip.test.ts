import { describe, expect, it } from "vitest";
import { normaliseAddress, resolveClientIp, TrustedProxies } from "./client-ip.js";

const trusted = new TrustedProxies(["10.0.0.1", "10.1.0.0/16", "fd00::/8"]);

describe("resolveClientIp", () => {
  it("is the socket peer when the peer is not a trusted proxy, whatever the headers say", () => {
    expect(resolveClientIp({ peer: "198.51.100.7", xForwardedFor: "1.2.3.4" }, trusted)).toBe("198.51.100.7");
    expect(resolveClientIp({ peer: "198.51.100.7", forwarded: "for=1.2.3.4" }, trusted, "forwarded")).toBe(
      "198.51.100.7",
    );
    expect(resolveClientIp({ peer: "10.0.0.1", xForwardedFor: "1.2.3.4" }, new TrustedProxies([]))).toBe(
      "10.0.0.1",
    );
  });

  it("walks a trusted chain from the right: the right-most untrusted address wins", () => {
    // client -> 10.1.5.5 (trusted) -> 10.0.0.1 (trusted, the peer)
    expect(resolveClientIp({ peer: "10.0.0.1", xForwardedFor: "203.0.113.9, 10.1.5.5" }, trusted)).toBe(
      "203.0.113.9",
    );
    // A visitor who writes their own X-Forwarded-For only adds entries on the left: they lose.
    expect(
      resolveClientIp({ peer: "10.0.0.1", xForwardedFor: "6.6.6.6, 203.0.113.9, 10.1.5.5" }, trusted),
    ).toBe("203.0.113.9");
    expect(resolveClientIp({ peer: "10.0.0.1", xForwardedFor: "6.6.6.6,203.0.113.9" }, trusted)).toBe(
      "203.0.113.9",
    );
  });

  it("takes the peer when a trusted proxy sent no header, and the left-most hop when every hop is trusted", () => {
    expect(resolveClientIp({ peer: "10.0.0.1" }, trusted)).toBe("10.0.0.1");
    expect(resolveClientIp({ peer: "10.0.0.1", xForwardedFor: "10.1.0.3, 10.1.0.4" }, trusted)).toBe(
      "10.1.0.3",
    );
  });

  it("stops at garbage in the chain instead of believing what lies left of it", () => {
    expect(
      resolveClientIp({ peer: "10.0.0.1", xForwardedFor: "1.1.1.1, not-an-ip, 10.1.0.3" }, trusted),
    ).toBe("10.1.0.3");
    expect(resolveClientIp({ peer: "10.0.0.1", xForwardedFor: "1.1.1.1, <script>" }, trusted)).toBe(
      "10.0.0.1",
    );
  });

  it("reads RFC 7239 Forwarded (quoted IPv6, ports, other parameters) only when configured", () => {
    const forwarded = 'for=6.6.6.6, for="[2001:db8:cafe::17]:4711";proto=https, for=10.1.2.3';
    expect(resolveClientIp({ peer: "10.0.0.1", forwarded }, trusted, "forwarded")).toBe("2001:db8:cafe::17");
    // Configured for X-Forwarded-For: a client-written Forwarded header is ignored.
    expect(resolveClientIp({ peer: "10.0.0.1", forwarded, xForwardedFor: "203.0.113.1" }, trusted)).toBe(
      "203.0.113.1",
    );
    // And the other way round.
    expect(
      resolveClientIp(
        { peer: "10.0.0.1", forwarded: "for=203.0.113.2", xForwardedFor: "6.6.6.6" },
        trusted,
        "forwarded",
      ),
    ).toBe("203.0.113.2");
    expect(
      resolveClientIp({ peer: "10.0.0.1", forwarded: "for=_hidden, for=10.1.0.9" }, trusted, "forwarded"),
    ).toBe("10.1.0.9");
  });

  it("handles IPv4-mapped IPv6 peers, ports in X-Forwarded-For and IPv6 CIDR blocks", () => {
    expect(resolveClientIp({ peer: "::ffff:10.0.0.1", xForwardedFor: "203.0.113.5:5555" }, trusted)).toBe(
      "203.0.113.5",
    );
    expect(resolveClientIp({ peer: "fd12::1", xForwardedFor: "[2001:db8::5]:443" }, trusted)).toBe(
      "2001:db8::5",
    );
    expect(normaliseAddress("[::FFFF:192.0.2.1]")).toBe("192.0.2.1");
  });

  it("refuses entries that are not addresses or CIDR blocks", () => {
    expect(() => new TrustedProxies(["10.0.0.0/33"])).toThrow(TypeError);
    expect(() => new TrustedProxies(["proxy.internal"])).toThrow(TypeError);
    expect(() => new TrustedProxies(["fd00::/129"])).toThrow(TypeError);
  });
});
