import type { QueryResult, SheetObjectDef } from "@portico/protocol";
import { describe, expect, it } from "vitest";
import { FrameError } from "../errors/frame-error.js";
import { translator } from "../i18n/strings.js";
import { loadErrorAnnouncements } from "./load-error-announcement.js";

const at = { col: 0, row: 0, width: 12, height: 4 };
const OBJECTS: SheetObjectDef[] = [
  { id: "by-month", type: "line", title: "Spend by month", position: at },
  { id: "filters", type: "filterpane", fields: ["Region"], position: at },
];
const ok = { kind: "hypercube" } as unknown as QueryResult;

describe("loadErrorAnnouncements", () => {
  it("says each failed object once, by its title, in the visitor's language", () => {
    const heard = new Set<string>();
    const results = new Map<string, QueryResult | FrameError>([
      ["by-month", new FrameError("BUSY", "busy")],
      ["filters\u0000Region", new FrameError("QUERY_TIMEOUT", "slow")],
    ]);
    expect(loadErrorAnnouncements(translator("en"), OBJECTS, results, heard)).toEqual([
      "Spend by month could not be loaded: Server busy",
      "filters could not be loaded: Too long to compute",
    ]);
    expect(loadErrorAnnouncements(translator("en"), OBJECTS, results, heard)).toEqual([]);
    expect(
      loadErrorAnnouncements(
        translator("de"),
        OBJECTS,
        new Map([["by-month", new FrameError("BUSY", "")]]),
        new Set(),
      ),
    ).toEqual(["Spend by month konnte nicht geladen werden: Server ausgelastet"]);
  });

  it("says a failure again after its object has loaded in between", () => {
    const heard = new Set<string>();
    const failed = new Map<string, QueryResult | FrameError>([["by-month", new FrameError("BUSY", "")]]);
    loadErrorAnnouncements(translator("en"), OBJECTS, failed, heard);
    loadErrorAnnouncements(translator("en"), OBJECTS, new Map([["by-month", ok]]), heard);
    expect(loadErrorAnnouncements(translator("en"), OBJECTS, failed, heard)).toHaveLength(1);
  });
});
