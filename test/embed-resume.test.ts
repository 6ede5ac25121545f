// A visitor who reloads, moves on to the site's next page, opens another tab or closes the tab, in real
// Chromium: the host page on http://localhost:<port>, the server on http://127.0.0.1:<port>, third-party
// cookies blocked, the real frame. One session per visitor, one licence for it, and a session that ends
// (reason `left`) once the visitor has gone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureFrameBuild } from "./support/build-bundles.js";
import { useEmbedWorld } from "./support/embed-world.js";
import { hostPageHtml } from "./support/host-page.js";
import { E2E_FILES, e2eConfig, type PorticoTestServer, startPortico } from "./support/portico-server.js";

const world = useEmbedWorld(ensureFrameBuild);

/** One pass per identity for 60 minutes: what a visitor costs shows in the pool. */
const PASSES = `
licenses:
  loginAccessPasses: 50
  rules:
    - { name: Anonymous passes, type: loginAccessPass, condition: user.IsAnonymous() }
`;

let portico: PorticoTestServer;
beforeAll(async () => {
  // Both sites may embed: a credential is still only good on the page origin it was issued to.
  const yaml = (await e2eConfig([world.host.origin, world.stranger.origin], { licenses: PASSES })).replace(
    "  - prefix: anon\n    anonymousAccess: always\n",
    "  - prefix: anon\n    anonymousAccess: always\n    leaveGraceSeconds: 2\n",
  );
  expect(yaml).toContain("leaveGraceSeconds: 2");
  portico = await startPortico({ yaml, frame: await ensureFrameBuild(), files: E2E_FILES });
});
afterAll(async () => portico?.close());

/** A page with two embeds of the dashboard through `createClient` with `resume`. */
function twoEmbeds(resume: "tab" | "browser" | "off", proxy = "anon") {
  return {
    body: `<div id="a" style="height:300px"></div><div id="b" style="height:300px"></div>`,
    script: `
      const client = window.portico.createClient({ server: ${JSON.stringify(portico.url)}, proxy: ${JSON.stringify(proxy)}, resume: ${JSON.stringify(resume)} });
      window.views = [
        client.embed(document.getElementById("a"), { app: "spending", sheet: "overview" }),
        client.embed(document.getElementById("b"), { app: "spending", object: "total" }),
      ];
      window.client = client;
      window.users = Promise.all(window.views.map((v) => v.ready));
    `,
  };
}

async function openTwoEmbeds(path: string, resume: "tab" | "browser" | "off" = "tab", proxy = "anon") {
  const page = twoEmbeds(resume, proxy);
  await world.page.goto(world.host.page(path, hostHtml(page.body, page.script)));
  return usersOnPage();
}

/** The identities the page's two views report once ready. */
async function usersOnPage(page = world.page) {
  return page.evaluate(async () => {
    type Ready = { user: { userId: string } };
    const ready = (await (window as unknown as { users: Promise<Ready[]> }).users) ?? [];
    return ready.map((r) => r.user.userId);
  });
}

const hostHtml = (body: string, script: string) => hostPageHtml(body, script);

async function sessionsOf(userId: string) {
  return (await portico.storage.sessions.list({ proxy: "anon" })).filter((s) => s.userId === userId);
}

async function passesUsed() {
  return (await portico.storage.licences.passesOut(portico.now())) as number;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("one visitor, one session: reloads, next pages, tabs, leaving", () => {
  it("five reloads of a page with two embeds make one session and spend one pass", async () => {
    const before = await passesUsed();
    const [first, second] = await openTwoEmbeds("/reloads");
    expect(second).toBe(first);
    for (let i = 0; i < 5; i++) {
      await world.page.reload();
      expect(await usersOnPage()).toEqual([first, first]);
    }
    const sessions = await sessionsOf(first ?? "");
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.endedAt).toBeNull();
    expect((await passesUsed()) - before).toBe(1);
    // The visit log has the page's URL as the default page-url=path sends it: no query string.
    const starts = await portico.storage.visits.listAfter({ type: "sessionStart" }, 0, 1000);
    expect(starts.find((e) => e.userId === first)?.pageUrl).toBe(`${world.host.origin}/reloads`);
  });

  it("closing the tab ends the session once the grace has passed: sessionEnd left, a short duration", async () => {
    const [user] = await openTwoEmbeds("/closing");
    const started = Date.now();
    await world.page.close({ runBeforeUnload: true });
    await waitUntil(async () => (await sessionsOf(user ?? ""))[0]?.endReason === "left");
    const [session] = await sessionsOf(user ?? "");
    expect(session?.endedAt).not.toBeNull();
    const endOf = async () =>
      (await portico.storage.visits.listAfter({ type: "sessionEnd" }, 0, 1000)).find(
        (e) => e.sessionId === session?.id,
      );
    // The visit log commits the end just after the session's row.
    await waitUntil(async () => (await endOf()) !== undefined);
    const end = await endOf();
    expect(end).toMatchObject({ reason: "left" });
    expect(end?.durationMs ?? Number.POSITIVE_INFINITY).toBeLessThan(5000);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it("destroying the last embed says the visitor left; a page that embeds again within the grace keeps the session", async () => {
    const [user] = await openTwoEmbeds("/destroy");
    await world.page.evaluate(() => (window as unknown as { client: { destroy(): void } }).client.destroy());
    await world.page.waitForTimeout(300);
    expect((await sessionsOf(user ?? ""))[0]?.leftAt).toEqual(expect.any(Number));
    // The framework mounts the dashboard again (a route change): the same visitor, the same session.
    const again = await world.page.evaluate(async (server) => {
      type Client = { embed(e: Element, o: unknown): { ready: Promise<{ user: { userId: string } }> } };
      const w = window as unknown as { portico: { createClient(o: unknown): Client } };
      const client = w.portico.createClient({ server, proxy: "anon" });
      const view = client.embed(document.getElementById("a") as Element, {
        app: "spending",
        sheet: "overview",
      });
      return (await view.ready).user.userId;
    }, portico.url);
    expect(again).toBe(user);
    await world.page.waitForTimeout(3000);
    const sessions = await sessionsOf(user ?? "");
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.endedAt).toBeNull();
  });

  it("resume=browser: the site's page in a second tab continues the visitor's session", async () => {
    const [user] = await openTwoEmbeds("/tab-one", "browser");
    const second = await world.page.context().newPage();
    const page = twoEmbeds("browser");
    await second.goto(world.host.page("/tab-two", hostHtml(page.body, page.script)));
    expect(await usersOnPage(second)).toEqual([user, user]);
    expect(await sessionsOf(user ?? "")).toHaveLength(1);
    await second.close();
  });

  it("resume=tab does not reach another tab; a credential copied to another proxy is refused and a new visitor starts", async () => {
    const [user] = await openTwoEmbeds("/tab-only", "tab");
    const other = await world.page.context().newPage();
    const page = twoEmbeds("tab");
    await other.goto(world.host.page("/tab-only-2", hostHtml(page.body, page.script)));
    const [stranger] = await usersOnPage(other);
    expect(stranger).not.toBe(user);
    await other.close();

    // The page's credential for /anon, planted as /partner's: the server refuses it for that proxy.
    await world.page.evaluate((server) => {
      const credential = sessionStorage.getItem(`portico:resume:${server}|anon`);
      if (credential) sessionStorage.setItem(`portico:resume:${server}|partner`, credential);
    }, portico.url);
    const refused = world.page.waitForResponse((r) => r.url().includes("/partner/api/v1/sessions/resume"));
    await world.page.goto(
      world.host.page(
        "/partner",
        hostHtml(twoEmbeds("tab", "partner").body, twoEmbeds("tab", "partner").script),
      ),
    );
    expect((await refused).status()).toBe(401);
    const [partnerUser] = await usersOnPage();
    expect(partnerUser).not.toBe(user);
  });

  it("a credential copied to another site that may embed too is refused there, and that site gets its own visitor", async () => {
    const [user] = await openTwoEmbeds("/copied", "browser");
    const credential = await world.page.evaluate(
      (server) => localStorage.getItem(`portico:resume:${server}|anon`),
      portico.url,
    );
    expect(credential).toEqual(expect.any(String));
    const other = await world.page.context().newPage();
    await other.goto(world.stranger.page("/blank", "<!doctype html><title>blank</title>"));
    await other.evaluate(
      ([server, value]) => localStorage.setItem(`portico:resume:${server}|anon`, value ?? ""),
      [portico.url, credential] as const,
    );
    const refused = other.waitForResponse((r) => r.url().includes("/anon/api/v1/sessions/resume"));
    const page = twoEmbeds("browser");
    await other.goto(world.stranger.page("/copied", hostHtml(page.body, page.script)));
    expect((await refused).status()).toBe(401);
    const [otherUser] = await usersOnPage(other);
    expect(otherUser).not.toBe(user);
    await other.close();
    // The credential still works on its own site.
    await world.page.reload();
    expect(await usersOnPage()).toEqual([user, user]);
  });

  it("a 60-minute pass is reused when the same visitor's session has ended and they come back", async () => {
    const [user] = await openTwoEmbeds("/return", "tab");
    const before = await passesUsed();
    const [session] = await sessionsOf(user ?? "");
    // The visitor's session ends meanwhile (as an admin's revocation or the sweep would end it).
    await portico.storage.sessions.end(session?.id ?? "", portico.now(), "revoked");
    portico.advance(20 * 60_000);
    await world.page.reload();
    expect(await usersOnPage()).toEqual([user, user]);
    const sessions = await sessionsOf(user ?? "");
    expect(sessions).toHaveLength(2);
    expect(await passesUsed()).toBe(before);
  });
});
