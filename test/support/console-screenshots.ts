// Screenshots of every section of the management console at 1280 px (and the start page at 768 px), for
// docs/console.md and review: `node --conditions=source --import tsx test/support/console-screenshots.ts
// [out-dir]` (default .tmp/shots). The server is the e2e tests' fresh one, set up by the same steps.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { launchChromium } from "./browser.js";
import { ensureFrameBuild } from "./build-bundles.js";
import {
  allowAnonymous,
  CONSOLE_SECRETS,
  consoleConfig,
  createAnalyzerRule,
  createStream,
  publishApp,
  signIn,
} from "./console-steps.js";
import { E2E_FILES, startPortico } from "./portico-server.js";

const out = path.resolve(process.argv[2] ?? ".tmp/shots");
mkdirSync(out, { recursive: true });
const server = await startPortico({
  yaml: await consoleConfig(),
  frame: await ensureFrameBuild(),
  files: E2E_FILES,
});
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
const shot = async (name: string, target: Page = page) => {
  await target.waitForTimeout(300);
  await target.screenshot({ path: path.join(out, `console-${name}.png`), fullPage: true });
  console.log(path.join(out, `console-${name}.png`));
};
const open = async (name: string) => {
  await page.getByRole("navigation").getByRole("link", { name, exact: true }).click();
  await page.waitForTimeout(300);
};
try {
  await page.goto(`${server.url}/qmc`);
  await shot("sign-in");
  await signIn(page, server.url, "admin", CONSOLE_SECRETS.admin);
  await allowAnonymous(page, "https://portal.example.com");
  await shot("proxy-edit");
  await createStream(page, "Public dashboards");
  await publishApp(page, "City spending", "Public dashboards");
  await shot("app-publish");
  await open("Anonymous access check");
  await page.getByRole("button", { name: "Check", exact: true }).click();
  await page.getByRole("button", { name: "Fix", exact: true }).click();
  await page.getByRole("region", { name: "Proposed changes" }).waitFor();
  await shot("check-fix");
  await createAnalyzerRule(page, "Anonymous analyzer");
  await shot("license-rule");
  // An invalid condition: the server's positioned message under the field.
  await page.getByRole("radio", { name: "Advanced" }).check();
  await page.locator("qmc-condition-editor textarea").fill('user.userDirectory = "NONE" and (');
  await page.getByRole("button", { name: "Apply", exact: true }).click();
  await page.locator(".field-error").first().waitFor();
  await shot("license-rule-error");
  await open("License management");
  await shot("licenses");
  await open("Streams");
  await page.getByRole("button", { name: "Edit Public dashboards" }).click();
  await shot("stream-associated-rules");
  await page.getByRole("button", { name: "Create associated rule" }).click();
  await shot("stream-create-rule");
  await open("Virtual proxies");
  await shot("proxies");
  await open("Apps");
  await shot("apps");
  await open("Security rules");
  await page.getByRole("button", { name: "Audit", exact: true }).click();
  await page.waitForTimeout(300);
  await shot("security-rules");
  await open("Users and sessions");
  await shot("users");
  await open("Visits");
  await shot("visits");
  await open("Start");
  await shot("start");
  await page.setViewportSize({ width: 768, height: 900 });
  await shot("start-768");
  await open("Virtual proxies");
  await page.getByRole("button", { name: "Edit (default proxy)" }).click();
  await shot("proxy-edit-768");
} finally {
  await browser.close();
  await server.close();
}
