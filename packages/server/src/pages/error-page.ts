/**
 * What a frame page (`/{P}/embed`, `/{P}/hub`) answers when it cannot be served: a small page in the
 * frame's own look with words for the visitor, never the API's JSON body or a browser error page. The
 * precise code and message are the developer's: the SDK reports them in `portico-error` and the console;
 * the page shows only the stable code, for a support request.
 */

/** The paths whose errors answer this page instead of JSON. */
const PAGE_PATH = /^(?:\/[a-z0-9._~-]+)?\/(?:embed|hub)$/;

export function isFramePagePath(path: string): boolean {
  return PAGE_PATH.test(path);
}

const WORDS = {
  en: {
    title: "This dashboard isn't available right now",
    later: "Please try again in a few minutes.",
    setup: "The page that shows it is not set up correctly. Please let the site's owner know.",
    code: "Error code:",
  },
  de: {
    title: "Dieses Dashboard ist gerade nicht verfügbar",
    later: "Bitte versuchen Sie es in einigen Minuten erneut.",
    setup:
      "Die Seite, die es zeigt, ist nicht richtig eingerichtet. Bitte informieren Sie den Betreiber der Website.",
    code: "Fehlercode:",
  },
} as const;

type Language = keyof typeof WORDS;

/** The page's language: the embed's `locale` parameter, else the browser's first preference; English else. */
export function pageLanguage(locale: string | undefined, acceptLanguage: string | undefined): Language {
  const wanted = (locale || acceptLanguage?.split(",")[0] || "").trim().slice(0, 2).toLowerCase();
  return wanted in WORDS ? (wanted as Language) : "en";
}

/** The theme's colours (`packages/frame/src/pages/theme.css`): the page looks like the frame it stands for. */
const COLOURS = {
  light: { bg: "#f4f6f8", surface: "#ffffff", text: "#1d2430", muted: "#5d6878", border: "#dde2e8" },
  dark: { bg: "#12161c", surface: "#1b2029", text: "#e7ebf0", muted: "#9aa6b5", border: "#2e3643" },
} as const;

/** Only the frame's own stylesheet rule is inline; nothing runs and nothing loads. */
export const ERROR_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'";

/** The page for an error with `code` and HTTP `status` (5xx and 429: "try again later"; else a set-up fault). */
export function errorPageHtml(
  code: string,
  status: number,
  options: { language: Language; theme?: string | undefined },
): string {
  const words = WORDS[options.language];
  const c = COLOURS[options.theme === "dark" ? "dark" : "light"];
  const text = status >= 500 || status === 429 ? words.later : words.setup;
  const safeCode = code.replace(/[^A-Z0-9_]/g, "");
  return `<!doctype html>
<html lang="${options.language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${words.title}</title>
<style>
html,body{height:100%;margin:0}
body{display:grid;place-items:center;background:${c.bg};color:${c.text};font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:460px;margin:24px;text-align:center;background:${c.surface};border:1px solid ${c.border};border-radius:10px;padding:28px 32px}
h1{font-size:18px;margin:0 0 8px}
p{margin:0 0 12px;color:${c.muted};line-height:1.5}
.code{font-size:12px;font-family:ui-monospace,monospace;margin:0}
</style></head>
<body><main role="alert" data-code="${safeCode}"><h1>${words.title}</h1><p>${text}</p><p class="code">${words.code} ${safeCode}</p></main></body></html>`;
}
