// The SDK and <portico-embed> in real Chromium against the real server, with two origins (host page on
// http://localhost:<port>, server on http://127.0.0.1:<port>) and third-party cookies blocked. The frame
// here is the protocol test frame (test/support/test-frame): it speaks the RPC contract over the real HTTP
// API, and comes in older-protocol variants. test/embed-frame.test.ts runs the real frame.
import {
  NO_ACCESS_PASS_MESSAGE,
  PROTOCOL_VERSION,
  type SessionUser,
  TICKET_HOP_MARGIN_MS,
} from "@portico/protocol";
import type { Frame } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ensureTestFrame } from "./support/build-bundles.js";
import { useEmbedWorld } from "./support/embed-world.js";
import { recordView, userOf } from "./support/host-page.js";
import { e2eUserTicket } from "./support/portico-server.js";
import { type TestFrameVariant, testFrameFiles } from "./support/test-frame/test-frame-files.js";

const testFrame = async (variant?: TestFrameVariant) => testFrameFiles(await ensureTestFrame(), variant);
const world = useEmbedWorld(testFrame);

/** The portal's backend asks the Ticket API; the page hands the ticket to the SDK. */
const aliceTicket = () => e2eUserTicket(world.portico, "alice");

/** A host page script defining `window.run(server)` (see `world.run`). */
const defineRun = (body: string) => ({ script: `window.run = async (server) => { ${body} };` });

type FrameState = {
  user?: SessionUser;
  sheet?: string;
  selections: Record<string, unknown[]>;
  theme: string;
  locale: string;
  sessions: number;
  tokens?: Record<string, string>;
  error?: { code: string; message: string };
  ticketWaitMs: number;
};

async function frameState(frame: Frame): Promise<FrameState> {
  return JSON.parse((await frame.locator("#state").textContent()) ?? "{}") as FrameState;
}

/** The page's frame whose URL passes `test`. */
function frameWhere(test: (url: string) => boolean): Frame {
  const frame = world.page.frames().find((f) => test(f.url()));
  if (!frame) throw new Error("frame not found");
  return frame;
}

describe("<portico-embed> against the real server", () => {
  it("shows an anonymous sheet: ready event, sandboxed titled iframe, no ticket in any URL", async () => {
    const requested: string[] = [];
    world.page.on("request", (request) => requested.push(request.url()));
    await world.open("/basic", world.embed("a", { proxy: "anon", app: "spending", sheet: "overview" }));
    const ready = await world.waitFor("portico-ready", "a");
    const detail = ready.detail as { user: SessionUser; view: string; app: string; sheet: string };
    expect(detail.user.userDirectory).toBe("NONE");
    expect(detail.user.userId).toMatch(/^anonymous[0-9a-f-]{36}$/);
    expect(detail).toMatchObject({ view: "sheet", app: "spending", sheet: "overview" });
    const iframe = await world.page.evaluate(() => {
      const frame = document.getElementById("a")?.shadowRoot?.querySelector("iframe");
      return {
        title: frame?.title,
        sandbox: frame?.getAttribute("sandbox"),
        allow: frame?.getAttribute("allow"),
        src: frame?.src,
      };
    });
    expect(iframe.title).toBe("Portico dashboard");
    expect(iframe.sandbox).toContain("allow-scripts");
    expect(iframe.sandbox).not.toContain("allow-top-navigation");
    expect(iframe.allow).toBe("clipboard-write");
    expect(new URL(iframe.src ?? "").pathname).toBe("/anon/embed");
    const state = await frameState(await world.frameOf("a"));
    expect(state.user).toEqual(detail.user);
    // Tickets travel over postMessage and in request bodies only.
    expect(requested.length).toBeGreaterThan(0);
    for (const url of requested) expect(url).not.toMatch(/ticket=|eyJhbGciOi/);
  });

  it("delivers a selection made by the host to the frame, and one made in the frame to the host", async () => {
    await world.open(
      "/selections",
      world.embed("a", {
        proxy: "anon",
        app: "spending",
        sheet: "overview",
        selections: '{"Region":["North"]}',
      }),
    );
    await world.waitFor("portico-ready", "a");
    const frame = await world.frameOf("a");
    expect((await frameState(frame)).selections).toEqual({ Region: ["North"] });

    // Host -> frame: a live attribute change, applied over RPC (same frame document, no reload).
    await frame.evaluate(() => {
      (window as unknown as { marker: number }).marker = 42;
    });
    await world.page.evaluate(() =>
      document.getElementById("a")?.setAttribute("selections", '{"Region":["South","East"],"Year":[2024]}'),
    );
    await expect
      .poll(async () => (await frameState(frame)).selections)
      .toEqual({ Region: ["South", "East"], Year: [2024] });
    expect(await frame.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);

    // Frame -> host: the visitor selects inside the frame.
    await frame.evaluate(() =>
      (
        window as unknown as { testFrame: { select(f: string, v: string[]): Promise<unknown> } }
      ).testFrame.select("Product", ["Bikes"]),
    );
    await expect
      .poll(() => world.lastSelections())
      .toEqual({ Region: ["South", "East"], Year: [2024], Product: ["Bikes"] });
  });

  it("applies sheet, theme and locale attribute changes live, without reloading the frame", async () => {
    await world.open(
      "/live",
      world.embed("a", { proxy: "anon", app: "spending", sheet: "overview", theme: "light" }),
    );
    await world.waitFor("portico-ready", "a");
    const frame = await world.frameOf("a");
    await frame.evaluate(() => {
      (window as unknown as { marker: number }).marker = 7;
    });
    await world.page.evaluate(() => {
      const el = document.getElementById("a");
      el?.setAttribute("sheet", "details");
      el?.setAttribute("theme", "dark");
      el?.setAttribute("locale", "de-DE");
    });
    await expect
      .poll(async () => {
        const s = await frameState(frame);
        return [s.sheet, s.theme, s.locale];
      })
      .toEqual(["details", "dark", "de-DE"]);
    expect(await frame.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(7);
    expect((await frameState(frame)).sessions).toBe(1);
  });

  it("lets two embeds on one page share one session: one anonymous identity on the server", async () => {
    const before = (await world.activeSessions("anon")).length;
    await world.open(
      "/two",
      world.embed("a", { proxy: "anon", app: "spending", sheet: "overview" }) +
        world.embed("b", { proxy: "anon", app: "spending", sheet: "details" }),
    );
    const [userA, userB] = await world.readyUsers("a", "b");
    expect(userB).toEqual(userA);
    const sessions = await world.activeSessions("anon");
    expect(sessions.length - before).toBe(1);
    expect(sessions.filter((s) => s.userId === userA.userId)).toHaveLength(1);
  });

  it("refuses a page whose origin is not on the allow list: no content and a portico-error", async () => {
    await world.open("/stranger", world.embed("a", { proxy: "anon", app: "spending", sheet: "overview" }), {
      on: world.stranger,
    });
    const error = await world.waitFor("portico-error", "a");
    expect(error.detail).toMatchObject({ code: "ORIGIN_NOT_ALLOWED" });
    expect((error.detail as { message: string }).message).toContain(world.stranger.origin);
    const shown = await world.page.evaluate(() => {
      const root = document.getElementById("a")?.shadowRoot;
      return {
        iframeHidden: root?.querySelector("iframe")?.hidden,
        message: root?.querySelector(".error")?.textContent,
      };
    });
    expect(shown.iframeHidden).toBe(true);
    // The visitor reads plain words; the precise reason ("host allow list") is the developer's, above.
    expect(shown.message).toContain("This dashboard isn't available right now");
    expect((error.detail as { message: string }).message).toContain("host allow list");
    expect((await world.events()).some((e) => e.type === "portico-ready")).toBe(false);
  });

  it("recovers from session expiry with the same selections, telling the host", async () => {
    await world.open(
      "/expiry",
      world.embed("a", { proxy: "anon", app: "spending", sheet: "details", selections: '{"Year":[2023]}' }),
      { script: recordView("a") },
    );
    const ready = await world.waitFor("portico-ready", "a");
    const firstUser = userOf(ready);
    world.portico.advance(31 * 60_000);
    {
      // The next action after the inactivity timeout finds the session gone.
      await world.page.evaluate(() =>
        (
          document.getElementById("a") as unknown as {
            embedView: { select(f: string, v: number[]): Promise<unknown> };
          }
        ).embedView.select("Month", [1]),
      );
      await world.waitFor("portico-session-expired", "a");
      const recovered = await world.waitFor("view:sessionRecovered", "a");
      expect(recovered.detail).toMatchObject({ sheet: "details", selections: { Year: [2023] } });
      const state = await frameState(await world.frameOf("a"));
      expect(state.selections).toEqual({ Year: [2023], Month: [1] });
      expect(state.sessions).toBe(2);
      // A new session of the same visitor: the page's resume credential keeps the identity (and a login
      // access pass it holds).
      expect(state.user?.userId).toBe(firstUser.userId);
    }
  });

  it("switches an allow proxy's embed from anonymous to a logged-in user", async () => {
    await world.open("/login", world.embed("a", { proxy: "partner", app: "spending", sheet: "overview" }));
    const ready = await world.waitFor("portico-ready", "a");
    const anonymous = userOf(ready);
    expect(anonymous.anonymous).toBe(true);
    const user = await world.authenticate("a", await aliceTicket());
    expect(user).toMatchObject({ userDirectory: "PORTAL", userId: "alice", anonymous: false });
    expect((await frameState(await world.frameOf("a"))).user).toMatchObject({
      userDirectory: "PORTAL",
      userId: "alice",
    });
    expect(await world.activeSessions("partner")).toContainEqual(
      expect.objectContaining({ userId: "alice" }),
    );
  });

  it("switches every embed of an allow proxy from anonymous to a logged-in user", async () => {
    await world.open(
      "/login-two",
      world.embed("a", { proxy: "partner", app: "spending", sheet: "overview" }) +
        world.embed("b", { proxy: "partner", app: "spending", sheet: "details" }),
    );
    await world.waitFor("portico-ready", "a");
    await world.waitFor("portico-ready", "b");
    // Earlier tests may have left alice sessions of their own: count only what this page creates.
    const aliceSessions = async () =>
      (await world.activeSessions("partner")).filter((s) => s.userId === "alice").map((s) => s.id);
    const before = new Set(await aliceSessions());
    const user = await world.authenticate("a", await aliceTicket());
    expect(user).toMatchObject({ userDirectory: "PORTAL", userId: "alice", anonymous: false });
    for (const id of ["a", "b"])
      expect((await frameState(await world.frameOf(id))).user).toMatchObject({
        userDirectory: "PORTAL",
        userId: "alice",
      });
    expect((await aliceSessions()).filter((id) => !before.has(id))).toHaveLength(1);
  });

  it("delivers NO_ACCESS_PASS to the host as an event, and the frame shows it", async () => {
    await world.open(
      "/nopass",
      world.embed("a", { proxy: "anon", app: "spending", sheet: "overview" }, world.noPasses),
    );
    const error = await world.waitFor("portico-error", "a");
    expect(error.detail).toEqual({ code: "NO_ACCESS_PASS", message: NO_ACCESS_PASS_MESSAGE });
    expect((await frameState(await world.frameOf("a"))).error?.code).toBe("NO_ACCESS_PASS");
    const errors = (await world.events()).filter((e) => e.type === "portico-error");
    expect(errors).toHaveLength(1);
  });

  it("destroys the frame when the element is removed and starts a new one when it is attached again", async () => {
    await world.open("/reattach", world.embed("a", { proxy: "anon", app: "spending", sheet: "overview" }));
    await world.waitFor("portico-ready", "a");
    const iframes = () =>
      world.page.evaluate(
        () => document.getElementById("a")?.shadowRoot?.querySelectorAll("iframe").length ?? -1,
      );
    await world.page.evaluate(() => {
      const el = document.getElementById("a") as HTMLElement;
      (window as unknown as { parked: HTMLElement }).parked = el;
      el.remove();
    });
    expect(
      await world.page.evaluate(
        () =>
          (window as unknown as { parked: HTMLElement }).parked.shadowRoot?.querySelectorAll("iframe").length,
      ),
    ).toBe(0);
    await world.page.evaluate(() =>
      document.body.append((window as unknown as { parked: HTMLElement }).parked),
    );
    await expect
      .poll(async () => (await world.events()).filter((e) => e.type === "portico-ready").length)
      .toBe(2);
    expect(await iframes()).toBe(1);
  });

  it("reports ANONYMOUS_DISABLED once when the proxy admits no anonymous visitors", async () => {
    await world.open("/closed", world.embed("a", { proxy: "closed", app: "spending", sheet: "overview" }));
    const error = await world.waitFor("portico-error", "a");
    expect(error.detail).toMatchObject({ code: "ANONYMOUS_DISABLED" });
    await world.page.waitForTimeout(500);
    expect((await world.events()).filter((e) => e.type === "portico-error")).toHaveLength(1);
    expect(await world.activeSessions("closed")).toHaveLength(0);
  });

  it("reports a missing server attribute as MISCONFIGURED, with a message in the element", async () => {
    await world.open("/misconfigured", `<portico-embed id="a" proxy="anon" app="spending"></portico-embed>`);
    const error = await world.waitFor("portico-error", "a");
    expect(error.detail).toMatchObject({ code: "MISCONFIGURED" });
    expect((error.detail as { message: string }).message).toContain('"server" attribute is required');
    const text = await world.page.evaluate(
      () => document.getElementById("a")?.shadowRoot?.querySelector(".error")?.textContent,
    );
    expect(text).toContain("This dashboard isn't available right now");
  });

  it("names the missing sheet when an app has neither sheet nor object", async () => {
    await world.open("/nosheet", world.embed("a", { proxy: "anon", app: "spending" }));
    const error = await world.waitFor("portico-error", "a");
    expect(error.detail).toMatchObject({ code: "MISCONFIGURED" });
    expect((error.detail as { message: string }).message).toContain('a sheet view needs "app" and "sheet"');
  });
});

describe("createClient() against the real server", () => {
  it("times out getTicket() and rejects ready with TICKET_TIMEOUT", async () => {
    await world.open(
      "/ticket-timeout",
      `<div id="box" style="height:300px"></div>`,
      defineRun(`
        const client = portico.createClient({ server, proxy: "anon", getTicket: () => new Promise(() => {}), timeouts: { ticketMs: 300 } });
        const view = client.embed(document.getElementById("box"), { app: "spending", sheet: "overview" });
        try { await view.ready; return "resolved"; } catch (e) { return { name: e.name, code: e.code, message: e.message }; }
      `),
    );
    const result = await world.run();
    expect(result).toMatchObject({ name: "EmbedError", code: "TICKET_TIMEOUT" });
    // The frame gave up too, with the same code.
    const frame = frameWhere((url) => url.includes("/anon/embed"));
    await expect.poll(async () => (await frameState(frame)).error?.code).toBe("TICKET_TIMEOUT");
    expect((await frameState(frame)).ticketWaitMs).toBe(300 + TICKET_HOP_MARGIN_MS);
  });

  it("tells the frame its ticket timeout, which it waits plus the hop margin; a slow getTicket() within it works", async () => {
    await world.open(
      "/slow-ticket",
      `<div id="box" style="height:300px"></div>`,
      defineRun(`
        const getTicket = async () => {
          await new Promise((resolve) => setTimeout(resolve, 1500));
          const response = await fetch(server + "/anon/api/v1/tickets/anonymous", { method: "POST", credentials: "omit" });
          return (await response.json()).ticket;
        };
        const client = portico.createClient({ server, proxy: "anon", getTicket, timeouts: { ticketMs: 30000 } });
        const view = client.embed(document.getElementById("box"), { app: "spending", sheet: "overview" });
        const ready = await view.ready;
        return { user: ready.user, src: view.iframe.src };
      `),
    );
    const result = (await world.run()) as { user: SessionUser; src: string };
    expect(result.user.userDirectory).toBe("NONE");
    const frame = frameWhere((url) => url === result.src);
    // The frame waits the host's ticketMs, not its own default, plus the margin for the postMessage hops.
    expect((await frameState(frame)).ticketWaitMs).toBe(30_000 + TICKET_HOP_MARGIN_MS);
  });

  it("applies a theme's token overrides over RPC once ready (the URL carries only the base name)", async () => {
    await world.open(
      "/tokens",
      `<div id="box" style="height:300px"></div>`,
      defineRun(`
        const client = portico.createClient({ server, proxy: "anon" });
        const view = client.embed(document.getElementById("box"), {
          app: "spending", sheet: "overview", theme: { base: "dark", tokens: { "--portico-accent": "#0a7" } },
        });
        await view.ready;
        return view.iframe.src;
      `),
    );
    const src = (await world.run()) as string;
    expect(new URL(src).searchParams.get("theme")).toBe("dark");
    expect(src).not.toContain("portico-accent");
    const frame = frameWhere((url) => url === src);
    await expect.poll(async () => (await frameState(frame)).tokens).toEqual({ "--portico-accent": "#0a7" });
  });

  it("rejects pending calls with DESTROYED, and destroy() twice is harmless", async () => {
    await world.open(
      "/destroy",
      `<div id="box" style="height:300px"></div>`,
      defineRun(`
        const client = portico.createClient({ server, proxy: "anon" });
        const view = client.embed(document.getElementById("box"), { app: "spending", sheet: "overview" });
        const pending = view.getSelections();
        const ready = view.ready;
        view.destroy();
        view.destroy();
        const settle = (p) => p.then(() => "resolved", (e) => e.code);
        return { pending: await settle(pending), ready: await settle(ready), iframes: document.querySelectorAll("iframe").length,
                 after: await settle(view.getSheets()), views: client.views.length };
      `),
    );
    const result = await world.run();
    expect(result).toEqual({
      pending: "DESTROYED",
      ready: "DESTROYED",
      iframes: 0,
      after: "DESTROYED",
      views: 0,
    });
  });

  it("gives an identified user through getTicket() (the page's own backend)", async () => {
    const ticket = await aliceTicket();
    await world.open(
      "/identified",
      `<div id="box" style="height:300px"></div>`,
      defineRun(`
        const client = portico.createClient({ server, proxy: "partner", getTicket: async () => ${JSON.stringify(ticket)} });
        const view = client.embed(document.getElementById("box"), { app: "spending", sheet: "overview" });
        return (await view.ready).user;
      `),
    );
    const user = await world.run();
    expect(user).toMatchObject({ userDirectory: "PORTAL", userId: "alice", anonymous: false });
  });
});

describe("untrusted messages", () => {
  it("drops malformed events from the frame: none reaches the page, the next valid one does", async () => {
    const hostile = await world.startPortico(await testFrame("hostile"));
    const warnings: string[] = [];
    world.page.on("console", (message) => {
      if (message.type() === "warning") warnings.push(message.text());
    });
    try {
      await world.open(
        "/hostile",
        world.embed("a", { proxy: "anon", app: "spending", sheet: "overview", "auto-resize": "" }, hostile),
        { script: recordView("a") },
      );
      await world.waitFor("view:sheetChanged", "a");
      const seen = await world.events();
      expect(seen.filter((e) => e.type === "portico-error" || e.type === "view:error")).toEqual([]);
      expect(seen.filter((e) => e.type === "portico-ready")).toHaveLength(1);
      expect(seen.find((e) => e.type === "portico-ready")?.detail).toMatchObject({
        user: { userDirectory: "NONE" },
      });
      expect(seen.filter((e) => e.type.includes("selections") || e.type.includes("xpired"))).toEqual([]);
      expect(seen.find((e) => e.type === "view:sheetChanged")?.detail).toEqual({
        type: "sheetChanged",
        sheet: "sentinel",
        title: "after the junk",
      });
      expect(warnings.filter((w) => w.includes("dropped an invalid event")).length).toBeGreaterThanOrEqual(
        10,
      );
    } finally {
      await hostile.close();
    }
  });

  it("answers nothing to another window posting penpal messages on the portico channel", async () => {
    // A hostile frame on the page (another origin) tries to shake hands with the SDK and call getTicket.
    const evil = world.stranger.page(
      "/evil",
      `<!doctype html><script>
        window.replies = [];
        addEventListener("message", (e) => window.replies.push(e.data));
        const base = { namespace: "penpal", channel: "portico" };
        setInterval(() => {
          parent.postMessage({ ...base, type: "SYN", participantId: "evil" }, "*");
          parent.postMessage({ ...base, type: "ACK2" }, "*");
          parent.postMessage({ ...base, type: "CALL", id: "1", methodPath: ["getTicket"], args: ["initial"] }, "*");
        }, 100);
      </script>`,
    );
    await world.open(
      "/with-evil",
      world.embed("a", { proxy: "anon", app: "spending", sheet: "overview" }) +
        `<iframe id="evil" src="${evil}"></iframe>`,
    );
    await world.waitFor("portico-ready", "a");
    await world.page.waitForTimeout(1500);
    const evilFrame = world.page.frames().find((f) => f.url() === evil);
    expect(evilFrame).toBeDefined();
    expect(await evilFrame?.evaluate(() => (window as unknown as { replies: unknown[] }).replies)).toEqual(
      [],
    );
  });
});

describe("protocol negotiation and handshake", () => {
  /** Opens the spending overview through `server` with `createClient`; what `ready` and a selection give. */
  async function readyAndSelect(server: { url: string }, pathname: string) {
    await world.open(
      pathname,
      `<div id="box" style="height:300px"></div>`,
      defineRun(`
        const client = portico.createClient({ server, proxy: "anon" });
        const view = client.embed(document.getElementById("box"), { app: "spending", sheet: "overview" });
        try {
          const ready = await view.ready;
          const selections = await view.select("Region", ["North"]);
          return { version: ready.protocolVersion, selections };
        } catch (e) { return { code: e.code, message: e.message }; }
      `),
    );
    return world.run(server.url);
  }

  it("works with a frame of an older minor (1.0, which reads and sends the integer 1)", async () => {
    const older = await world.startPortico(await testFrame("v1.0"));
    try {
      expect(await readyAndSelect(older, "/older-minor")).toEqual({
        version: 1,
        selections: { Region: ["North"] },
      });
    } finally {
      await older.close();
    }
  });

  it("works with a frame of a newer minor (1.2, with a method this SDK does not know)", async () => {
    const newer = await world.startPortico(await testFrame("v1.2"));
    try {
      expect(await readyAndSelect(newer, "/newer-minor")).toEqual({
        version: "1.2",
        selections: { Region: ["North"] },
      });
    } finally {
      await newer.close();
    }
  });

  it("refuses a method the frame's hello does not list with NOT_SUPPORTED, without calling it", async () => {
    // The test frame has no getData: a frame of an older minor lacking a newer method looks the same.
    await world.open(
      "/not-supported",
      `<div id="box" style="height:300px"></div>`,
      defineRun(`
        const client = portico.createClient({ server, proxy: "anon" });
        const view = client.embed(document.getElementById("box"), { app: "spending", sheet: "overview" });
        await view.ready;
        try { await view.getData("total"); return "resolved"; } catch (e) { return { code: e.code, message: e.message }; }
      `),
    );
    const result = (await world.run()) as { code: string; message: string };
    expect(result.code).toBe("NOT_SUPPORTED");
    expect(result.message).toContain(`getData: the frame speaks protocol ${PROTOCOL_VERSION}`);
  });

  for (const variant of ["v0", "v2"] as const) {
    it(`refuses a frame speaking another protocol (${variant}) with PROTOCOL_MISMATCH`, async () => {
      const old = await world.startPortico(await testFrame(variant));
      try {
        await world.open(
          `/mismatch-${variant}`,
          world.embed("a", { proxy: "anon", app: "spending", sheet: "overview" }, old),
        );
        const error = await world.waitFor("portico-error", "a");
        expect(error.detail).toMatchObject({ code: "PROTOCOL_MISMATCH" });
        expect((error.detail as { message: string }).message).toContain(
          `this SDK speaks ${PROTOCOL_VERSION}`,
        );
        // No ticket was handed to a frame the SDK did not accept.
        expect(await old.storage.sessions.list({})).toHaveLength(0);
      } finally {
        await old.close();
      }
    });
  }

  it("gives up on a frame that never answers the handshake with HANDSHAKE_TIMEOUT", async () => {
    const silent = await world.startPortico(async (file) =>
      file === "embed.html" ? new TextEncoder().encode("<!doctype html><p>static</p>") : undefined,
    );
    try {
      await world.open(
        "/silent",
        `<div id="box" style="height:300px"></div>`,
        defineRun(`
          const client = portico.createClient({ server, proxy: "anon", timeouts: { handshakeMs: 500 } });
          const view = client.embed(document.getElementById("box"), { app: "spending", sheet: "overview" });
          try { await view.ready; return "resolved"; } catch (e) { return { code: e.code, message: e.message }; }
        `),
      );
      const result = await world.run(silent.url);
      expect(result).toMatchObject({ code: "HANDSHAKE_TIMEOUT" });
    } finally {
      await silent.close();
    }
  });
});
