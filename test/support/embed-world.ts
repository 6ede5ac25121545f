// What the `<portico-embed>` end-to-end tests share (test/embed-sdk.test.ts with the protocol test frame,
// test/embed-frame.test.ts with the real frame): the embedding site and a stranger site on origins of their
// own, the real server twice (the site on its allow lists; the same with no access pass left), Chromium
// with third-party cookies blocked, and a fresh browser context and page for every test.
import type { SessionUser } from "@portico/protocol";
import type { FrameFiles } from "@portico/server";
import type { Browser, BrowserContext, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { launchChromium } from "./browser.js";
import { ensureEmbedBundle } from "./build-bundles.js";
import { embedFrame, events, hostPageHtml, type RecordedEvent, userOf, waitForEvent } from "./host-page.js";
import { type HostPageServer, startHostPageServer } from "./host-page-server.js";
import {
  E2E_FILES,
  e2eConfig,
  NO_PASSES_LICENSES,
  type PorticoTestServer,
  startPortico,
} from "./portico-server.js";

/** What the server serves as its frame: the real frame's `dist` directory or a test frame's files. */
export type FrameSource = string | FrameFiles;

export class EmbedWorld {
  browser!: Browser;
  /** The embedding site (`http://localhost:<port>`), on the allow lists of the servers. */
  host!: HostPageServer;
  /** Another site, on no allow list. */
  stranger!: HostPageServer;
  /** The server (`e2eConfig`) with `host` on the allow lists of `/anon`, `/partner` and `/closed`. */
  portico!: PorticoTestServer;
  /** The same set-up with an exhausted licence pool: no access pass for anonymous visitors. */
  noPasses!: PorticoTestServer;
  /** The current test's page, in a browser context of its own. */
  page!: Page;

  /** Another server like `portico` (the caller closes it), e.g. with another frame. */
  async startPortico(frame: FrameSource, options: { licenses?: string } = {}): Promise<PorticoTestServer> {
    return startPortico({ yaml: await e2eConfig([this.host.origin], options), frame, files: E2E_FILES });
  }

  /** `<portico-embed id server ...attributes>` for a host page; `server` defaults to `portico`. */
  embed(id: string, attributes: Record<string, string>, server = this.portico): string {
    const attrs = Object.entries(attributes)
      .map(([k, v]) => `${k}='${v}'`)
      .join(" ");
    return `<portico-embed id="${id}" server="${server.url}" ${attrs}></portico-embed>`;
  }

  /** Opens a host page at `pathname` on `on` (the embedding site unless said) with `body` and `script`. */
  async open(pathname: string, body: string, options: { script?: string; on?: HostPageServer } = {}) {
    await this.page.goto((options.on ?? this.host).page(pathname, hostPageHtml(body, options.script)));
  }

  /** The first recorded `type` event of the element `id` (see `waitForEvent`). */
  waitFor(type: string, id?: string): Promise<RecordedEvent> {
    return waitForEvent(this.page, type, id);
  }

  /** The users of the `portico-ready` events of the elements `ids`, once every one has come. */
  readyUsers<const Ids extends string[]>(...ids: Ids): Promise<{ [K in keyof Ids]: SessionUser }> {
    return Promise.all(ids.map(async (id) => userOf(await this.waitFor("portico-ready", id)))) as Promise<{
      [K in keyof Ids]: SessionUser;
    }>;
  }

  /** The sessions of `proxy` that are neither expired nor ended, on `portico`. */
  async activeSessions(proxy: string) {
    return (await this.portico.storage.sessions.list({ proxy, activeAt: this.portico.now() })).filter(
      (s) => s.endedAt === null,
    );
  }

  /** Every event recorded on the page so far. */
  events(): Promise<RecordedEvent[]> {
    return events(this.page);
  }

  /** The selections of the last `portico-selections-changed` event. */
  async lastSelections(): Promise<unknown> {
    return (await this.events())
      .filter((e) => e.type === "portico-selections-changed")
      .map((e) => (e.detail as { selections: unknown }).selections)
      .at(-1);
  }

  /** The frame inside the element `id`, once it has navigated. */
  frameOf(id: string): Promise<Frame> {
    return embedFrame(this.page, id);
  }

  /** The host page calls `embedView.authenticate(ticket)` on the element `id`. */
  authenticate(id: string, ticket: string): Promise<unknown> {
    return this.page.evaluate(
      ([elementId, t]) =>
        (
          document.getElementById(elementId) as unknown as {
            embedView: { authenticate(t: string): Promise<unknown> };
          }
        ).embedView.authenticate(t),
      [id, ticket] as const,
    );
  }

  /** Calls the page's `window.run(server)` (defined by the page's script); `server` defaults to `portico`. */
  run(server = this.portico.url): Promise<unknown> {
    return this.page.evaluate(
      (s) => (window as unknown as { run(s: string): Promise<unknown> }).run(s),
      server,
    );
  }
}

/**
 * Registers the test file's hooks and returns the world they fill in (read its fields inside tests): all
 * of it starts before the file's tests, with `frame()` as the servers' frame, and stops after them.
 */
export function useEmbedWorld(frame: () => Promise<FrameSource>): EmbedWorld {
  const world = new EmbedWorld();
  let context: BrowserContext | undefined;
  beforeAll(async () => {
    const [sdkDir, frameSource] = await Promise.all([ensureEmbedBundle(), frame()]);
    world.host = await startHostPageServer(sdkDir);
    world.stranger = await startHostPageServer(sdkDir);
    world.portico = await world.startPortico(frameSource);
    world.noPasses = await world.startPortico(frameSource, { licenses: NO_PASSES_LICENSES });
    world.browser = await launchChromium({ blockThirdPartyCookies: true });
  });
  afterAll(async () => {
    await world.browser?.close();
    await world.portico?.close();
    await world.noPasses?.close();
    await world.host?.close();
    await world.stranger?.close();
  });
  beforeEach(async () => {
    await context?.close();
    context = await world.browser.newContext();
    world.page = await context.newPage();
  });
  return world;
}
