import { describe, expect, it } from "vitest";
import { ConfigStore } from "../config/config-store.js";
import { isPorticoError } from "../errors/portico-error.js";
import { CredentialFailures } from "./credential-failures.js";

function setUp(limit = "{ failures: 2, windowMinutes: 1 }") {
  let now = 0;
  const configStore = ConfigStore.fromText(
    `server:\n  credentialFailureLimit: ${limit}\n`,
    "/tmp/portico.yaml",
  );
  const failures = new CredentialFailures({ configStore, clock: () => now });
  let checks = 0;
  const attempt = (ip: string, ok: boolean, presented = true) =>
    failures
      .verify(ip, presented, async () => {
        checks++;
        return ok;
      })
      .catch((error: unknown) => {
        if (isPorticoError(error)) return `${error.code} ${error.headers?.["Retry-After"]}`;
        throw error;
      });
  return {
    attempt,
    checks: () => checks,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("CredentialFailures", () => {
  it("a check that throws (its store is down) is not counted as a failed guess", async () => {
    let now = 0;
    const configStore = ConfigStore.fromText(
      "server:\n  credentialFailureLimit: { failures: 1, windowMinutes: 1 }\n",
      "/tmp/portico.yaml",
    );
    const failures = new CredentialFailures({ configStore, clock: () => now });
    const down = () => failures.verify("198.51.100.9", true, async () => Promise.reject(new Error("down")));
    await expect(down()).rejects.toThrow("down");
    await expect(down()).rejects.toThrow("down");
    now += 1;
    expect(await failures.verify("198.51.100.9", true, async () => true)).toBe(true);
  });

  it("refuses a client after its failures without checking, lets successes through, and refills over the window", async () => {
    const t = setUp();
    expect(await t.attempt("198.51.100.1", false)).toBe(false);
    expect(await t.attempt("198.51.100.1", true)).toBe(true);
    expect(await t.attempt("198.51.100.1", false)).toBe(false);
    expect(t.checks()).toBe(3);
    // Two failures in the window: the next attempt, right or wrong, is refused before any check.
    expect(await t.attempt("198.51.100.1", true)).toBe("RATE_LIMITED 30");
    expect(t.checks()).toBe(3);
    expect(await t.attempt("198.51.100.2", true)).toBe(true);
    t.advance(30_000);
    expect(await t.attempt("198.51.100.1", true)).toBe(true);
  });

  it("reserves a failure for every check in flight, so concurrent guesses cannot all pass", async () => {
    const t = setUp();
    const answers = await Promise.all([1, 2, 3, 4].map(() => t.attempt("2001:db8::1", false)));
    expect(answers).toEqual([false, false, "RATE_LIMITED 30", "RATE_LIMITED 30"]);
    expect(t.checks()).toBe(2);
  });

  it("does not count a request that presents no credential", async () => {
    const t = setUp("{ failures: 1, windowMinutes: 1 }");
    for (let i = 0; i < 3; i++) expect(await t.attempt("198.51.100.1", false, false)).toBe(false);
    expect(await t.attempt("198.51.100.1", true)).toBe(true);
  });
});
