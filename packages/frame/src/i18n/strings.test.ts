import { describe, expect, it } from "vitest";
import { errorWords, translator } from "./strings.js";

describe("translator", () => {
  it("speaks German for de-*, English otherwise, and fills parameters", () => {
    expect(translator("de-CH")("clearAll")).toBe("Alle löschen");
    expect(translator("fr-FR")("clearAll")).toBe("Clear all");
    expect(translator("en")("pageOf", { page: 2, pages: 5 })).toBe("Page 2 of 5");
  });

  it("has words for each error screen and a generic fallback", () => {
    const t = translator("en");
    // A public page's visitor reads plain words, not the hub's licence terms.
    expect(errorWords(t, "NO_ACCESS_PASS")).toMatchObject({
      title: "This dashboard isn't available right now",
      text: "Please try again later.",
    });
    expect(errorWords(t, "SERVER_URL_MISMATCH").known).toBe(true);
    expect(errorWords(t, "ANONYMOUS_LIMIT").title).toBe("Too many visits");
    expect(errorWords(translator("de"), "ANONYMOUS_LIMIT").title).toBe("Zu viele Besuche");
    expect(errorWords(t, "RULE_CYCLE").title).toBe("Something went wrong");
    expect(errorWords(t, "RULE_CYCLE").known).toBe(false);
    expect(errorWords(t, "QUERY_TIMEOUT")).toMatchObject({ title: "Too long to compute", known: true });
    expect(errorWords(translator("de"), "BUSY").title).toBe("Server ausgelastet");
  });
});
