// `<portico-embed>` in real Chromium against a fake frame (fake-frame.ts, served with an anonymous ticket
// endpoint by web-test-runner.config.mjs): what the element itself promises, without a Portico server.
// test/embed-sdk.test.ts runs it against the real server.
import "../src/define.js";
import type { FrameEvent } from "@portico/protocol";
import { afterEach, describe, eventually, expect, it } from "../../../test/support/wtr.js";
import type { PorticoEmbed } from "../src/portico-embed.js";

const server = location.origin;

afterEach(() => {
  document.body.replaceChildren();
});

/** A `<portico-embed>` on the fake server's `wtr` proxy with `attributes`, appended to `parent`. */
function embed(attributes: Record<string, string>, parent: ParentNode = document.body): PorticoEmbed {
  const el = document.createElement("portico-embed");
  el.setAttribute("server", server);
  el.setAttribute("proxy", "wtr");
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  parent.append(el);
  return el;
}

const iframeOf = (el: PorticoEmbed) => el.shadowRoot?.querySelector("iframe") ?? undefined;

/** The fake frame inside `el`, once it holds its ticket. */
async function fakeFrameOf(el: PorticoEmbed): Promise<Window["fakeFrame"]> {
  let fake: Window["fakeFrame"] | undefined;
  await eventually(() => {
    fake = iframeOf(el)?.contentWindow?.fakeFrame;
    expect(fake).toBeDefined();
  });
  return fake as Window["fakeFrame"];
}

/** The next `type` event that reaches `target`. */
const next = (target: EventTarget, type: string) =>
  new Promise<CustomEvent>((resolve) =>
    target.addEventListener(type, (e) => resolve(e as CustomEvent), { once: true }),
  );

describe("<portico-embed>", () => {
  it("reflects its attributes into the embed's options, and applies live ones without a new frame", async () => {
    const el = embed({
      app: "spending",
      sheet: "overview",
      theme: "dark",
      locale: "de-DE",
      selections: '{"Region":["North"]}',
      "auto-resize": "",
    });
    await next(el, "portico-ready");
    const iframe = iframeOf(el) as HTMLIFrameElement;
    const src = new URL(iframe.src);
    expect(src.origin + src.pathname).toBe(`${server}/wtr/embed`);
    expect(Object.fromEntries(src.searchParams)).toEqual({
      app: "spending",
      sheet: "overview",
      theme: "dark",
      locale: "de-DE",
      selections: '{"Region":["North"]}',
      view: "sheet",
      origin: location.origin,
    });
    expect(el.autoResize).toBe(true);
    el.autoResize = false;
    await el.updateComplete;
    expect(el.hasAttribute("auto-resize")).toBe(false);

    // auto-resize is part of the frame's identity (above); sheet and locale are applied to the running one.
    const frame = iframeOf(el);
    const fake = await fakeFrameOf(el);
    el.setAttribute("sheet", "details");
    el.setAttribute("locale", "en-GB");
    await eventually(() =>
      expect(fake.calls).toEqual([
        ["openSheet", "details"],
        ["setLocale", "en-GB"],
      ]),
    );
    expect(iframeOf(el)).toBe(frame);

    // The app is part of the frame's identity: a new one means a new frame.
    el.setAttribute("app", "budget");
    await el.updateComplete;
    expect(new URL(iframeOf(el)?.src ?? "").searchParams.get("app")).toBe("budget");
    expect(iframeOf(el)).not.toBe(frame);
  });

  it("fires its events bubbling and composed, so they leave a shadow root", async () => {
    const wrapper = document.createElement("div");
    document.body.append(wrapper);
    const shadow = wrapper.attachShadow({ mode: "open" });
    const seen: Array<{ type: string; bubbles: boolean; composed: boolean; detail: unknown }> = [];
    const types = [
      "portico-ready",
      "portico-selections-changed",
      "portico-session-expired",
      "portico-session-changed",
      "portico-error",
    ];
    const record = (e: Event) =>
      seen.push({
        type: e.type,
        bubbles: e.bubbles,
        composed: e.composed,
        detail: (e as CustomEvent).detail,
      });
    for (const type of types) document.addEventListener(type, record);
    try {
      const el = embed({ app: "spending", sheet: "overview" }, shadow);
      const fake = await fakeFrameOf(el);
      await eventually(() => expect(seen.map((e) => e.type)).toContain("portico-ready"));
      const user = { userDirectory: "PORTAL", userId: "alice", anonymous: false };
      for (const event of [
        { type: "selectionsChanged", selections: { Region: ["East"] } },
        { type: "sessionExpired" },
        { type: "sessionChanged", user },
        { type: "error", code: "NO_ACCESS_PASS", message: "No access pass" },
      ] as FrameEvent[])
        await fake.emit(event);
      await eventually(() => expect(seen).toHaveLength(5));
      expect(seen.map(({ type }) => type)).toEqual(types);
      expect(seen.every((e) => e.bubbles && e.composed)).toBe(true);
      expect(seen.map((e) => e.detail)).toEqual([
        {
          user: { userDirectory: "NONE", userId: "anonymous-wtr", anonymous: true },
          view: "sheet",
          app: "spending",
          sheet: "overview",
        },
        { selections: { Region: ["East"] } },
        {},
        { user },
        { code: "NO_ACCESS_PASS", message: "No access pass" },
      ]);
    } finally {
      for (const type of types) document.removeEventListener(type, record);
    }
  });

  it("sends nothing for a selections property equal to the frame's, and the difference for another", async () => {
    const el = embed({
      app: "spending",
      sheet: "overview",
      selections: '{"Region":["North"],"Year":[2024]}',
    });
    await next(el, "portico-ready");
    const fake = await fakeFrameOf(el);
    el.selections = { Year: [2024], Region: ["North"] };
    await el.updateComplete;
    // The frame tells the visitor's own selection; setting that back changes nothing either.
    const changed = next(el, "portico-selections-changed");
    await fake.emit({
      type: "selectionsChanged",
      selections: { Region: ["North"], Year: [2024], Product: ["Bikes"] },
    });
    await changed;
    el.selections = { Region: ["North"], Year: [2024], Product: ["Bikes"] };
    await el.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.calls).toEqual([]);
    el.selections = { Region: ["South"], Year: [2024] };
    await eventually(() =>
      expect(fake.calls).toEqual([
        ["clearSelections", "Product"],
        ["select", "Region", ["South"]],
      ]),
    );
  });

  it("destroys its view when disconnected (pending calls reject with DESTROYED) and starts anew when attached", async () => {
    const el = embed({ app: "spending", sheet: "overview" });
    await next(el, "portico-ready");
    const view = el.embedView;
    const pending = view?.getSheets();
    el.remove();
    expect(el.embedView).toBeUndefined();
    expect(iframeOf(el)).toBeUndefined();
    expect(
      await view?.getSelections().then(
        () => "resolved",
        (e: { code: string }) => e.code,
      ),
    ).toBe("DESTROYED");
    await pending?.catch(() => undefined);
    document.body.append(el);
    await next(el, "portico-ready");
    expect(el.embedView).toBeDefined();
    expect(el.embedView).not.toBe(view);
    expect(iframeOf(el)).toBeDefined();
  });
});
