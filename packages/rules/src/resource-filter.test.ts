import { describe, expect, it } from "vitest";
import { RulesError } from "./errors.js";
import { matchesResourceFilter, parseResourceFilter, patternScope } from "./resource-filter.js";

const stream = { type: "Stream", id: "88ee46c6-5e9a-41a7-a46e-eb2f6aa5a8e8" };
const everyone = { type: "Stream", id: "everyone" };
const app = { type: "App", id: "a1" };
const sheet = { type: "App.Object", id: "o1" };
const user = { type: "User", id: "u1" };

describe("matchesResourceFilter", () => {
  it.each([
    ["Stream_*", [stream, everyone]],
    ["Stream_everyone", [everyone]],
    ["stream_EVERYONE", [everyone]],
    ["Stream_88ee46c6-5e9a-41a7-a46e-eb2f6aa5a8e8", [stream]],
    ["App_*", [app]],
    ["App.Object_*", [sheet]],
    ["App*", [app, sheet]],
    ["*", [stream, everyone, app, sheet, user]],
    ["Stream_everyone, App_a1", [everyone, app]],
    ["Stream_e*", [everyone]],
    ["User_*,App.Object_*", [sheet, user]],
  ])("%s matches exactly its resources", (filter, matching) => {
    for (const r of [stream, everyone, app, sheet, user]) {
      expect(matchesResourceFilter(filter, r), `${filter} vs ${r.type}_${r.id}`).toBe(matching.includes(r));
    }
  });

  it.each(["", " ", "Stream_*,", ",App_*", "Stream_", "Stream _*", "_*", "App$_*"])(
    "rejects the invalid filter %j",
    (filter) => {
      expect(() => matchesResourceFilter(filter, app)).toThrow(RulesError);
    },
  );

  it("classifies patterns per type for indexing", () => {
    const [appStar, streamOne, appPrefix, all, streamSome] = parseResourceFilter(
      "App_*, Stream_abc, App*, *, Stream_a*",
    );
    expect(patternScope(appStar!, "App").kind).toBe("all");
    expect(patternScope(appStar!, "App.Object").kind).toBe("none");
    expect(patternScope(streamOne!, "Stream")).toEqual({ kind: "id", id: "abc" });
    expect(patternScope(streamOne!, "App").kind).toBe("none");
    expect(patternScope(appPrefix!, "App.Object").kind).toBe("all");
    expect(patternScope(all!, "Anything").kind).toBe("all");
    expect(patternScope(streamSome!, "Stream").kind).toBe("some");
  });
});
