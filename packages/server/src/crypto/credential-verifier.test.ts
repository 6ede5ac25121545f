import { describe, expect, it } from "vitest";
import { CredentialVerifier, MAX_CONCURRENT_SCRYPT } from "./credential-verifier.js";
import { DUMMY_HASH, hashSecret, verifySecret } from "./secret-hash.js";

describe("secret hashes", () => {
  it("verify the right secret only; malformed or hostile hashes never match", async () => {
    const hash = await hashSecret("s3cret");
    expect(await verifySecret("s3cret", hash)).toBe(true);
    expect(await verifySecret("s3cret ", hash)).toBe(false);
    expect(await verifySecret("s3cret", DUMMY_HASH)).toBe(false);
    for (const bad of [
      "",
      "s3cret",
      "scrypt$16384$8$1$salt",
      "bcrypt$10$x$y$z$w",
      `scrypt$${2 ** 30}$8$1$AAAA$${"A".repeat(43)}`,
      "scrypt$1000$8$1$AAAA$AAAAAAAAAAAAAAAAAAAAAA",
    ])
      expect(await verifySecret("s3cret", bad), bad).toBe(false);
  });
});

describe("CredentialVerifier", () => {
  it("caches successes only, per stored hash", async () => {
    let calls = 0;
    const verifier = new CredentialVerifier(async (secret) => {
      calls++;
      return secret === "good";
    });
    expect(await verifier.verify("good", "h1")).toBe(true);
    expect(await verifier.verify("good", "h1")).toBe(true);
    expect(calls).toBe(1);
    expect(await verifier.verify("good", "h2")).toBe(true);
    expect(calls).toBe(2);
    expect(await verifier.verify("bad", "h1")).toBe(false);
    expect(await verifier.verify("bad", "h1")).toBe(false);
    expect(calls).toBe(4);
    expect(await verifier.verify("good", undefined)).toBe(false);
    expect(calls).toBe(5);
  });

  it(`runs at most ${MAX_CONCURRENT_SCRYPT} verifications at once and serves every caller`, async () => {
    let running = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const verifier = new CredentialVerifier(async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running--;
      return false;
    });
    const all = Promise.all(Array.from({ length: 7 }, (_, i) => verifier.verify(`bad${i}`, "h")));
    for (let served = 0; served < 7; served++) {
      while (releases.length === 0) await new Promise((r) => setImmediate(r));
      expect(running).toBeLessThanOrEqual(MAX_CONCURRENT_SCRYPT);
      releases.shift()?.();
    }
    expect(await all).toEqual(Array(7).fill(false));
    expect(peak).toBe(MAX_CONCURRENT_SCRYPT);
  });
});
