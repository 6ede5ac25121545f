import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPorticoError } from "../errors/portico-error.js";
import { parseJson } from "../http/read-json.js";
import { beaconSchema, parseBeacon } from "./beacon-schema.js";
import { plainBeacon } from "./plain-beacon.js";

/** What parsing a body comes to: the beacon, or the error's code and message. */
function outcome(parse: () => unknown): unknown {
  try {
    return { ok: parse() };
  } catch (error) {
    if (!isPorticoError(error)) throw error;
    return { code: error.code, message: error.message };
  }
}

/** Strings around the schema's limits (1 and 256 characters), odd characters included. */
const text = fc.oneof(
  fc.constantFrom("", "a", "x".repeat(256), "x".repeat(257), "sheetView", "export", "spending", "é😀\u2028"),
  fc.string({ maxLength: 10 }),
  fc.string({ unit: "grapheme", minLength: 250, maxLength: 260 }),
);
const anyValue = fc.oneof(
  { depthSize: "small" },
  text,
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
  fc.array(text, { maxLength: 2 }),
  fc.dictionary(text, text, { maxKeys: 2 }),
);
const fieldValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom("sheetView", "export") },
  { weight: 4, arbitrary: text },
  { weight: 1, arbitrary: anyValue },
  { weight: 1, arbitrary: fc.constantFrom("https://portal.example/a?b=1", "ftp://x.example/", "not a url") },
);
/** Objects over the beacon's keys and a few others; sometimes not an object at all. */
const body = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record(
      { type: fieldValue, app: fieldValue, sheet: fieldValue, object: fieldValue },
      { requiredKeys: [] },
    ),
  },
  {
    weight: 8,
    arbitrary: fc.record(
      {
        type: fieldValue,
        app: fieldValue,
        sheet: fieldValue,
        object: fieldValue,
        pageUrl: fieldValue,
        extra: fieldValue,
        __proto__: fieldValue,
      },
      { requiredKeys: [] },
    ),
  },
  { weight: 1, arbitrary: anyValue },
);

describe.each([true, false])("parseBeacon with fastPaths %s", (fastPaths) => {
  it("accepts, returns and refuses exactly what parseJson with beaconSchema does (generated bodies)", () => {
    let plain = 0;
    fc.assert(
      fc.property(body, (value) => {
        const json = JSON.stringify(value) ?? "";
        const fast = plainBeacon(JSON.parse(json === "" ? "null" : json));
        if (fast !== undefined) {
          plain++;
          const reference = beaconSchema.safeParse(JSON.parse(json));
          expect(reference.success).toBe(true);
          expect(fast).toStrictEqual(reference.data);
        }
        expect(outcome(() => parseBeacon(json, fastPaths))).toStrictEqual(
          outcome(() => parseJson(json, beaconSchema)),
        );
      }),
      { numRuns: 3000 },
    );
    // The generator reaches the hand-checked shape often enough to mean something.
    expect(plain).toBeGreaterThan(100);
  });

  it("answers bodies that are not JSON, empty or of the wrong shape as the schema does", () => {
    for (const json of ["", "   ", "{", "[]", "null", '"x"', '{"type":"sheetView"}', '{"__proto__":{}}'])
      expect(outcome(() => parseBeacon(json, fastPaths))).toStrictEqual(
        outcome(() => parseJson(json, beaconSchema)),
      );
    expect(parseBeacon('{"type":"export","app":"a","object":"o"}', fastPaths)).toStrictEqual({
      type: "export",
      app: "a",
      object: "o",
    });
    expect(
      parseBeacon('{"type":"sheetView","app":"a","pageUrl":"https://p.example/x"}', fastPaths),
    ).toStrictEqual({
      type: "sheetView",
      app: "a",
      pageUrl: "https://p.example/x",
    });
  });

  it("refuses, naming the field, what the frame never sends", () => {
    const refused = (body: unknown) => outcome(() => parseBeacon(JSON.stringify(body), fastPaths));
    expect(refused("{")).toMatchObject({ code: "VALIDATION_FAILED" });
    expect(outcome(() => parseBeacon("{", fastPaths))).toMatchObject({ code: "BAD_REQUEST" });
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
