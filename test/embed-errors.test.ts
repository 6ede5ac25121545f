// Set-up mistakes and bad days as a visitor and a developer meet them, with the real frame and server in
// real Chromium (host page on http://localhost:<port>, server on http://127.0.0.1:<port>): the developer
// gets the precise code and message in `portico-error` and the console; the visitor reads plain words,
// never the API's JSON or the browser's broken-page screen.
import { createServer } from "node:net";
import type { ConsoleMessage } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ensureFrameBuild } from "./support/build-bundles.js";
import { useEmbedWorld } from "./support/embed-world.js";
import { screenshot } from "./support/screenshot.js";

const world = useEmbedWorld(ensureFrameBuild);
const UNAVAILABLE = "This dashboard isn't available right now";
/** The page as the visitor sees it, for a person to look at (see support/screenshot.ts). */
const shot = (name: string) => screenshot(world.page, name);

function recordConsole(): string[] {
  const lines: string[] = [];
  world.page.on("console", (m: ConsoleMessage) => lines.push(`${m.type()}: ${m.text()}`));
  return lines;
}

const elementText = () =>
  world.page.evaluate(() => document.getElementById("a")?.shadowRoot?.querySelector(".error")?.textContent);
/** Whether the element's iframe is out of sight (not just marked `hidden`). */
const iframeHidden = () =>
  world.page.evaluate(() => {
    const iframe = document.getElementById("a")?.shadowRoot?.querySelector("iframe");
    return iframe ? iframe.getBoundingClientRect().height === 0 : undefined;
  });

/** A port nothing listens on: the server is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("precise errors for the developer, plain words for the visitor", () => {
  it("a proxy that does not exist is PROXY_NOT_FOUND (not ORIGIN_NOT_ALLOWED), naming the prefix", async () => {
    const console = recordConsole();
    await world.open(
      "/mistyped-proxy",
      world.embed("a", { proxy: "libary", app: "spending", sheet: "overview", style: "height:400px" }),
    );
    const error = await world.waitFor("portico-error", "a");
    expect(error.detail).toMatchObject({ code: "PROXY_NOT_FOUND" });
    expect((error.detail as { message: string }).message).toContain('"libary"');
    expect((await world.events()).filter((e) => e.type === "portico-error")).toHaveLength(1);
    await expect.poll(iframeHidden).toBe(true);
    expect(await elementText()).toContain(UNAVAILABLE);
    expect(console.some((line) => line.startsWith("error: [portico] PROXY_NOT_FOUND"))).toBe(true);
    await shot("proxy-not-found-element");
  });

  it("the server's frame page answers errors as a page in the frame's style, in the visitor's language", async () => {
    const src = (query: string) => `${world.portico.url}/libary/embed?app=spending${query}`;
    await world.open(
      "/error-pages",
      `<iframe id="en" src="${src("")}" style="width:480px;height:300px;border:0"></iframe>
       <iframe id="de" src="${src("&locale=de-DE&theme=dark")}" style="width:480px;height:300px;border:0"></iframe>`,
    );
    const frame = async (id: string) => {
      const handle = await world.page.waitForSelector(`#${id}`);
      const content = await handle.contentFrame();
      if (!content) throw new Error(`no frame ${id}`);
      await content.waitForLoadState("domcontentloaded");
      return content;
    };
    const en = await frame("en");
    await expect.poll(() => en.locator("h1").textContent()).toBe(UNAVAILABLE);
    expect(await en.locator("body").textContent()).not.toContain('{"error"');
    expect(await en.locator("main").getAttribute("data-code")).toBe("PROXY_NOT_FOUND");
    const de = await frame("de");
    await expect
      .poll(() => de.locator("h1").textContent())
      .toBe("Dieses Dashboard ist gerade nicht verfügbar");
    await shot("error-page-en-de");
    // The API keeps its JSON.
    const api = await fetch(`${world.portico.url}/libary/api/v1/embed-config`);
    expect(await api.json()).toMatchObject({ error: { code: "PROXY_NOT_FOUND" } });
  });

  it("a server named otherwise than its publicUrl is SERVER_URL_MISMATCH, naming both", async () => {
    const port = new URL(world.portico.url).port;
    const otherName = `http://localhost:${port}`;
    const console = recordConsole();
    await world.open(
      "/other-name",
      `<portico-embed id="a" server="${otherName}" proxy="anon" app="spending" sheet="overview" style="height:400px"></portico-embed>`,
    );
    const error = await world.waitFor("portico-error", "a");
    expect(error.detail).toMatchObject({ code: "SERVER_URL_MISMATCH" });
    const message = (error.detail as { message: string }).message;
    expect(message).toContain(otherName);
    expect(message).toContain(world.portico.url);
    const frame = await world.frameOf("a");
    await expect.poll(() => frame.getByText(UNAVAILABLE).count()).toBeGreaterThan(0);
    expect(console.some((line) => line.includes("[portico] SERVER_URL_MISMATCH"))).toBe(true);
    await shot("server-url-mismatch");
  });

  it("a page not on the allow list: ORIGIN_NOT_ALLOWED for the developer, no refused frame on view", async () => {
    await world.open(
      "/stranger",
      world.embed("a", { proxy: "anon", app: "spending", sheet: "overview", style: "height:300px" }),
      { on: world.stranger },
    );
    const error = await world.waitFor("portico-error", "a");
    expect(error.detail).toMatchObject({ code: "ORIGIN_NOT_ALLOWED" });
    await expect.poll(iframeHidden).toBe(true);
    expect(await elementText()).toContain(UNAVAILABLE);
    await shot("origin-not-allowed-element");
  });

  it("a server that is down: UNAVAILABLE for the developer, plain words instead of a broken page", async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    await world.open(
      "/down",
      `<portico-embed id="a" server="${down}" proxy="anon" app="spending" sheet="overview" locale="de-DE" style="height:300px"></portico-embed>`,
    );
    const error = await world.waitFor("portico-error", "a");
    expect(error.detail).toMatchObject({ code: "UNAVAILABLE" });
    expect((error.detail as { message: string }).message).toContain(down);
    await expect.poll(iframeHidden).toBe(true);
    expect(await elementText()).toContain("Dieses Dashboard ist gerade nicht verfügbar");
    await shot("server-down-element-de");
  });
});
