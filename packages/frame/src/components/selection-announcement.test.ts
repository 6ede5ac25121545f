import { describe, expect, it } from "vitest";
import { formatters } from "../format/formatters.js";
import { translator } from "../i18n/strings.js";
import { selectionAnnouncement } from "./selection-announcement.js";

const say = (locale: string, before: Record<string, string[]>, after: Record<string, string[]>) =>
  selectionAnnouncement(translator(locale), formatters(locale), { Day: "date" }, before, after);

describe("selectionAnnouncement", () => {
  it("names the field and its values, in the visitor's language", () => {
    expect(say("en", {}, { Department: ["Finance"] })).toBe("Department: Finance selected");
    expect(say("de", {}, { Department: ["Finance", "Parks"] })).toBe("Department: Finance, Parks ausgewählt");
  });

  it("says a field was cleared, and all at once when several went together", () => {
    expect(say("en", { Department: ["Finance"] }, { Department: [] })).toBe(
      "Selection in Department cleared",
    );
    expect(say("en", { A: ["x"], B: ["y"] }, {})).toBe("All selections cleared");
  });

  it("formats dates as the visitor reads them, and says nothing when nothing changed", () => {
    expect(say("en", {}, { Day: ["2026-03-01"] })).toBe("Day: Mar 1, 2026 selected");
    expect(say("en", { A: ["x"] }, { A: ["x"] })).toBeUndefined();
  });
});
