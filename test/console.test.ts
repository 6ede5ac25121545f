// The management console in real Chromium, on a fresh server (test/support/console-steps.ts): a RootAdmin
// walks the modelled hub's three procedures (anonymous access on a proxy, an analyzer capacity rule, a
// stream with its two associated rules) and publishes an app to the stream; then an anonymous visitor on
// another origin (http://localhost, the server on 127.0.0.1) opens it through <portico-embed>. Without the
// licence rule, the Anonymous access check names it and Fix repairs it. A stream viewer can change nothing.
import type { Browser, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "./support/axe.js";
import { launchChromium } from "./support/browser.js";
import { ensureEmbedBundle, ensureFrameBuild } from "./support/build-bundles.js";
import {
  allowAnonymous,
  CONSOLE_SECRETS,
  consoleConfig,
  createAnalyzerRule,
  createStream,
  publishApp,
  signIn,
} from "./support/console-steps.js";
import { hostPageHtml, waitForEvent } from "./support/host-page.js";
import { type HostPageServer, startHostPageServer } from "./support/host-page-server.js";
import { E2E_FILES, type PorticoTestServer, startPortico } from "./support/portico-server.js";
import { screenshot } from "./support/screenshot.js";

let browser: Browser;
let host: HostPageServer;
let frameDir: string;
const servers: PorticoTestServer[] = [];

beforeAll(async () => {
  const [sdkDir, frame] = await Promise.all([ensureEmbedBundle(), ensureFrameBuild()]);
  frameDir = frame;
  host = await startHostPageServer(sdkDir);
  browser = await launchChromium({ blockThirdPartyCookies: true });
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function freshServer(): Promise<PorticoTestServer> {
  const server = await startPortico({ yaml: await consoleConfig(), frame: frameDir, files: E2E_FILES });
  servers.push(server);
  return server;
}

/** In a browser context of its own (no cookies), an anonymous visitor opens the app from the portal. */
async function anonymousVisit(
  server: PorticoTestServer,
  pathname: string,
): Promise<{ page: Page; close(): Promise<void> }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const body = `<portico-embed id="a" server="${server.url}" app="spending" sheet="overview" style="height:500px"></portico-embed>`;
  await page.goto(host.page(pathname, hostPageHtml(body)));
  return { page, close: () => context.close() };
}

async function adminPage(server: PorticoTestServer): Promise<{ page: Page; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await signIn(page, server.url, "admin", CONSOLE_SECRETS.admin);
  return { page, close: () => context.close() };
}

describe("management console", { timeout: 90_000 }, () => {
  it("sets up anonymous access the modelled hub's way; an anonymous visitor on another origin opens the app", async () => {
    const server = await freshServer();
    const admin = await adminPage(server);
    await allowAnonymous(admin.page, host.origin);
    await createAnalyzerRule(admin.page, "Anonymous analyzer", "Public portal visitors");
    await createStream(admin.page, "Public dashboards");
    await publishApp(admin.page, "City spending", "Public dashboards");
    // The audit: what an anonymous visitor may read in the hub, and why.
    await admin.page
      .getByRole("navigation")
      .getByRole("link", { name: "Security rules", exact: true })
      .click();
    await admin.page.getByRole("button", { name: "Audit", exact: true }).click();
    await admin.page.getByRole("button", { name: "Denied: Drafts" }).waitFor();
    await admin.page.getByRole("button", { name: "Allowed: City spending › Overview" }).waitFor();
    await admin.page.getByRole("button", { name: "Allowed: Public dashboards" }).click();
    await expect
      .poll(() => admin.page.getByRole("region", { name: "Audit" }).textContent())
      .toContain("Stream_public-dashboards");
    await admin.close();

    const state = server.configStore.current;
    expect(state.proxies.get("")?.anonymousAccess).toBe("allow");
    expect(state.config.licenses?.rules).toEqual([
      {
        name: "Anonymous analyzer",
        description: "Public portal visitors",
        type: "analyzerCapacity",
        condition: 'user.userDirectory = "NONE"',
      },
    ]);
    expect(state.apps.get("spending")?.stream).toBe("public-dashboards");

    const visitor = await anonymousVisit(server, "/visitor");
    const ready = await waitForEvent(visitor.page, "portico-ready", "a");
    const { user } = ready.detail as { user: { anonymous: boolean; userId: string } };
    expect(user.anonymous).toBe(true);
    await waitForEvent(visitor.page, "portico-rendered", "a");

    // Users and sessions: the visitor's session by its GUID, with its address, page and app; End session.
    const again = await adminPage(server);
    await again.page
      .getByRole("navigation")
      .getByRole("link", { name: "Users and sessions", exact: true })
      .click();
    const guid = user.userId.replace(/^anonymous/, "");
    const row = again.page.getByRole("row").filter({ hasText: guid });
    await row.waitFor();
    const cells = (await row.getByRole("cell").allTextContents()).map((text) => text.trim());
    expect(cells.slice(0, 5)).toEqual([
      `Anonymous ${guid}`,
      "(default proxy)",
      "127.0.0.1",
      `${host.origin}/visitor`,
      "spending",
    ]);
    await screenshot(again.page, "console-sessions");
    expect(await axeViolations(again.page)).toEqual([]);
    await again.page.setViewportSize({ width: 768, height: 900 });
    await screenshot(again.page, "console-sessions-768");
    await row.getByRole("button", { name: `End session Anonymous ${guid}` }).click();
    await again.page.getByText("Successfully updated").waitFor();
    expect(await again.page.getByRole("row").filter({ hasText: guid }).count()).toBe(0);
    expect(
      (await server.storage.sessions.list({ activeAt: server.now() })).map((s) => s.userId),
    ).not.toContain(user.userId);
    await again.close();
    await visitor.close();
  });

  it("without the licence rule, the Anonymous access check names it and Fix repairs it", async () => {
    const server = await freshServer();
    const admin = await adminPage(server);
    await allowAnonymous(admin.page, host.origin);
    await createStream(admin.page, "Public dashboards");
    await publishApp(admin.page, "City spending", "Public dashboards");

    const refused = await anonymousVisit(server, "/refused");
    const error = await waitForEvent(refused.page, "portico-error", "a");
    expect((error.detail as { code: string }).code).toBe("NO_ACCESS_PASS");
    await refused.close();

    const page = admin.page;
    // License management lists the refusal, and why: no rule to try.
    await page.getByRole("navigation").getByRole("link", { name: "License management", exact: true }).click();
    const denials = page
      .getByRole("row")
      .filter({ hasText: "no user allocation and no licence rule configured" });
    await expect.poll(() => denials.count()).toBe(1);
    expect(await denials.textContent()).toMatch(/NONE\\anonymous[0-9a-f-]{36}/);
    await screenshot(page, "console-license-denials");
    // Visits: the raw log filtered to denials, its CSV export with the same filters, the analytics app.
    await page.getByRole("navigation").getByRole("link", { name: "Visits", exact: true }).click();
    await page.getByLabel("Event").selectOption("denied");
    await page.getByRole("button", { name: "Filter", exact: true }).click();
    const log = page.getByRole("table");
    await expect.poll(() => log.getByRole("row").count()).toBe(2);
    expect(await log.getByRole("row").nth(1).textContent()).toContain("Denied (NO_ACCESS_PASS)");
    const csvHref = (await page.getByRole("link", { name: "Export CSV" }).getAttribute("href")) ?? "";
    expect(csvHref).toBe("/admin/api/v1/visits/export?type=denied");
    const csv = (await (await page.request.get(`${server.url}${csvHref}`)).text()).trim().split("\n");
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain("denied");
    // The Visitor analytics app in its frame: the hub's login once (the console session is not a hub
    // session), then the app's first sheet.
    // In the console's language: the browser's English, with its region.
    expect(await page.getByRole("link", { name: "Open in a new tab" }).getAttribute("href")).toMatch(
      /^\/embed\?app=visitor-analytics&sheet=visits-over-time&locale=en(-[A-Z]{2})?$/,
    );
    const handshakes: string[] = [];
    page.on("console", (message) => {
      if (message.text().includes("no host answered the handshake")) handshakes.push(message.text());
    });
    const analytics = page.frameLocator('iframe[title="Visitor analytics"]');
    await analytics.getByLabel("User name").fill("admin");
    await analytics.getByLabel("Password").fill(CONSOLE_SECRETS.admin);
    await analytics.getByRole("button", { name: "Log in" }).click();
    await analytics.getByText("Unique visitors").first().waitFor({ timeout: 20_000 });
    await expect.poll(() => analytics.getByText("Loading…").count(), { timeout: 20_000 }).toBe(0);
    await analytics.locator("body").evaluate((body) => body.ownerDocument.defaultView?.scrollTo(0, 0));
    await page.evaluate(() => window.scrollTo(0, 0));
    // A frame of Portico's own page waits for no host page's handshake.
    expect(handshakes).toEqual([]);
    await screenshot(page, "console-visits");
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 768, height: 900 });
    await screenshot(page, "console-visits-768");
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole("navigation").getByRole("link", { name: "Anonymous access check" }).click();
    await page.getByLabel("Virtual proxy").selectOption({ label: "(default proxy)" });
    await page.getByLabel("App").selectOption({ label: "City spending" });
    await page.getByRole("button", { name: "Check", exact: true }).click();
    const license = page.locator('tr[data-check="license"]');
    await expect.poll(() => license.textContent()).toContain("Fail");
    expect(await license.textContent()).toContain("licence rule");
    expect(await page.locator('tr[data-check="proxy"]').textContent()).toContain("Pass");
    await page.getByRole("button", { name: "Fix", exact: true }).click();
    const proposal = page.getByRole("region", { name: "Proposed changes" });
    await proposal.waitFor();
    expect(await proposal.textContent()).toContain("analyzer capacity rule");
    // Shown, not applied yet.
    expect(server.configStore.current.config.licenses?.rules).toEqual([]);
    await page.getByRole("button", { name: "Apply these changes" }).click();
    await page.getByText("Anonymous visitors can open this app.").waitFor();
    await admin.close();

    const visitor = await anonymousVisit(server, "/fixed");
    await waitForEvent(visitor.page, "portico-rendered", "a");
    await visitor.close();
  });

  it("shows a rule pasted from the hub with its load warning: what Portico does not model and what it evaluates to", async () => {
    const yaml = (await consoleConfig()).replace(
      "securityRules:\n",
      `securityRules:
  - name: Hub library rule
    resourceFilter: Stream_*
    actions: [read]
    condition: resource.category != "Internal"
    context: hub
`,
    );
    const server = await startPortico({ yaml, frame: frameDir, files: E2E_FILES });
    servers.push(server);
    const admin = await adminPage(server);
    await admin.page
      .getByRole("navigation")
      .getByRole("link", { name: "Security rules", exact: true })
      .click();
    const row = admin.page.getByRole("row").filter({ hasText: "Hub library rule" });
    await expect.poll(() => row.textContent()).toContain("Warning:");
    expect(await row.textContent()).toContain("resource.category");
    await screenshot(admin.page, "console-rule-warning");
    // The default-free rules written by the configuration carry no warning.
    expect(await admin.page.getByRole("row").filter({ hasText: "RootAdmin" }).textContent()).not.toContain(
      "Warning",
    );
    await admin.close();
  });

  it("checks an advanced condition while it is typed: the server's message, a caret under its position, then fixed", async () => {
    const server = await freshServer();
    const admin = await adminPage(server);
    const page = admin.page;
    await page.getByRole("navigation").getByRole("link", { name: "Security rules", exact: true }).click();
    await page.getByRole("button", { name: "Create new" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Portal directory");
    await page.getByRole("radio", { name: "Advanced" }).check();
    const field = page.getByRole("textbox", { name: "Conditions" });
    await field.pressSequentially('user.IsAnonymous() or user.userDirectory = "NONE');
    const check = page.locator("#rule-condition-check");
    await expect.poll(() => check.textContent()).toContain("unterminated string");
    expect(await check.textContent()).toContain("(line 1, column 44)");
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    expect(await field.getAttribute("aria-describedby")).toBe("rule-condition-check");
    // The caret under the exact position, in the message and on the highlighted text.
    expect(await check.locator(".caret-excerpt").textContent()).toBe(
      `user.IsAnonymous() or user.userDirectory = "NONE\n${" ".repeat(43)}^`,
    );
    const highlight = page.locator(".code-highlight");
    expect(await highlight.locator(".error-at").textContent()).toBe('"');
    expect(await highlight.locator(".tok-function").textContent()).toBe("IsAnonymous");
    expect(await highlight.locator(".tok-property").allTextContents()).toEqual([
      "user",
      "user.userDirectory",
    ]);
    expect(await highlight.locator(".tok-keyword").textContent()).toBe("or");
    // The highlighted copy lies exactly under the typed text.
    const [under, over] = await Promise.all([highlight.boundingBox(), field.boundingBox()]);
    expect(under).toEqual(over);
    await screenshot(page, "console-condition-error");
    expect(await axeViolations(page)).toEqual([]);

    await field.press("End");
    await field.pressSequentially('"');
    await expect.poll(() => field.getAttribute("aria-invalid")).toBe("false");
    expect(await check.textContent()).toBe("");
    expect(await highlight.locator(".error-at").count()).toBe(0);
    expect(await highlight.locator(".tok-string").textContent()).toBe('"NONE"');
    await screenshot(page, "console-condition-highlight");
    await page.setViewportSize({ width: 768, height: 900 });
    await screenshot(page, "console-condition-highlight-768");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Apply", exact: true }).click();
    await page.getByText("Successfully updated").waitFor();
    expect(server.configStore.current.rules.find((r) => r.name === "Portal directory")?.condition).toBe(
      'user.IsAnonymous() or user.userDirectory = "NONE"',
    );
    await admin.close();
  });

  it("edits a proxy's anonymous limits: a number, off, or the default; 0 gets the server's message at its field", async () => {
    const server = await freshServer();
    const admin = await adminPage(server);
    const page = admin.page;
    await page.getByRole("navigation").getByRole("link", { name: "Virtual proxies", exact: true }).click();
    await page.getByRole("button", { name: "Edit (default proxy)" }).click();
    const perIp = page.getByLabel("New anonymous sessions per IP per hour");
    await perIp.fill("0");
    await page.getByRole("button", { name: "Apply", exact: true }).click();
    const error = page.locator("#limit-newSessionsPerIpPerHour-error");
    await expect.poll(() => error.textContent()).toContain("0 is not accepted");
    expect(await perIp.getAttribute("aria-describedby")).toContain("limit-newSessionsPerIpPerHour-error");
    expect(server.configStore.current.config.virtualProxies[0]?.anonymousLimits.newSessionsPerIpPerHour).toBe(
      60,
    );
    await perIp.fill("");
    await page.getByLabel("New anonymous sessions per network per hour").fill("off");
    await page.getByLabel("Concurrent anonymous sessions per IP").fill("5");
    await page.getByRole("button", { name: "Apply", exact: true }).click();
    await page.getByText("Successfully updated").waitFor();
    expect(server.configStore.current.config.virtualProxies[0]?.anonymousLimits).toMatchObject({
      newSessionsPerIpPerHour: 60,
      newSessionsPerNetworkPerHour: "off",
      concurrentSessionsPerIp: 5,
    });
    await screenshot(page, "console-proxy-limits");
    expect(await axeViolations(page)).toEqual([]);
    await admin.close();
  });

  it("previews an app's sheets; creates an app from a data file and deletes it", async () => {
    const server = await freshServer();
    const admin = await adminPage(server);
    const page = admin.page;
    await page.getByRole("navigation").getByRole("link", { name: "Apps", exact: true }).click();
    // An app's sheets preview: each sheet's objects, read-only, as the sheet lays them out.
    await page.getByRole("button", { name: "Edit City spending" }).click();
    const overview = page.getByRole("list", { name: "Objects on Overview" });
    expect(
      (await overview.getByRole("listitem").allTextContents()).map((text) =>
        text.replace(/\s+/g, " ").trim(),
      ),
    ).toEqual(["About text", "Total kpi", "Regions filterpane"]);
    expect(await page.getByRole("list", { name: "Objects on Details" }).getByRole("listitem").count()).toBe(
      1,
    );
    await screenshot(page, "console-app-sheets");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Back", exact: true }).click();
    await page.getByRole("button", { name: "Create new" }).click();
    await page.getByLabel("App ID").fill("loans");
    await page.getByLabel("Name", { exact: true }).fill("Library loans");
    await page.getByLabel("Data file").fill("spending.csv");
    await screenshot(page, "console-app-create");
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole("button", { name: "Apply", exact: true }).click();
    await page.getByText("Successfully updated").waitFor();
    expect(server.configStore.current.apps.get("loans")).toMatchObject({
      name: "Library loans",
      tables: [{ name: "data", source: "spending.csv" }],
    });
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    await page.getByRole("row").filter({ hasText: "City spending" }).waitFor();
    expect(server.configStore.current.apps.has("loans")).toBe(false);
    expect(server.configStore.current.apps.has("spending")).toBe(true);
    await admin.close();
  });

  it("shows a stream viewer the streams read-only, and the API refuses their changes", async () => {
    const server = await freshServer();
    const context = await browser.newContext({ viewport: { width: 768, height: 900 } });
    const page = await context.newPage();
    await signIn(page, server.url, "viewer", CONSOLE_SECRETS.viewer);
    const nav = page.getByRole("navigation");
    expect((await nav.getByRole("link").allTextContents()).map((text) => text.trim())).toEqual([
      "Start",
      "Streams",
    ]);
    await nav.getByRole("link", { name: "Streams" }).click();
    await page.getByText("Read only: the security rules give you no right to change this.").waitFor();
    expect(await page.getByRole("button", { name: "Create new" }).count()).toBe(0);
    await page.getByRole("button", { name: "Edit Everyone" }).click();
    expect(await page.getByLabel("Name", { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Apply" }).count()).toBe(0);
    // The page's own credentials (cookie, CSRF token) cannot change the section either.
    const status = await page.evaluate(async () => {
      const session = await (await fetch("/admin/api/v1/console/session")).json();
      const res = await fetch("/admin/api/v1/config/streams", {
        method: "PUT",
        headers: { "content-type": "application/json", "x-portico-csrf": session.csrfToken },
        body: JSON.stringify({ streams: [{ id: "mine", name: "Mine" }] }),
      });
      return res.status;
    });
    expect(status).toBe(403);
    expect(server.configStore.current.streams.has("mine")).toBe(false);
    await context.close();
  });

  it("speaks the modelled hub's German with ?locale=de (and to a German browser): sections, Apply, lang", async () => {
    const server = await freshServer();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/qmc?locale=de`);
    await page.getByLabel("Benutzerverzeichnis").fill("PORTAL");
    await page.getByLabel("Benutzer-ID").fill("admin");
    // A wrong password is told in the console's words, not the server's English.
    await page.getByLabel("Kennwort").fill("not the password");
    await page.getByRole("button", { name: "Anmelden" }).click();
    await page
      .getByRole("alert")
      .getByText("Benutzerverzeichnis, Benutzer-ID oder Kennwort ist falsch.")
      .waitFor();
    await page.getByLabel("Kennwort").fill(CONSOLE_SECRETS.admin);
    await page.getByRole("button", { name: "Anmelden" }).click();
    const nav = page.getByRole("navigation");
    await nav.getByRole("link", { name: "Start" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("de");
    expect((await nav.getByRole("link").allTextContents()).map((text) => text.trim())).toEqual([
      "Start",
      "Virtuelle Proxys",
      "Lizenzverwaltung",
      "Streams",
      "Apps",
      "Sicherheitsregeln",
      "Benutzer und Sitzungen",
      "Besuche",
      "Prüfung des anonymen Zugriffs",
    ]);
    await expect.poll(() => page.getByText("…").count()).toBe(0);
    await screenshot(page, "console-de-start");
    expect(await axeViolations(page)).toEqual([]);

    // *Virtuelle Proxys* -> *Bearbeiten* -> *Anonymen Benutzer zulassen* -> *Anwenden*.
    await nav.getByRole("link", { name: "Virtuelle Proxys", exact: true }).click();
    await page.getByRole("button", { name: "Bearbeiten (Standard-Proxy)" }).click();
    await page.getByLabel("Anonymer Zugriffsmodus").selectOption({ label: "Anonymen Benutzer zulassen" });
    await page.getByLabel("Host-Positivliste").fill(host.origin);
    await page.getByRole("button", { name: "Anwenden", exact: true }).click();
    await page.getByText("Erfolgreich aktualisiert").waitFor();
    expect(server.configStore.current.proxies.get("")?.anonymousAccess).toBe("allow");
    await screenshot(page, "console-de-proxy-edit");
    expect(await axeViolations(page)).toEqual([]);

    // A stream's *Zugehörige Regel erstellen*: the actions and contexts in the hub's German.
    await nav.getByRole("link", { name: "Streams", exact: true }).click();
    await page.getByRole("button", { name: "Bearbeiten Everyone" }).click();
    await page.getByRole("button", { name: "Zugehörige Regel erstellen" }).click();
    expect(await page.getByRole("checkbox", { name: "Lesen", exact: true }).isChecked()).toBe(true);
    await page.getByRole("checkbox", { name: "Veröffentlichen", exact: true }).waitFor();
    await page.getByLabel("Kontext").selectOption({ label: "Sowohl im Hub als auch in QMC" });
    await screenshot(page, "console-de-associated-rule");
    expect(await axeViolations(page)).toEqual([]);

    // The pool in German digits.
    await nav.getByRole("link", { name: "Lizenzverwaltung", exact: true }).click();
    await page.getByRole("tab", { name: "Analyzer-Kapazitätsregeln" }).waitFor();
    await expect.poll(() => page.locator(".panel").first().textContent()).toContain("0 / 6.000");
    await screenshot(page, "console-de-licenses");
    // Every other section in German, for a person to look at the longer words, and for axe.
    const found: Record<string, string[]> = {};
    for (const [name, shot] of [
      ["Sicherheitsregeln", "rules"],
      ["Apps", "apps"],
      ["Benutzer und Sitzungen", "users"],
      ["Besuche", "visits"],
      ["Prüfung des anonymen Zugriffs", "check"],
    ] as const) {
      await nav.getByRole("link", { name, exact: true }).click();
      await page.getByRole("heading", { level: 2, name }).waitFor();
      // The Visitor analytics frame asks for the hub's login in the console's language.
      if (shot === "visits")
        await page.frameLocator('iframe[title="Besucheranalyse"]').getByLabel("Benutzername").waitFor();
      await page.waitForTimeout(200);
      await screenshot(page, `console-de-${shot}`);
      found[name] = await axeViolations(page);
    }
    // The check's requirements in German (no licence rule yet: that one fails).
    await page.getByRole("button", { name: "Prüfen", exact: true }).click();
    const license = page.locator('tr[data-check="license"]');
    await expect.poll(() => license.textContent()).toContain("Eine Lizenzregel gibt dem Besucher");
    expect(await license.textContent()).toContain("Nicht bestanden");
    await screenshot(page, "console-de-check-report");
    found["Prüfung: Bericht"] = await axeViolations(page);
    await page.setViewportSize({ width: 768, height: 900 });
    await nav.getByRole("link", { name: "Sicherheitsregeln", exact: true }).click();
    await page.getByRole("heading", { level: 2, name: "Sicherheitsregeln" }).waitFor();
    await screenshot(page, "console-de-rules-768");
    found["Sicherheitsregeln at 768 px"] = await axeViolations(page);
    expect(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length > 0))).toEqual({});
    await context.close();

    // Without ?locale, the browser's language: German for de-*, English for any other.
    for (const [locale, lang, button] of [
      ["de-AT", "de-AT", "Anmelden"],
      ["fr-FR", "en", "Sign in"],
    ]) {
      const other = await browser.newContext({ locale });
      const otherPage = await other.newPage();
      await otherPage.goto(`${server.url}/qmc`);
      await otherPage.getByRole("button", { name: button }).waitFor();
      expect(await otherPage.locator("html").getAttribute("lang")).toBe(lang);
      await other.close();
    }
  });

  it("passes axe's WCAG 2.2 A/AA rules on every section, at 1280 and 768 px", async () => {
    const server = await freshServer();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/qmc`);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    const found: Record<string, string[]> = { "sign-in": await axeViolations(page) };
    await signIn(page, server.url, "admin", CONSOLE_SECRETS.admin);
    const nav = page.getByRole("navigation");
    for (const section of [
      "Start",
      "Virtual proxies",
      "License management",
      "Streams",
      "Apps",
      "Security rules",
      "Users and sessions",
      "Visits",
      "Anonymous access check",
    ]) {
      await nav.getByRole("link", { name: section, exact: true }).click();
      await page.getByRole("heading", { level: 2, name: section }).waitFor();
      await page.waitForTimeout(200);
      found[section] = await axeViolations(page);
    }
    await page.getByRole("button", { name: "Check", exact: true }).click();
    await page.locator('tr[data-check="license"]').waitFor();
    found.report = await axeViolations(page);
    await nav.getByRole("link", { name: "Streams", exact: true }).click();
    await page.getByRole("button", { name: "Edit Everyone" }).click();
    await page.getByRole("button", { name: "Create associated rule" }).click();
    found["associated rule"] = await axeViolations(page);
    await page.setViewportSize({ width: 768, height: 900 });
    found["associated rule at 768 px"] = await axeViolations(page);
    await context.close();
    expect(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length > 0))).toEqual({});
  });
});
