import { describe, expect, it } from "vitest";
import { type ClientOptions, resolveClientOptions } from "./client-options.js";
import { EmbedError } from "./embed-error.js";
import { DEFAULT_TIMEOUTS } from "./timeouts.js";

const HTTPS_PAGE = "https://portal.example.com/dashboards";
const HTTP_PAGE = "http://localhost:5173/";

function errorOf(options: unknown, page = HTTPS_PAGE): EmbedError {
  try {
    resolveClientOptions(options as ClientOptions, page);
  } catch (error) {
    expect(error).toBeInstanceOf(EmbedError);
    return error as EmbedError;
  }
  throw new Error("expected resolveClientOptions to throw");
}

describe("resolveClientOptions", () => {
  it("normalises the server URL and the proxy prefix", () => {
    const resolved = resolveClientOptions(
      { server: "https://bi.example.com/portico/", proxy: "/anon/" },
      HTTPS_PAGE,
    );
    expect(resolved.server).toBe("https://bi.example.com/portico");
    expect(resolved.serverOrigin).toBe("https://bi.example.com");
    expect(resolved.proxy).toBe("anon");
    expect(resolved.proxyBase).toBe("/anon");
    expect(resolved.timeouts).toEqual(DEFAULT_TIMEOUTS);
  });

  it("keeps the visitor's session in the tab by default; resume is tab, browser or off", () => {
    expect(resolveClientOptions({ server: "https://bi.example.com" }, HTTPS_PAGE).resume).toBe("tab");
    expect(
      resolveClientOptions({ server: "https://bi.example.com", resume: "browser" }, HTTPS_PAGE).resume,
    ).toBe("browser");
    const error = errorOf({ server: "https://bi.example.com", resume: "forever" });
    expect(error.code).toBe("MISCONFIGURED");
    expect(error.message).toContain('"resume" must be one of tab,browser,off, got "forever"');
  });

  it("treats a missing or empty proxy as the default proxy", () => {
    expect(resolveClientOptions({ server: "https://bi.example.com" }, HTTPS_PAGE).proxyBase).toBe("");
    expect(resolveClientOptions({ server: "https://bi.example.com", proxy: "" }, HTTPS_PAGE).proxy).toBe("");
  });

  it("requires a server, naming the option", () => {
    for (const options of [{}, { server: "" }, { server: "   " }, { server: 42 }]) {
      const error = errorOf(options);
      expect(error.code).toBe("MISCONFIGURED");
      expect(error.message).toContain('"server" is required');
    }
    expect(errorOf(undefined).code).toBe("MISCONFIGURED");
  });

  it("refuses relative, non-http and credential-carrying server URLs", () => {
    expect(errorOf({ server: "portico.example.com" }).message).toContain("absolute http(s) URL");
    expect(errorOf({ server: "ftp://portico.example.com" }).message).toContain("http(s)");
    expect(errorOf({ server: "https://user:pw@portico.example.com" }).code).toBe("MISCONFIGURED");
    expect(errorOf({ server: "https://portico.example.com/?ticket=x" }).message).toContain(
      "without credentials, query or fragment",
    );
  });

  it("refuses an http server from an https page (mixed content) with INSECURE_SERVER", () => {
    const error = errorOf({ server: "http://portico.example.com" });
    expect(error.code).toBe("INSECURE_SERVER");
    expect(error.message).toContain("mixed content");
  });

  it("allows an http server from an http page, and loopback servers from an https page", () => {
    expect(resolveClientOptions({ server: "http://portico.example.com" }, HTTP_PAGE).server).toBe(
      "http://portico.example.com",
    );
    expect(resolveClientOptions({ server: "http://127.0.0.1:8080" }, HTTPS_PAGE).serverOrigin).toBe(
      "http://127.0.0.1:8080",
    );
    expect(resolveClientOptions({ server: "http://localhost:8080" }, HTTPS_PAGE).serverOrigin).toBe(
      "http://localhost:8080",
    );
  });

  it("refuses proxy prefixes the server could never have", () => {
    for (const proxy of ["Anon", "an on", "a/b", "anon?x"]) {
      const error = errorOf({ server: "https://bi.example.com", proxy });
      expect(error.code).toBe("MISCONFIGURED");
      expect(error.message).toContain('"proxy"');
    }
    expect(errorOf({ server: "https://bi.example.com", proxy: 7 }).message).toContain(
      '"proxy" must be a virtual proxy prefix',
    );
  });

  it("checks getTicket and timeouts", () => {
    expect(errorOf({ server: "https://bi.example.com", getTicket: "abc" }).message).toContain('"getTicket"');
    expect(errorOf({ server: "https://bi.example.com", timeouts: { callMs: -1 } }).message).toContain(
      '"timeouts.callMs"',
    );
    expect(
      errorOf({ server: "https://bi.example.com", timeouts: { ticketMs: 86_400_001 } }).message,
    ).toContain("at most a day");
    expect(errorOf({ server: "https://bi.example.com", timeouts: { ticketMs: Number.NaN } }).code).toBe(
      "MISCONFIGURED",
    );
    const resolved = resolveClientOptions(
      { server: "https://bi.example.com", timeouts: { handshakeMs: 500 } },
      HTTPS_PAGE,
    );
    expect(resolved.timeouts).toEqual({ ...DEFAULT_TIMEOUTS, handshakeMs: 500 });
  });
});
