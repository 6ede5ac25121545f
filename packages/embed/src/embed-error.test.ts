import { PenpalError } from "penpal";
import { describe, expect, it } from "vitest";
import { EmbedError, rethrow, toEmbedError } from "./embed-error.js";

describe("toEmbedError", () => {
  it("maps penpal's errors to catalogue codes, keeping penpal's message", () => {
    const timeout = toEmbedError(new PenpalError("METHOD_CALL_TIMEOUT", "Method call getData() timed out"));
    expect(timeout).toMatchObject({ name: "EmbedError", code: "CALL_TIMEOUT" });
    expect(timeout.message).toContain("getData()");
    expect(toEmbedError(new PenpalError("METHOD_NOT_FOUND", "x")).code).toBe("PROTOCOL_MISMATCH");
    expect(toEmbedError(new PenpalError("CONNECTION_DESTROYED", "x")).code).toBe("DESTROYED");
  });

  it("passes a frame's failure on, a code newer than this SDK included", () => {
    expect(toEmbedError({ code: "NO_ACCESS_PASS", message: "no pass" })).toMatchObject({
      code: "NO_ACCESS_PASS",
      message: "no pass",
    });
    expect(toEmbedError({ code: "A_CODE_FROM_A_NEWER_FRAME", message: "m" }).code).toBe(
      "A_CODE_FROM_A_NEWER_FRAME",
    );
  });

  it("turns malformed failures and bugs into INTERNAL, never trusting a malformed code", () => {
    expect(toEmbedError({ code: "<img src=x>", message: "m" }).code).toBe("INTERNAL");
    expect(toEmbedError({ code: "NO_ACCESS_PASS" }).code).toBe("INTERNAL");
    expect(toEmbedError(new TypeError("boom"))).toMatchObject({ code: "INTERNAL", message: "boom" });
    expect(toEmbedError("text")).toMatchObject({ code: "INTERNAL", message: "text" });
    // A penpal code without a catalogue counterpart (or one a frame made up) is not passed off as one.
    expect(toEmbedError(new PenpalError("INVALID_ARGUMENT", "bad")).code).toBe("INTERNAL");
    expect(toEmbedError(new PenpalError("toString" as never, "bad")).code).toBe("INTERNAL");
  });

  it("keeps an EmbedError as it is; rethrow throws the converted error", () => {
    const error = new EmbedError("DESTROYED", "gone");
    expect(toEmbedError(error)).toBe(error);
    expect(JSON.parse(JSON.stringify(error))).toEqual({ code: "DESTROYED", message: "gone" });
    expect(() => rethrow(new PenpalError("CONNECTION_TIMEOUT", "t"))).toThrow(
      expect.objectContaining({ code: "HANDSHAKE_TIMEOUT" }),
    );
  });
});
