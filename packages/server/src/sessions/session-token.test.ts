import { describe, expect, it } from "vitest";
import { hashToken } from "./session-token.js";

describe("hashToken", () => {
  it("is SHA-256 in base64url, so hashes stored before stay valid", () => {
    // FIPS 180-2 test vector for "abc".
    expect(Buffer.from(hashToken("abc"), "base64url").toString("hex")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    expect(hashToken("tøken")).not.toBe(hashToken("token"));
  });
});
