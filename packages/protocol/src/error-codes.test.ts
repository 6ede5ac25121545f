import { describe, expect, it } from "vitest";
import { ErrorCode, isErrorCode } from "./error-codes.js";

describe("ErrorCode", () => {
  it("maps every key to itself so codes read the same in code and on the wire", () => {
    for (const [key, value] of Object.entries(ErrorCode)) expect(value).toBe(key);
  });

  it("recognises catalogue codes and refuses anything else", () => {
    expect(isErrorCode("NO_ACCESS_PASS")).toBe(true);
    expect(isErrorCode("no_access_pass")).toBe(false);
    expect(isErrorCode("toString")).toBe(false);
    expect(isErrorCode(42)).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
  });
});
