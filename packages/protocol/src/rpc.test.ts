import { describe, expect, it } from "vitest";
import {
  answerHello,
  decodeEmbedParams,
  decodeSelectionsParam,
  encodeEmbedParams,
  eventForHost,
  type FrameEvent,
  isFrameEvent,
  isFrameEventOf,
  isHelloRequest,
  isHelloResponse,
  isLocale,
  isRpcFailure,
  isSelections,
  isSessionUser,
  isTheme,
  PROTOCOL_VERSION,
  protocolMajor,
  protocolMinor,
} from "./rpc.js";

const user = { userDirectory: "NONE", userId: "anonymous1", anonymous: true };

const valid: FrameEvent[] = [
  { type: "ready", protocolVersion: "1.1", user, view: "sheet", app: "sales", sheet: "overview" },
  // A 1.0 frame's version, and a newer frame's to a 1.0 host.
  { type: "ready", protocolVersion: 1, user, view: "sheet" },
  { type: "rendered", sheet: "overview", objects: 6 },
  { type: "selectionsChanged", selections: { Region: ["North"], Year: [2024] } },
  { type: "sheetChanged", sheet: "overview", title: "Overview" },
  { type: "resize", width: 800, height: 612.5 },
  { type: "error", code: "FIELD_NOT_FOUND", message: "no Colour", level: "warning", field: "Colour" },
  { type: "error", code: "NO_ACCESS_PASS", message: "You cannot access the hub" },
  { type: "sessionExpiring", expiresAt: "2026-11-22T17:00:00.000Z" },
  { type: "sessionExpired" },
  { type: "sessionRecovered", sheet: "overview", selections: {} },
  {
    type: "sessionChanged",
    user: { userDirectory: "PORTAL", userId: "alice", name: "Alice", anonymous: false },
  },
];

describe("isFrameEvent", () => {
  it("accepts every well-formed event", () => {
    for (const event of valid) expect(isFrameEvent(event), event.type).toBe(true);
  });

  it("refuses events whose fields are wrong, however plausible the type", () => {
    const bad: unknown[] = [
      null,
      "ready",
      [],
      { type: "unknown" },
      { type: "ready", protocolVersion: "1", user, view: "sheet" },
      { type: "ready", protocolVersion: 1.5, user, view: "sheet" },
      { type: "ready", protocolVersion: "1.1.0", user, view: "sheet" },
      { type: "ready", protocolVersion: 1, user: { ...user, anonymous: "yes" }, view: "sheet" },
      { type: "ready", protocolVersion: 1, user, view: "window" },
      { type: "rendered", objects: -1 },
      { type: "selectionsChanged", selections: { Region: "North" } },
      { type: "selectionsChanged", selections: { Region: [{ evil: true }] } },
      { type: "selectionsChanged", selections: { Year: [Number.NaN] } },
      { type: "sheetChanged", sheet: "s" },
      { type: "resize", width: 10, height: Number.POSITIVE_INFINITY },
      { type: "resize", width: -1, height: 10 },
      { type: "error", code: "no_access_pass", message: "x" },
      { type: "error", code: "NO ACCESS", message: "x" },
      { type: "error", code: `A${"B".repeat(64)}`, message: "x" },
      { type: "error", code: 42, message: "x" },
      { type: "error", code: "NO_ACCESS_PASS" },
      { type: "sessionExpiring", expiresAt: "tomorrow" },
      { type: "sessionExpired", extra: 1 },
      { type: "sessionRecovered" },
      { type: "sessionChanged" },
      { type: "sessionChanged", user: { ...user, anonymous: "no" } },
      { type: "sessionChanged", user, ticket: "eyJ..." },
    ];
    for (const event of bad) expect(isFrameEvent(event), JSON.stringify(event)).toBe(false);
  });

  it("passes an error code this build does not know, so a newer frame's failure still reaches the page", () => {
    expect(isFrameEvent({ type: "error", code: "SOMETHING_NEWER", message: "x" })).toBe(true);
  });

  it("refuses a type that is only an inherited key, or not a string", () => {
    expect(isFrameEvent({ type: "toString" })).toBe(false);
    expect(isFrameEvent({ type: "__proto__" })).toBe(false);
    expect(isFrameEvent({ type: { toString: () => "sessionExpired" } })).toBe(false);
  });

  it("refuses extra keys, so nothing unexpected rides along", () => {
    expect(isFrameEvent({ type: "sheetChanged", sheet: "s", title: "t", html: "<img>" })).toBe(false);
  });

  it("narrows to one type", () => {
    expect(isFrameEventOf("resize", { type: "resize", width: 1, height: 2 })).toBe(true);
    expect(isFrameEventOf("resize", { type: "sessionExpired" })).toBe(false);
  });
});

describe("argument guards", () => {
  it("selections: a record of string or finite number lists, no __proto__ key", () => {
    expect(isSelections({})).toBe(true);
    expect(isSelections({ A: [], B: ["x", 2] })).toBe(true);
    expect(isSelections(JSON.parse('{"__proto__":["x"]}'))).toBe(false);
    expect(isSelections({ "": ["x"] })).toBe(false);
    expect(isSelections({ A: [null] })).toBe(false);
    expect(isSelections([["A", ["x"]]])).toBe(false);
  });

  it("themes: names, or a base with --portico-* tokens whose values cannot break out", () => {
    expect(isTheme("dark")).toBe(true);
    expect(isTheme({ base: "light", tokens: { "--portico-accent": "#0a7" } })).toBe(true);
    expect(isTheme("sepia")).toBe(false);
    expect(isTheme({ base: "light", tokens: { color: "red" } })).toBe(false);
    expect(isTheme({ base: "light", tokens: { "--portico-accent": "red; background: url(x)" } })).toBe(false);
    expect(isTheme({ base: "light", tokens: { "--portico-accent": "red}body{x" } })).toBe(false);
  });

  it("locales: what Intl accepts", () => {
    expect(isLocale("de-DE")).toBe(true);
    expect(isLocale("en")).toBe(true);
    expect(isLocale("not a locale")).toBe(false);
    expect(isLocale("")).toBe(false);
    expect(isLocale(7)).toBe(false);
  });

  it("rpc failures carry a well-formed code (a newer frame's too) and a message", () => {
    expect(isRpcFailure({ code: "APP_NOT_FOUND", message: "x" })).toBe(true);
    expect(isRpcFailure({ code: "SOMETHING_NEWER", message: "x" })).toBe(true);
    expect(isRpcFailure({ code: "app not found", message: "x" })).toBe(false);
    expect(isRpcFailure({ code: "APP_NOT_FOUND" })).toBe(false);
    expect(isRpcFailure(new Error("APP_NOT_FOUND"))).toBe(false);
  });

  it("sessions users, themes and hello answers: every field checked, no extra keys where it matters", () => {
    const user = { userDirectory: "NONE", userId: "anonymous1", anonymous: true };
    expect(isSessionUser(user)).toBe(true);
    expect(isSessionUser({ ...user, name: "Ann" })).toBe(true);
    expect(isSessionUser({ ...user, name: 1 })).toBe(false);
    expect(isSessionUser({ ...user, token: "t" })).toBe(false);
    expect(isSessionUser({ userDirectory: "NONE", anonymous: true })).toBe(false);
    expect(isTheme({ base: "dark" })).toBe(true);
    expect(isTheme({ base: "dark", extra: 1 })).toBe(false);
    expect(isTheme({ base: "dark", tokens: [] })).toBe(false);
    expect(isHelloResponse({ protocolVersion: 1, compatible: true })).toBe(true);
    expect(isHelloResponse({ protocolVersion: 1.5, compatible: true })).toBe(false);
    expect(isHelloResponse({ protocolVersion: 1, compatible: "yes" })).toBe(false);
  });
});

describe("protocol versions", () => {
  it("reads the major of `major.minor`, and of a 1.0 peer's integer", () => {
    expect(protocolMajor(PROTOCOL_VERSION)).toBe(1);
    expect(protocolMajor("1.0")).toBe(1);
    expect(protocolMajor("2.13")).toBe(2);
    expect(protocolMajor(1)).toBe(1);
    for (const bad of ["1", "1.", ".1", "1.x", "1.1.0", " 1.1", "1e3.0", "v1.1", -1, 1.5, null, "12345.0"])
      expect(protocolMajor(bad), String(bad)).toBeUndefined();
  });

  it("hello requests: a version and a positive ticket timeout of at most a day, nothing else", () => {
    const request = { protocolVersion: "1.1", ticketTimeoutMs: 10_000 };
    expect(isHelloRequest(request)).toBe(true);
    expect(isHelloRequest({ ...request, ticketTimeoutMs: 86_400_000 })).toBe(true);
    for (const bad of [
      undefined,
      { ...request, protocolVersion: 1 },
      { ...request, protocolVersion: "one" },
      { ...request, ticketTimeoutMs: 0 },
      { ...request, ticketTimeoutMs: -5 },
      { ...request, ticketTimeoutMs: Number.POSITIVE_INFINITY },
      { ...request, ticketTimeoutMs: 86_400_001 },
      { ...request, ticketTimeoutMs: "10000" },
      { protocolVersion: "1.1" },
      { ...request, token: "t" },
    ])
      expect(isHelloRequest(bad), JSON.stringify(bad)).toBe(false);
  });

  it("hello answers: 1.0's and 1.1's forms; a method list of names; no extra keys", () => {
    expect(isHelloResponse({ protocolVersion: "1.1", compatible: true, methods: ["hello", "getData"] })).toBe(
      true,
    );
    expect(isHelloResponse({ protocolVersion: "2.0", compatible: false })).toBe(true);
    expect(isHelloResponse({ protocolVersion: "1.1", compatible: true, methods: "hello" })).toBe(false);
    expect(
      isHelloResponse({ protocolVersion: "1.1", compatible: true, methods: [{ name: "getData" }] }),
    ).toBe(false);
    expect(isHelloResponse({ protocolVersion: "1.1", compatible: true, methods: Array(101).fill("m") })).toBe(
      false,
    );
    expect(isHelloResponse({ protocolVersion: "1.1", compatible: true, user: {} })).toBe(false);
  });

  it("the frame accepts every minor of its major and answers in the form the host reads", () => {
    const methods = ["hello", "getData"];
    // A 1.0 host sends the integer 1 and nothing else, and its guard wants an integer back.
    expect(answerHello(1, undefined, methods)).toEqual({ protocolVersion: 1, compatible: true });
    expect(answerHello(2, undefined, methods)).toEqual({ protocolVersion: 1, compatible: false });
    for (const version of ["1.0", "1.1", "1.7"] as const)
      expect(answerHello(1, { protocolVersion: version, ticketTimeoutMs: 1000 }, methods)).toEqual({
        protocolVersion: PROTOCOL_VERSION,
        compatible: true,
        methods,
      });
    // The request's version is the host's full one: a host of another major is refused whatever it sends first.
    expect(answerHello(1, { protocolVersion: "2.0", ticketTimeoutMs: 1000 }, methods).compatible).toBe(false);
  });
});

describe("embed URL parameters", () => {
  it("round-trip", () => {
    const params = {
      app: "sales",
      sheet: "overview",
      view: "sheet" as const,
      theme: "dark" as const,
      locale: "de-DE",
      opt: ["currsel" as const, "noselections" as const],
      selections: { Region: ["North", "South"], Year: [2024] },
      origin: "https://portal.example",
    };
    expect(decodeEmbedParams(encodeEmbedParams(params))).toEqual(params);
  });

  it("drop malformed values instead of trusting them", () => {
    const decoded = decodeEmbedParams(
      "view=window&theme=neon&locale=%20&opt=evil,currsel&selections=%7Bnope",
    );
    expect(decoded).toEqual({ opt: ["currsel"] });
    expect(decodeSelectionsParam('{"A":"x"}')).toBeUndefined();
  });
});

describe("eventForHost", () => {
  const warning: FrameEvent = {
    type: "error",
    code: "VALUE_NOT_FOUND",
    message: "m",
    level: "warning",
    field: "Year",
  };
  const failure: FrameEvent = {
    type: "error",
    code: "NO_ACCESS_PASS",
    message: "m",
    level: "error",
    field: "x",
  };

  it("gives a 1.2 host everything, an older one errors without the 1.2 keys and no warnings", () => {
    expect(protocolMinor("1.2")).toBe(2);
    expect(protocolMinor(1)).toBe(0);
    expect(eventForHost(warning, "1.2")).toBe(warning);
    expect(eventForHost(warning, "1.1")).toBeUndefined();
    expect(eventForHost(warning, 1)).toBeUndefined();
    expect(eventForHost(failure, "1.1")).toEqual({ type: "error", code: "NO_ACCESS_PASS", message: "m" });
    expect(isFrameEvent(eventForHost(failure, "1.1"))).toBe(true);
    expect(eventForHost({ type: "sessionExpired" }, 1)).toEqual({ type: "sessionExpired" });
  });

  it("gives the view's title in ready to a 1.3 host only (an older guard refuses the unknown key)", () => {
    const ready: FrameEvent = {
      type: "ready",
      protocolVersion: "1.3",
      user: { userDirectory: "NONE", userId: "anonymous1", anonymous: true },
      view: "sheet",
      app: "spending",
      title: "City spending",
    };
    expect(eventForHost(ready, "1.3")).toBe(ready);
    const older = eventForHost(ready, "1.2");
    expect(older).not.toHaveProperty("title");
    expect(isFrameEvent(older)).toBe(true);
    expect(isFrameEvent({ ...ready, title: 7 })).toBe(false);
  });

  it("refuses an error event with a level it does not know", () => {
    expect(isFrameEvent({ ...warning, level: "fatal" })).toBe(false);
  });
});
