import { describe, expect, it } from "vitest";
import { isStorageFailure, storageUnavailable } from "./storage-failure.js";

const coded = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("isStorageFailure", () => {
  it("knows a database that is down, restarting, frozen, locked or full", () => {
    for (const code of ["08006", "08001", "57P01", "57P03", "53300", "57014", "40P01"])
      expect(isStorageFailure(coded(code)), code).toBe(true);
    for (const code of ["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOSPC"])
      expect(isStorageFailure(coded(code)), code).toBe(true);
    for (const code of [
      "SQLITE_BUSY",
      "SQLITE_BUSY_SNAPSHOT",
      "SQLITE_FULL",
      "SQLITE_IOERR_WRITE",
      "SQLITE_READONLY",
    ])
      expect(isStorageFailure(coded(code)), code).toBe(true);
    expect(isStorageFailure(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isStorageFailure(new Error("timeout exceeded when trying to connect"))).toBe(true);
    expect(isStorageFailure(new Error("wrapped", { cause: coded("57P01") }))).toBe(true);
  });

  it("leaves bugs and bad requests alone", () => {
    for (const code of [
      "23505",
      "42P01",
      "22P02",
      "SQLITE_CONSTRAINT_UNIQUE",
      "SQLITE_ERROR",
      "ERR_INVALID_ARG_TYPE",
    ])
      expect(isStorageFailure(coded(code)), code).toBe(false);
    expect(isStorageFailure(new TypeError("x is undefined"))).toBe(false);
    expect(isStorageFailure("Connection terminated")).toBe(false);
    expect(isStorageFailure(undefined)).toBe(false);
  });

  it("answers 503 STORAGE_UNAVAILABLE with Retry-After and nothing of the cause", () => {
    const error = storageUnavailable();
    expect(error.code).toBe("STORAGE_UNAVAILABLE");
    expect(error.headers).toEqual({ "retry-after": "2" });
    expect(error.message).not.toMatch(/postgres|sqlite|ECONN/i);
  });
});
