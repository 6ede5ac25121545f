// Real Chromium (the system's, never a downloaded one) driven by playwright-core, with the flags every
// browser test of the repository uses; `launchChromium({ blockThirdPartyCookies: true })` adds the switch
// that blocks third-party cookies.
export { launchChromium } from "../../packages/frame/src/testing/launch-chromium.js";
