import { describe, expect, it } from "vitest";
import {
  FIRST_PARTY_FRAME_NAME,
  isFirstPartyFrame,
  isParentOriginAllowed,
  parentOriginCandidate,
} from "./parent-origin.js";

const ancestors = (...origins: string[]) =>
  ({
    ancestorOrigins: Object.assign([...origins], { contains: () => false, item: () => null }),
  }) as unknown as Pick<Location, "ancestorOrigins">;

describe("parent origin", () => {
  it("believes the browser's ancestorOrigins over the referrer and the hint", () => {
    expect(
      parentOriginCandidate(ancestors("https://a.example"), "https://b.example/x", "https://c.example"),
    ).toBe("https://a.example");
    expect(parentOriginCandidate(ancestors(), "https://b.example/page?q", "https://c.example")).toBe(
      "https://b.example",
    );
    expect(parentOriginCandidate(ancestors(), "", "https://c.example/")).toBe("https://c.example");
    expect(parentOriginCandidate(ancestors(), "", "javascript:alert(1)")).toBeUndefined();
  });

  it("allows exact listed origins and the frame's own, nothing else", () => {
    const list = ["https://portal.example"];
    expect(isParentOriginAllowed("https://portal.example", list, "https://bi.example")).toBe(true);
    expect(isParentOriginAllowed("https://bi.example", list, "https://bi.example")).toBe(true);
    expect(isParentOriginAllowed("https://portal.example.evil", list, "https://bi.example")).toBe(false);
    expect(isParentOriginAllowed("http://portal.example", list, "https://bi.example")).toBe(false);
    expect(isParentOriginAllowed("null", [...list, "null"], "https://bi.example")).toBe(false);
    expect(isParentOriginAllowed("https://x.example", [], "https://bi.example")).toBe(false);
  });

  it("runs first-party, without a handshake, only in a same-origin parent that names the frame so", () => {
    const own = "https://bi.example";
    expect(isFirstPartyFrame(own, own, FIRST_PARTY_FRAME_NAME)).toBe(true);
    expect(isFirstPartyFrame(own, own, "")).toBe(false);
    expect(isFirstPartyFrame("https://portal.example", own, FIRST_PARTY_FRAME_NAME)).toBe(false);
  });
});
