// The SDK with the REAL frame (packages/frame, built on demand) and the real server, in real Chromium with
// two origins and third-party cookies blocked: what a web developer's visitors see.
import { NO_ACCESS_PASS_MESSAGE } from "@portico/protocol";
import type { Frame } from "playwright-core";
import { describe, expect, it } from "vitest";
import { BOOT_MARK, UI_WAIT_MS } from "../packages/frame/src/pages/boot-embed.js";
import { ensureFrameBuild } from "./support/build-bundles.js";
import { useEmbedWorld } from "./support/embed-world.js";
import { userOf } from "./support/host-page.js";
import { E2E_SECRETS, e2eUserTicket } from "./support/portico-server.js";

const world = useEmbedWorld(ensureFrameBuild);

/** The real frame lays its sheet out in the element's height. */
const element = (id: string, attributes: Record<string, string>, server = world.portico) =>
  world.embed(id, { ...attributes, style: "height:600px" }, server);

const kpi = (frame: Frame) => frame.locator(".kpi-value").first();

describe("<portico-embed> with the real frame", () => {
  it("renders the sheet: text, the KPI from the app's data, the filter pane", async () => {
    await world.open("/sheet", element("a", { proxy: "anon", app: "spending", sheet: "overview" }));
    const ready = await world.waitFor("portico-ready", "a");
    expect(userOf(ready)).toMatchObject({
      userDirectory: "NONE",
      anonymous: true,
    });
    const frame = await world.frameOf("a");
    await expect.poll(() => frame.getByText("City spending at a glance").count()).toBeGreaterThan(0);
    await expect.poll(async () => (await kpi(frame).textContent())?.trim()).toBe("750");
    await expect.poll(() => frame.getByRole("option").count()).toBe(3);
  });

  it("applies a host selection in the frame, and reports a selection made in the frame to the host", async () => {
    await world.open("/select", element("a", { proxy: "anon", app: "spending", sheet: "overview" }));
    await world.waitFor("portico-ready", "a");
    const frame = await world.frameOf("a");
    await expect.poll(async () => (await kpi(frame).textContent())?.trim()).toBe("750");

    await world.page.evaluate(() =>
      document.getElementById("a")?.setAttribute("selections", '{"Region":["North"]}'),
    );
    await expect.poll(async () => (await kpi(frame).textContent())?.trim()).toBe("100");

    await frame.getByRole("option", { name: /South/ }).click();
    await expect.poll(() => world.lastSelections()).toEqual({ Region: ["North", "South"] });
    await expect.poll(async () => (await kpi(frame).textContent())?.trim()).toBe("350");
  });

  it("downloads its UI once: preloaded uncompiled in a frame, modulepreloaded as a top-level page", async () => {
    // In a frame the UI chunk is only downloaded ahead (compiled when the page imports it, after `ready`);
    // the module loader must take that response instead of asking again.
    const uiOf = (target: Frame | Awaited<ReturnType<typeof world.browser.newPage>>) =>
      target.evaluate(() => ({
        preloads: [...document.querySelectorAll("link[rel=preload], link[rel=modulepreload]")].map((link) =>
          `${link.getAttribute("rel")} ${link.getAttribute("as") ?? ""}`.trim(),
        ),
        downloads: performance.getEntriesByType("resource").filter((e) => /\/assets\/define-/.test(e.name))
          .length,
        defined: customElements.get("portico-frame-app") !== undefined,
      }));
    await world.open("/preload", element("a", { proxy: "anon", app: "spending", sheet: "overview" }));
    await world.waitFor("portico-ready", "a");
    const frame = await world.frameOf("a");
    await expect.poll(() => frame.getByText("City spending at a glance").count()).toBeGreaterThan(0);
    expect(await uiOf(frame)).toEqual({ preloads: ["preload script"], downloads: 1, defined: true });

    // The same page opened by itself: no host, its session asked at once, its UI compiled as it arrives.
    const top = await world.page.context().newPage();
    try {
      await top.goto(`${world.portico.url}/anon/embed?app=spending&sheet=overview`);
      await expect.poll(() => top.getByText("City spending at a glance").count()).toBeGreaterThan(0);
      expect(await uiOf(top)).toEqual({ preloads: ["modulepreload"], downloads: 1, defined: true });
    } finally {
      await top.close();
    }
  });

  it("evaluates its UI after the session answer in a frame, not while the session request is out", async () => {
    // In the frame (an init script runs in every frame of the page): when the session's answer reached the
    // page's code, and when the UI's elements were defined (the UI chunk evaluated).
    await world.page.addInitScript(() => {
      if (!location.pathname.endsWith("/embed")) return;
      const times: Record<string, number> = {};
      Object.assign(window, { uiTimes: times });
      const fetch0 = window.fetch.bind(window);
      window.fetch = async (input, init) => {
        const response = await fetch0(input, init);
        if (String(input).endsWith("/api/v1/sessions")) times.answer ??= performance.now();
        return response;
      };
      const define0 = customElements.define.bind(customElements);
      customElements.define = (name, element, options) => {
        if (name === "portico-frame-app") times.defined ??= performance.now();
        define0(name, element, options);
      };
    });
    // The session's answer held back a while: a UI evaluated while the request is out is defined before it.
    await world.page.route("**/anon/api/v1/sessions", async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      await route.continue();
    });
    await world.open("/ui-after", element("a", { proxy: "anon", app: "spending", sheet: "overview" }));
    await world.waitFor("portico-ready", "a");
    const frame = await world.frameOf("a");
    await expect.poll(() => frame.getByText("City spending at a glance").count()).toBeGreaterThan(0);
    const times = await frame.evaluate((mark): { answer?: number; defined?: number; boot: number } => {
      const { uiTimes } = window as unknown as { uiTimes: { answer?: number; defined?: number } };
      return { ...uiTimes, boot: performance.getEntriesByName(mark)[0]?.startTime ?? Number.NaN };
    }, BOOT_MARK);
    expect(times.answer).toBeGreaterThan(times.boot);
    // Sooner only from the fallback timer of a start slower than UI_WAIT_MS (the loading view).
    if ((times.defined ?? 0) < (times.answer ?? 0))
      expect(times.defined).toBeGreaterThanOrEqual(times.boot + UI_WAIT_MS);
    else expect(times.defined).toBeGreaterThan(times.answer ?? Number.POSITIVE_INFINITY);
  });

  it("shares one session between two embeds on the page", async () => {
    await world.open(
      "/two",
      element("a", { proxy: "anon", app: "spending", sheet: "overview" }) +
        element("b", { proxy: "anon", app: "spending", sheet: "details" }),
    );
    const [user, userB] = await world.readyUsers("a", "b");
    expect(userB).toEqual(user);
    const sessions = await world.portico.storage.sessions.list({
      proxy: "anon",
      activeAt: world.portico.now(),
    });
    expect(sessions.filter((s) => s.userId === user.userId)).toHaveLength(1);
  });

  it("shows nothing to a page whose origin is not on the allow list, and tells it why", async () => {
    await world.open("/stranger", element("a", { proxy: "anon", app: "spending", sheet: "overview" }), {
      on: world.stranger,
    });
    const error = await world.waitFor("portico-error", "a");
    expect(error.detail).toMatchObject({ code: "ORIGIN_NOT_ALLOWED" });
    expect(
      await world.page.evaluate(
        () => document.getElementById("a")?.shadowRoot?.querySelector("iframe")?.hidden,
      ),
    ).toBe(true);
  });

  it("recovers an expired session with the selections restored", async () => {
    await world.open(
      "/expiry",
      element("a", { proxy: "anon", app: "spending", sheet: "overview", selections: '{"Region":["East"]}' }),
    );
    const ready = await world.waitFor("portico-ready", "a");
    const frame = await world.frameOf("a");
    await expect.poll(async () => (await kpi(frame).textContent())?.trim()).toBe("400");
    world.portico.advance(31 * 60_000);
    // The visitor's next action finds the session gone; the frame gets a fresh ticket through the SDK.
    await frame.getByRole("option", { name: /North/ }).click();
    await world.waitFor("portico-session-expired", "a");
    await expect.poll(() => world.lastSelections()).toEqual({ Region: ["East", "North"] });
    await expect.poll(async () => (await kpi(frame).textContent())?.trim()).toBe("500");
    const sessions = await world.portico.storage.sessions.list({
      proxy: "anon",
      activeAt: world.portico.now(),
    });
    // A new session of the same visitor: the page's resume credential keeps the identity.
    const previous = userOf(ready).userId;
    const live = sessions.filter((s) => s.userId === previous && s.origin === world.host.origin);
    expect(live).toHaveLength(1);
    expect(live[0]?.createdAt).toBeGreaterThan(world.portico.now() - 60_000);
  });

  it("switches an allow proxy's visitor to a logged-in user", async () => {
    await world.open("/login", element("a", { proxy: "partner", app: "spending", sheet: "overview" }));
    await world.waitFor("portico-ready", "a");
    const user = await world.authenticate("a", await e2eUserTicket(world.portico, "alice"));
    expect(user).toMatchObject({ userDirectory: "PORTAL", userId: "alice", anonymous: false });
    const frame = await world.frameOf("a");
    await expect.poll(async () => (await kpi(frame).textContent())?.trim()).toBe("750");
  });

  it("moves every embed of an allow proxy to the session of a login made inside one frame", async () => {
    await world.open(
      "/login-form",
      element("a", { proxy: "partner", app: "spending", sheet: "overview" }) +
        element("b", { proxy: "partner", app: "spending", sheet: "details" }),
    );
    const [anonymous, userB] = await world.readyUsers("a", "b");
    expect(anonymous.anonymous).toBe(true);
    expect(userB).toEqual(anonymous);
    // Earlier tests may have left alice sessions of their own: count only what this page creates.
    const aliceSessions = async () =>
      (await world.activeSessions("partner")).filter((s) => s.userId === "alice").map((s) => s.id);
    const before = new Set(await aliceSessions());

    const [a, b] = [await world.frameOf("a"), await world.frameOf("b")];
    await expect.poll(() => b.getByText("Anonymous visitor").count()).toBe(1);
    await a.getByRole("button", { name: "Log in" }).click();
    await a.getByLabel("User name").fill("alice");
    await a.getByLabel("Password").fill(E2E_SECRETS.alicePassword);
    await a.getByRole("button", { name: "Log in" }).click();

    await expect.poll(() => a.getByText(/^Signed in as /).count()).toBe(1);
    const changed = await world.waitFor("portico-session-changed", "a");
    expect(userOf(changed)).toMatchObject({
      userId: "alice",
      anonymous: false,
    });
    const signedIn = (await a.getByText(/^Signed in as /).textContent())?.trim();
    // Frame b never saw the form: it follows through the SDK with a join ticket from frame a.
    await expect.poll(async () => (await b.getByText(/^Signed in as /).textContent())?.trim()).toBe(signedIn);
    await expect.poll(async () => (await kpi(a).textContent())?.trim()).toBe("750");
    expect((await aliceSessions()).filter((id) => !before.has(id))).toHaveLength(1);
    // The anonymous session both frames shared was ended by the switch, not left running beside it.
    const stillAnonymous = (await world.activeSessions("partner")).filter(
      (s) => s.userId === anonymous.userId,
    );
    expect(stillAnonymous).toHaveLength(0);
  });

  it("follows the content's height with auto-resize", async () => {
    // No height of its own: the element takes the content's.
    await world.open(
      "/resize",
      world.embed("a", { proxy: "anon", app: "spending", sheet: "overview", "auto-resize": "" }),
    );
    await world.waitFor("portico-ready", "a");
    const height = await world.page.waitForFunction(() => {
      const frame = document.getElementById("a")?.shadowRoot?.querySelector("iframe");
      return frame && /^\d+px$/.test(frame.style.height) ? frame.style.height : undefined;
    });
    const px = Number.parseInt((await height.jsonValue()) as string, 10);
    expect(px).toBeGreaterThan(100);
    const box = await world.page.evaluate(() => document.getElementById("a")?.getBoundingClientRect().height);
    expect(Math.round(box ?? 0)).toBeGreaterThanOrEqual(px);
  });

  it("delivers NO_ACCESS_PASS to the host and shows it in the frame", async () => {
    await world.open(
      "/nopass",
      element("a", { proxy: "anon", app: "spending", sheet: "overview" }, world.noPasses),
    );
    const error = await world.waitFor("portico-error", "a");
    expect(error.detail).toMatchObject({ code: "NO_ACCESS_PASS", message: NO_ACCESS_PASS_MESSAGE });
    const frame = await world.frameOf("a");
    // On a public page the visitor reads plain words, not the hub's licence terms (the host has those).
    await expect
      .poll(() => frame.getByText("This dashboard isn't available right now").count())
      .toBeGreaterThan(0);
    expect(await frame.getByText(NO_ACCESS_PASS_MESSAGE).count()).toBe(0);
  });
});
