// Real Chromium (the system's, never a downloaded one) driven by playwright-core.
import { type Browser, chromium } from "playwright-core";

export const CHROME_ARGS = [
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
export const BLOCK_THIRD_PARTY_COOKIES = "--test-third-party-cookie-phaseout";

export function launchChromium(options: { blockThirdPartyCookies?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
    args: [...CHROME_ARGS, ...(options.blockThirdPartyCookies ? [BLOCK_THIRD_PARTY_COOKIES] : [])],
  });
}
