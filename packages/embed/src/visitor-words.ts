/**
 * What the element shows a visitor when the frame cannot show anything itself (the page's origin refused,
 * the server unreachable, the element misconfigured): plain words in the page's language. The precise
 * code and message are the developer's, in `portico-error` and the console.
 */
const UNAVAILABLE: Record<string, string> = {
  en: "This dashboard isn't available right now. Please try again later.",
  de: "Dieses Dashboard ist gerade nicht verfügbar. Bitte versuchen Sie es später erneut.",
};

/** The sentence for `locale` (a BCP 47 tag, or nothing: the browser's language); English when we have none. */
export function unavailableText(locale: string | undefined): string {
  const language = (locale || globalThis.navigator?.language || "en").slice(0, 2).toLowerCase();
  return UNAVAILABLE[language] ?? (UNAVAILABLE.en as string);
}
