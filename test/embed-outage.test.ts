// The server goes away in the middle of a visit and comes back (a restart): the real frame and server,
// the host page on localhost and the server on 127.0.0.1 behind a switch that refuses connections while
// "down", in real Chromium. The host page does nothing after the first load.
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import type { ConsoleMessage } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ensureFrameBuild } from "./support/build-bundles.js";
import { useEmbedWorld } from "./support/embed-world.js";
import { E2E_FILES, e2eConfig, type PorticoTestServer, startPortico } from "./support/portico-server.js";
import { screenshot } from "./support/screenshot.js";

const world = useEmbedWorld(ensureFrameBuild);

/**
 * A TCP port in front of the server that can be switched off (every connection dropped, new ones refused,
 * as when the process is gone) and on again on the same port, as after a restart.
 */
class ServerSwitch {
  readonly #sockets = new Set<Socket>();
  #listener: Server | undefined;
  port = 0;
  target = 0;

  async on(): Promise<void> {
    const listener = createServer((client) => {
      const upstream = tcpConnect(this.target, "127.0.0.1");
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on("close", () => this.#sockets.delete(s));
        s.on("error", () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      listener.once("error", reject);
      listener.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (listener.address() as { port: number }).port;
    this.#listener = listener;
  }

  get isOn(): boolean {
    return this.#listener !== undefined;
  }

  async off(): Promise<void> {
    const listener = this.#listener;
    this.#listener = undefined;
    for (const s of this.#sockets) s.destroy();
    if (listener) await new Promise<void>((resolve) => listener.close(() => resolve()));
  }
}

const gate = new ServerSwitch();
let portico: PorticoTestServer;
beforeAll(async () => {
  await gate.on();
  const yaml = (await e2eConfig([world.host.origin])).replace(
    "server:\n  port: 0\n",
    `server:\n  port: 0\n  publicUrl: http://127.0.0.1:${gate.port}\n`,
  );
  portico = await startPortico({ yaml, frame: await ensureFrameBuild(), files: E2E_FILES });
  gate.target = Number(new URL(portico.url).port);
});
afterEach(async () => {
  // A failed test must not leave the next one without a server.
  if (!gate.isOn) await gate.on();
});
afterAll(async () => {
  await gate.off();
  await portico?.close();
});

/** The overview sheet through the switch, on a host page at `pathname`, once its KPI shows the total. */
async function openDashboard(pathname: string) {
  const server = `http://127.0.0.1:${gate.port}`;
  await world.open(
    pathname,
    `<portico-embed id="a" server="${server}" proxy="anon" app="spending" sheet="overview" style="height:600px"></portico-embed>`,
  );
  await world.waitFor("portico-ready", "a");
  const frame = await world.frameOf("a");
  const kpi = frame.locator("portico-object[data-object=total] .kpi-value");
  await expect.poll(async () => (await kpi.textContent())?.trim(), { timeout: 15_000 }).toBe("750");
  return { frame, kpi };
}

// Each test waits out the frame's back-off on purpose (4 and 8 s of it), then polls for up to 15-20 s
// more: 12.5 s on an idle machine, too close to the default 20 s for a loaded one.
describe("a server outage in the middle of a visit", { timeout: 60_000 }, () => {
  it("retries with back-off, offers Retry, and brings the dashboard back once the server answers", async () => {
    const { frame, kpi } = await openDashboard("/outage");

    const lines: ConsoleMessage[] = [];
    world.page.on("console", (m) => lines.push(m));
    await gate.off();
    // The visitor clicks while the server is away.
    await frame.getByRole("option", { name: /South/ }).click();
    const retry = frame.getByRole("button", { name: "Retry" });
    await expect.poll(() => retry.count(), { timeout: 15_000 }).toBe(1);
    expect(await retry.isVisible()).toBe(true);
    await world.page.waitForTimeout(4_000);
    await screenshot(world.page, "outage-retry");
    // Back-off, not a flood: the click's request with its retries, then a probe now and then.
    const noisy = lines.filter((m) => m.type() === "error" || m.type() === "warning");
    expect(noisy.length).toBeLessThanOrEqual(12);
    // One line of Portico's own per episode (the frame's, or the SDK's for the host), not one per request.
    const own = noisy.filter((m) => /portico/i.test(m.text()));
    expect(own.length, own.map((m) => m.text()).join("\n")).toBeLessThanOrEqual(1);

    // The server restarts: the frame notices on its next probe and loads the view again by itself.
    await gate.on();
    await expect.poll(async () => (await kpi.textContent())?.trim(), { timeout: 20_000 }).toBe("250");
    await expect.poll(() => retry.count()).toBe(0);
    expect(await frame.getByRole("option").count()).toBe(3);
    const outages = (await world.events()).filter(
      (e) => e.type === "portico-error" && (e.detail as { code?: string }).code === "UNAVAILABLE",
    );
    expect(outages).toHaveLength(1);
  });

  it("answers the visitor's Retry at once", async () => {
    const { frame, kpi } = await openDashboard("/outage-retry");
    await gate.off();
    await frame.getByRole("option", { name: /East/ }).click();
    const retry = frame.getByRole("button", { name: "Retry" });
    await expect.poll(() => retry.count(), { timeout: 15_000 }).toBe(1);
    // Long enough for the back-off to reach its longer waits.
    await world.page.waitForTimeout(8_000);
    await gate.on();
    const clicked = Date.now();
    await retry.click();
    await expect.poll(async () => (await kpi.textContent())?.trim(), { timeout: 5_000 }).toBe("400");
    expect(Date.now() - clicked).toBeLessThan(4_000);
  });
});
