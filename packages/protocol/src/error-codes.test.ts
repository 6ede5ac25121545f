import { describe, expect, it } from "vitest";
import { ERROR_CODE_PATTERN, ErrorCode, isErrorCode, isErrorCodeLike } from "./error-codes.js";

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
    expect(isErrorCode("__proto__")).toBe(false);
  });

  it("every catalogue code has the shape that isErrorCodeLike accepts", () => {
    for (const code of Object.values(ErrorCode)) expect(code).toMatch(ERROR_CODE_PATTERN);
  });

  it("isErrorCodeLike: any well-formed code, known or newer; nothing else", () => {
    expect(isErrorCodeLike("NO_ACCESS_PASS")).toBe(true);
    expect(isErrorCodeLike("A_CODE_ADDED_LATER_2")).toBe(true);
    for (const bad of [
      "",
      "no_access_pass",
      "_LEADING",
      "2FA_REQUIRED",
      "NO ACCESS",
      "A".repeat(65),
      "NO\nPASS",
      42,
      null,
    ])
      expect(isErrorCodeLike(bad), String(bad)).toBe(false);
  });
});
