// Host page HTML for end-to-end tests: loads the SDK bundle the way a web developer would and records
// every `portico-*` event (and view events) in `window.events` for the test to wait on.
import type { SessionUser } from "@portico/protocol";
import type { Frame, Page } from "playwright-core";

export const PORTICO_EVENTS = [
  "portico-ready",
  "portico-error",
  "portico-selections-changed",
  "portico-session-expired",
  "portico-session-changed",
  "portico-rendered",
  "portico-session-expiring",
  "portico-session-recovered",
] as const;

export interface RecordedEvent {
  type: string;
  target: string;
  detail: unknown;
}

/** A page that imports `/sdk/define.js` (registers `<portico-embed>`), exposes the SDK as `window.portico`. */
export function hostPageHtml(body: string, script = ""): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host page</title></head>
<body>
<script type="module">
  import * as portico from "/sdk/define.js";
  window.portico = portico;
  window.events = [];
  for (const type of ${JSON.stringify(PORTICO_EVENTS)})
    document.addEventListener(type, (e) => window.events.push({ type, target: e.target.id, detail: e.detail }));
  window.record = (target, view) => {
    for (const type of ["ready", "error", "selectionsChanged", "sessionExpired", "sessionRecovered", "sheetChanged", "resize"])
      view.on(type, (event) => window.events.push({ type: "view:" + type, target, detail: event }));
  };
  ${script}
</script>
${body}
</body></html>`;
}

/** A host page script that records the view events of `<portico-embed id>` (once it has its view). */
export function recordView(id: string): string {
  return `customElements.whenDefined("portico-embed").then(() => setTimeout(() => record(${JSON.stringify(id)}, document.getElementById(${JSON.stringify(id)}).embedView)));`;
}

/** Resolves with the first recorded event matching `type` (and `target` when given). */
export async function waitForEvent(
  page: Page,
  type: string,
  target?: string,
  timeoutMs = 15_000,
): Promise<RecordedEvent> {
  const handle = await page.waitForFunction(
    ([t, id]) =>
      (window as unknown as { events: RecordedEvent[] }).events.find(
        (e) => e.type === t && (id === null || e.target === id),
      ),
    [type, target ?? null] as const,
    { timeout: timeoutMs },
  );
  return (await handle.jsonValue()) as RecordedEvent;
}

/** The session user of a `portico-ready` or `portico-session-changed` event. */
export function userOf(event: RecordedEvent): SessionUser {
  return (event.detail as { user: SessionUser }).user;
}

/** All recorded events so far. */
export function events(page: Page): Promise<RecordedEvent[]> {
  return page.evaluate(() => (window as unknown as { events: RecordedEvent[] }).events);
}

/**
 * The frame of `<portico-embed id>`, once its iframe has navigated: the SDK creates the iframe before it
 * sets its URL, so until the navigation commits the frame is about:blank (or has no URL at all).
 */
export async function embedFrame(page: Page, id: string, timeoutMs = 20_000): Promise<Frame> {
  const handle = await page.waitForFunction(
    (elementId) => document.getElementById(elementId)?.shadowRoot?.querySelector("iframe"),
    id,
  );
  const frame = await (await handle.asElement())?.contentFrame();
  if (!frame) throw new Error(`no frame for ${id}`);
  const deadline = Date.now() + timeoutMs;
  while (!/^https?:/.test(frame.url())) {
    if (Date.now() > deadline) throw new Error(`frame ${id} never navigated (url: "${frame.url()}")`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await frame.waitForLoadState("domcontentloaded");
  return frame;
}
