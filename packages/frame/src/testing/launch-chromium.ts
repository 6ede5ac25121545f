// The one Chromium launcher of the repository's browser tests: the frame's own (src/*.browser.test.ts),
// the end-to-end tests (test/support/browser.ts re-exports it) and the bench.
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--headless",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * Makes Chromium block third-party cookies the way browsers are moving to by default (the "3PCD" test
 * switch). `test/embed-cookies.test.ts` proves with a probe that cookies are really blocked under it.
 */
const BLOCK_THIRD_PARTY_COOKIES = "--test-third-party-cookie-phaseout";

/** The system Chromium (CHROME_PATH or Debian's), never a downloaded one. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROME_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  const found = candidates.find((p): p is string => Boolean(p) && existsSync(p as string));
  if (!found) throw new Error("Chromium not found: set CHROME_PATH or install Debian's chromium package");
  return found;
}

export function launchChromium(options: { blockThirdPartyCookies?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [...CHROMIUM_ARGS, ...(options.blockThirdPartyCookies ? [BLOCK_THIRD_PARTY_COOKIES] : [])],
  });
}
