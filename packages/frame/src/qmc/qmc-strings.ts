/**
 * The console's words: the modelled hub's management console's own (sections, fields, buttons and
 * messages), so its administrators recognise every step. English (qmc-strings-en.ts) is the reference
 * catalogue; German (qmc-strings-de.ts) has the same keys, and qmc-strings.test.ts holds every catalogue to them.
 */
import { de } from "./qmc-strings-de.js";
import { en, type QmcCatalogue, type QmcStringKey } from "./qmc-strings-en.js";

export type { QmcCatalogue, QmcStringKey } from "./qmc-strings-en.js";

/** The console's translator: the words of one catalogue, and the locale that dates and numbers follow. */
export interface QmcTranslate {
  (key: QmcStringKey, params?: Record<string, string | number>): string;
  /** The locale the words are in: the one asked for when there is a catalogue for its language, else `en`. */
  readonly locale: string;
}

/** The catalogues by language; English is the reference, every other has exactly its keys. */
export const QMC_CATALOGUES: Readonly<Record<string, QmcCatalogue>> = { en, de };

/**
 * The console's locale for a requested one (`?locale=`, else the browser's language): itself when its
 * language has a catalogue, so a `de-CH` administrator reads German words with Swiss dates, else English.
 */
export function qmcLocale(requested: string | null | undefined): string {
  let canonical: string | undefined;
  try {
    canonical = requested ? Intl.getCanonicalLocales(requested)[0] : undefined;
  } catch {
    canonical = undefined; // Not a locale at all: the reference language.
  }
  const language = canonical?.split("-")[0]?.toLowerCase();
  return canonical && language && QMC_CATALOGUES[language] ? canonical : "en";
}

/** The console's translator for `locale` (English where there is no catalogue for its language). */
export function qmcTranslator(locale: string): QmcTranslate {
  const resolved = qmcLocale(locale);
  const catalogue = QMC_CATALOGUES[resolved.split("-")[0]?.toLowerCase() ?? "en"] ?? en;
  const t = (key: QmcStringKey, params?: Record<string, string | number>) =>
    params
      ? catalogue[key].replace(/\{(\w+)\}/g, (m, name: string) =>
          params[name] === undefined ? m : String(params[name]),
        )
      : catalogue[key];
  return Object.assign(t, { locale: resolved });
}
