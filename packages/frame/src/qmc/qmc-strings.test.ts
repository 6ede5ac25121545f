import { describe, expect, it } from "vitest";
import { formatNumber, formatTime } from "./qmc-format.js";
import { QMC_CATALOGUES, qmcLocale, qmcTranslator } from "./qmc-strings.js";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the console's catalogues", () => {
  const { en, ...others } = QMC_CATALOGUES;
  const reference = en as Record<string, string>;

  it.each(Object.entries(others))(
    "%s has exactly English's keys, each with the same {placeholders}",
    (_, words) => {
      expect(Object.keys(words).sort()).toEqual(Object.keys(reference).sort());
      for (const [key, text] of Object.entries(reference))
        expect({ key, placeholders: placeholders((words as Record<string, string>)[key] ?? "") }).toEqual({
          key,
          placeholders: placeholders(text),
        });
    },
  );

  it("has a German catalogue in the modelled hub's German words", () => {
    const t = qmcTranslator("de");
    expect(t("virtualProxies")).toBe("Virtuelle Proxys");
    expect(t("successfullyUpdated")).toBe("Erfolgreich aktualisiert");
    expect(t("mode_allow")).toBe("Anonymen Benutzer zulassen");
    expect(t("context_both")).toBe("Sowohl im Hub als auch in QMC");
    expect(t("copyOf", { name: "Stream" })).toBe("Stream (Kopie)");
  });
});

describe("qmcLocale", () => {
  it("keeps a locale whose language has a catalogue, with its region, and falls back to English", () => {
    expect(qmcLocale("de")).toBe("de");
    expect(qmcLocale("de-ch")).toBe("de-CH");
    expect(qmcLocale("DE-AT")).toBe("de-AT");
    expect(qmcLocale("en-GB")).toBe("en-GB");
    expect(qmcLocale("fr-FR")).toBe("en");
    expect(qmcLocale("not a locale!")).toBe("en");
    expect(qmcLocale(undefined)).toBe("en");
  });

  it("gives the translator its locale, for dates and numbers", () => {
    expect(qmcTranslator("de-CH").locale).toBe("de-CH");
    expect(qmcTranslator("fr").locale).toBe("en");
    expect(qmcTranslator("fr")("apply")).toBe("Apply");
  });
});

describe("the console's dates and numbers", () => {
  it("follow the locale", () => {
    expect(formatNumber("de", 6000)).toBe("6.000");
    expect(formatNumber("en", 6000)).toBe("6,000");
    expect(formatNumber("de", 1.5)).toBe("1,5");
    expect(formatNumber("de", undefined)).toBe("0");
    const iso = "2026-03-04T05:06:07Z";
    expect(formatTime("de", iso)).toBe(
      new Intl.DateTimeFormat("de", { dateStyle: "medium", timeStyle: "medium" }).format(new Date(iso)),
    );
    expect(formatTime("de", iso)).toMatch(/^04\.03\.2026/);
    expect(formatTime("en", "not a time")).toBe("not a time");
    expect(formatTime("en", undefined)).toBe("");
  });
});
