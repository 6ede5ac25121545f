// The management console's procedures as an administrator clicks them (test/console.test.ts): the steps of
// the modelled hub's set-up of anonymous access, each ending on its "Successfully updated".
import type { Page } from "playwright-core";
import { parseDocument } from "yaml";
import { E2E_SECRETS, e2eConfig } from "./portico-server.js";

/** Both console users sign in with e2eConfig's local user's password (hashed once, there). */
export const CONSOLE_SECRETS = { admin: E2E_SECRETS.alicePassword, viewer: E2E_SECRETS.alicePassword };

/**
 * A fresh server as an administrator finds it, from e2eConfig: the default proxy alone, without anonymous
 * access; the local user as `admin` (RootAdmin) and `viewer` (a reader of streams in the console); the
 * default security rules (RootAdmin) plus that reader's; an analyzer capacity pool with no licence rule
 * yet (the admin has a professional allocation for the hub); the app `spending` in a drafts stream no
 * visitor reads; and the Visitor analytics app.
 */
export async function consoleConfig(): Promise<string> {
  const doc = parseDocument(await e2eConfig([]));
  doc.set("virtualProxies", [{ prefix: "", anonymousAccess: "none", hostAllowList: [] }]);
  const local = doc.getIn(["userDirectories", 0, "users", 0]) as { toJSON(): { passwordHash: string } };
  const { passwordHash } = local.toJSON();
  doc.setIn(
    ["userDirectories", 0, "users"],
    [
      { userId: "admin", name: "Ada Admin", passwordHash, roles: ["RootAdmin"] },
      { userId: "viewer", name: "Vic Viewer", passwordHash, roles: ["StreamViewer"] },
    ],
  );
  doc.set("streams", [
    { id: "everyone", name: "Everyone" },
    { id: "drafts", name: "Drafts" },
  ]);
  doc.setIn(["apps", 0, "stream"], "drafts");
  doc.setIn(["apps", 0, "published"], false);
  doc.set("securityRules", [
    doc.getIn(["securityRules", 0]),
    {
      name: "RootAdmin",
      resourceFilter: "*",
      actions: [
        "create",
        "read",
        "update",
        "delete",
        "export",
        "publish",
        "changeowner",
        "changerole",
        "exportdata",
      ],
      condition: 'user.roles = "RootAdmin"',
      context: "both",
    },
    {
      name: "Stream viewers in the console",
      resourceFilter: "Stream_*",
      actions: ["read"],
      condition: 'user.roles = "StreamViewer"',
      context: "qmc",
    },
  ]);
  doc.set("licenses", {
    analyzerCapacity: { minutesPerMonth: 6000 },
    allocations: [{ userDirectory: "PORTAL", userId: "admin", type: "professional" }],
    rules: [],
  });
  doc.set("visits", { analyticsApp: true });
  return String(doc);
}

/** Opens the console and signs in. */
export async function signIn(page: Page, url: string, userId: string, password: string): Promise<void> {
  await page.goto(`${url}/qmc`);
  await page.getByLabel("User directory").fill("PORTAL");
  await page.getByLabel("User ID").fill(userId);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("link", { name: "Start" }).waitFor();
}

async function applied(page: Page, button = "Apply"): Promise<void> {
  await page.getByRole("button", { name: button, exact: true }).click();
  await page.getByText("Successfully updated").waitFor();
}

async function section(page: Page, name: string): Promise<void> {
  await page.getByRole("navigation").getByRole("link", { name, exact: true }).click();
}

/** *Virtual proxies* -> the default proxy -> *Edit* -> *Allow anonymous user*, the portal's origin -> *Apply*. */
export async function allowAnonymous(page: Page, portalOrigin: string): Promise<void> {
  await section(page, "Virtual proxies");
  await page.getByRole("button", { name: "Edit (default proxy)" }).click();
  await page.getByLabel("Anonymous access mode").selectOption({ label: "Allow anonymous user" });
  await page.getByLabel("Host allow list").fill(portalOrigin);
  await applied(page);
}

/** *License management* -> *Analyzer capacity rules* -> *Create new*, a name, basic `userDirectory = NONE`. */
export async function createAnalyzerRule(page: Page, name: string, description?: string): Promise<void> {
  await section(page, "License management");
  await page.getByRole("tab", { name: "Analyzer capacity rules" }).click();
  await page.getByRole("button", { name: "Create new" }).click();
  await page.getByLabel("Name", { exact: true }).fill(name);
  if (description !== undefined) await page.getByLabel("Description", { exact: true }).fill(description);
  await page.getByLabel("User property").selectOption("userDirectory");
  await page.getByLabel("Operator").selectOption("=");
  await page.getByLabel("Value", { exact: true }).fill("NONE");
  await applied(page);
}

/** One *Create associated rule* of the stream open in the editor. */
async function associatedRule(
  page: Page,
  rule: { name: string; actions: string[]; condition: string; context: string },
): Promise<void> {
  await page.getByRole("button", { name: "Create associated rule" }).click();
  await page.getByLabel("Name", { exact: true }).fill(rule.name);
  for (const action of ["Read", "Publish"])
    await page.getByRole("checkbox", { name: action, exact: true }).setChecked(rule.actions.includes(action));
  await page.getByRole("radio", { name: "Advanced" }).check();
  await page.locator("#rule-condition").fill(rule.condition);
  await page.getByLabel("Context").selectOption({ label: rule.context });
  await applied(page);
  await page.getByRole("button", { name: "Back" }).click();
}

/** *Streams* -> *Create new* -> *Apply*, then its two associated rules (anonymous *Read* in hub; logged-in both). */
export async function createStream(page: Page, name: string): Promise<void> {
  await section(page, "Streams");
  await page.getByRole("button", { name: "Create new" }).click();
  await page.getByLabel("Name", { exact: true }).fill(name);
  await applied(page);
  await associatedRule(page, {
    name: `${name}: anonymous read`,
    actions: ["Read"],
    condition: "user.IsAnonymous()",
    context: "Only in hub",
  });
  await associatedRule(page, {
    name: `${name}: logged-in read and publish`,
    actions: ["Read", "Publish"],
    condition: "!user.IsAnonymous()",
    context: "Both in hub and QMC",
  });
}

/** *Apps* -> the app -> its stream, *Published* -> *Publish*. */
export async function publishApp(page: Page, app: string, stream: string): Promise<void> {
  await section(page, "Apps");
  await page.getByRole("button", { name: `Edit ${app}` }).click();
  await page.getByLabel("Stream").selectOption({ label: stream });
  await page.getByRole("checkbox", { name: "Published" }).check();
  await applied(page, "Publish");
}
