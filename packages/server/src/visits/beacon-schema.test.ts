import { describe, expect, it } from "vitest";
import { isPorticoError } from "../errors/portico-error.js";
import { parseJson } from "../http/read-json.js";
import { beaconSchema, parseBeacon } from "./beacon-schema.js";

/** What parsing a body comes to: the beacon, or the error's code and message. */
function outcome(parse: () => unknown): unknown {
  try {
    return { ok: parse() };
  } catch (error) {
    if (!isPorticoError(error)) throw error;
    return { code: error.code, message: error.message };
  }
}

describe("parseBeacon", () => {
  it("answers bodies that are not JSON, empty or of the wrong shape as the schema does", () => {
    for (const json of ["", "   ", "{", "[]", "null", '"x"', '{"type":"sheetView"}', '{"__proto__":{}}'])
      expect(outcome(() => parseBeacon(json))).toStrictEqual(outcome(() => parseJson(json, beaconSchema)));
    expect(parseBeacon('{"type":"export","app":"a","object":"o"}')).toStrictEqual({
      type: "export",
      app: "a",
      object: "o",
    });
    expect(parseBeacon('{"type":"sheetView","app":"a","pageUrl":"https://p.example/x"}')).toStrictEqual({
      type: "sheetView",
      app: "a",
      pageUrl: "https://p.example/x",
    });
  });

  it("refuses, naming the field, what the frame never sends", () => {
    const refused = (body: unknown) => outcome(() => parseBeacon(JSON.stringify(body)));
    expect(refused("{")).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(outcome(() => parseBeacon("{"))).toMatchObject({ code: "BAD_REQUEST" });
    expect(refused({ type: "click", app: "a" })).toMatchObject({ message: expect.stringMatching(/^type: /) });
    expect(refused({ type: "export", app: "" })).toMatchObject({ message: expect.stringMatching(/^app: /) });
    expect(refused({ type: "export", app: "x".repeat(257) })).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(refused({ type: "export", app: "x".repeat(256) })).toMatchObject({ ok: { app: "x".repeat(256) } });
    expect(refused({ type: "export", app: "a", sheet: 5 })).toMatchObject({
      message: expect.stringMatching(/^sheet: /),
    });
    expect(refused({ type: "export", app: "a", pageUrl: "ftp://x.example/" })).toMatchObject({
      message: expect.stringMatching(/^pageUrl: /),
    });
    expect(refused({ type: "export", app: "a", extra: 1 })).toMatchObject({ code: "VALIDATION_FAILED" });
  });
});
