import type { EmbedUrlParams, FrameEvent } from "@portico/protocol";
import { createApiClient, type EmbedConfig } from "../api/api-client.js";
import { inlineEmbedConfig } from "../api/inline-embed-config.js";
import { proxyBase, proxyPrefixFromPath } from "../api/proxy-prefix.js";
import type { PorticoFrameApp } from "../components/portico-frame-app.js";
import { FrameError, toFrameError } from "../errors/frame-error.js";
import { createFrameEndpoint, type FrameEndpoint } from "../rpc/frame-endpoint.js";
import { isFirstPartyFrame, isParentOriginAllowed, parentOriginCandidate } from "../rpc/parent-origin.js";
import { reportSize } from "../rpc/resize-reporter.js";
import { SessionStore } from "../session/session-store.js";
import { FrameController } from "../state/frame-controller.js";
import { applyTheme } from "../theme/apply-theme.js";

/**
 * How long the UI waits for the view to be ready before it goes on the page anyway: on a slow server, or in
 * a plain iframe without the SDK (the handshake times out), the visitor must still get the loading view.
 */
export const UI_WAIT_MS = 150;

/** Resolves in a task of its own, after the tasks already queued (a posted message's among them). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

/** A performance mark where the boot code starts (`UI_WAIT_MS` counts from here): for traces and tests. */
export const BOOT_MARK = "portico:boot";

/** What the embed page's UI chunk (`src/define.ts`) offers the boot code besides registering its elements. */
export interface UiModule {
  warmFormatters(locale: string): void;
}

/** The moments of a start that decide when the UI's script may run (`uiMayRun`). */
export interface StartMoments {
  /** The session request is on its way. */
  sessionRequested: Promise<void>;
  /** The view is ready (`ready` sent to the host, or to nobody). */
  ready: Promise<void>;
  /** `start()` has ended, the view shown or failed. */
  started: Promise<unknown>;
}

/**
 * When the UI's script (tens of ms of compiling and evaluating on the main thread) may run:
 * - in a page of our own (no host), once the session request is out: the answer carries the app and the
 *   first view's data, so the script runs while the server works instead of in front of the request;
 * - with a host, once the view is ready: there the session answer, and the `ready` event the host's
 *   methods wait for, would otherwise wait behind it;
 * - on a session of its own already (no request), once the view is ready and its queries are out;
 * - and in every case once the start has ended, even on a failure (the error screen is part of the UI).
 */
export function uiMayRun(hosted: boolean, moments: StartMoments): Promise<unknown> {
  const { sessionRequested, ready, started } = moments;
  return Promise.race([hosted ? ready : sessionRequested, ready, started]);
}

export interface BootOptions {
  window: Window;
  document: Document;
  params: EmbedUrlParams;
  /**
   * Loads the UI (lit, the components, the charts: most of the page's script) and registers its elements.
   * It is called when `uiMayRun` says (or by the fallback timer of a slow start); the page preloads the
   * chunk, so it is downloaded by then.
   */
  loadUi: () => Promise<UiModule>;
}

/**
 * The embed page: checks who embeds it, connects to the host, gets a session and shows the view.
 * Order matters for security: the parent origin is checked against the proxy's host allow list before any
 * message is exchanged, and penpal is then pinned to that one origin.
 */
export async function bootEmbed({
  window: win,
  document: doc,
  params,
  loadUi,
}: BootOptions): Promise<FrameController> {
  win.performance.mark(BOOT_MARK);
  const prefix = proxyPrefixFromPath(win.location.pathname);
  let locale = params.locale ?? win.navigator.language ?? "en";
  applyTheme(doc.documentElement, params.theme ?? "light");
  doc.documentElement.lang = locale;

  const session = new SessionStore(prefix);
  const api = createApiClient({ prefix, getToken: () => session.token });
  // Written into the page by the server (no round trip before the handshake); asked for otherwise.
  const configRequest = inlineEmbedConfig(doc) ?? api.embedConfig();

  let app: PorticoFrameApp | undefined;
  /** What the UI shows once both exist (the UI can come first, while the config is slow). */
  let shownController: FrameController | undefined;
  let uiLoaded: Promise<UiModule> | undefined;
  const evaluateUi = () => (uiLoaded ??= loadUi());
  let mounted: Promise<PorticoFrameApp> | undefined;
  let onShown: (shown: PorticoFrameApp) => void = () => undefined;
  /** The UI on the page, by whichever path put it there first (the fallback timer or the view). */
  const shown = new Promise<PorticoFrameApp>((resolve) => {
    onShown = resolve;
  });
  const mount = () =>
    (mounted ??= evaluateUi().then(() => {
      app = doc.createElement("portico-frame-app");
      app.locale = locale;
      app.loginHref = `${proxyBase(prefix)}/hub?login=1`;
      if (shownController) app.controller = shownController;
      doc.body.append(app);
      onShown(app);
      return app;
    }));
  const fallback = win.setTimeout(mount, UI_WAIT_MS);

  const inFrame = win.parent !== win;
  let config: EmbedConfig | undefined;
  let configError: FrameError | undefined;
  try {
    config = await configRequest;
  } catch (error) {
    const e = toFrameError(error);
    // A server without the route still sends `frame-ancestors` from the same list, so the browser has
    // already refused disallowed parents; anything else (unreachable server) stops here.
    if (e.code !== "NOT_FOUND") configError = e;
  }
  let parentOrigin: string | undefined;
  if (inFrame && !configError) {
    // Without the server's list, only what the browser itself reports is believed (no URL hint).
    const candidate = parentOriginCandidate(win.location, doc.referrer, config ? params.origin : undefined);
    const allowed =
      candidate !== undefined &&
      (config
        ? isParentOriginAllowed(candidate, config.hostAllowList, win.location.origin)
        : candidate !== "null");
    if (allowed) parentOrigin = candidate;
    else
      configError = new FrameError(
        "ORIGIN_NOT_ALLOWED",
        `The page ${candidate ?? "(unknown)"} is not on this proxy's host allow list`,
      );
  }

  const controller = new FrameController({
    api,
    session,
    view: params.view ?? (params.object ? "object" : "sheet"),
    ...(params.app ? { app: params.app } : {}),
    ...(params.sheet ? { sheet: params.sheet } : {}),
    ...(params.object ? { object: params.object } : {}),
    ...(params.selections ? { selections: params.selections } : {}),
    ...(params.opt ? { options: params.opt } : {}),
    ...(config
      ? { anonymousAccess: config.anonymousAccess, inactivityTimeoutMs: config.inactivityTimeoutMs }
      : {}),
    ...(parentOrigin ? { hostOrigin: parentOrigin } : {}),
  });
  shownController = controller;
  if (app) app.controller = controller;
  controller.addEventListener("theme", (e) => applyTheme(doc.documentElement, (e as CustomEvent).detail));
  controller.addEventListener("locale", (e) => {
    locale = (e as CustomEvent<string>).detail;
    if (app) app.locale = locale;
    doc.documentElement.lang = locale;
  });
  if (configError) {
    controller.retryHandler = async () => win.location.reload();
    controller.fail(configError);
    await mount();
    return controller;
  }

  let host: Awaited<FrameEndpoint["host"]>;
  if (inFrame && parentOrigin && !isFirstPartyFrame(parentOrigin, win.location.origin, win.name)) {
    const endpoint = createFrameEndpoint({ controller, parentOrigin, parentWindow: win.parent });
    // The SYN leaves in a task of its own once this one ends (Chromium forwards a message to another
    // process that way): the first read of the session's storage, slow in a third-party frame (3-11 ms,
    // see SessionStore), goes in a task after it, while the handshake is on its way. It only has to come
    // before `start()`, which waits for the handshake and `hello`.
    await nextTask();
    session.load();
    host = await endpoint.host;
    controller.attachHost(host);
    // Re-announce failures that happened before the host was listening.
    if (host && controller.error)
      controller.emit({ type: "error", code: controller.error.code, message: controller.error.message });
    win.addEventListener("pagehide", () => endpoint.destroy(), { once: true });
    // From the moment the UI is on the page: a slow start's loading view gets its height too.
    if (host) void shown.then((ui) => reportSize(ui, (size) => controller.emit({ type: "resize", ...size })));
  }
  // The UI's script runs when `uiMayRun` says.
  // The UI goes on the page once the view is ready (or `start()` has ended, on its error screen), not as
  // soon as its script has run: its first render then lays out the sheet with its data, instead of a
  // loading view that the session answer replaces moments later while the answer waits behind that
  // render. A slow start still gets the loading view from the fallback timer.
  const sessionRequested = new Promise<void>((resolve) =>
    controller.addEventListener("session-request", () => resolve(), { once: true }),
  );
  const ready = new Promise<void>((resolve) =>
    controller.addEventListener("frame-event", (e) => {
      if ((e as CustomEvent<FrameEvent>).detail.type === "ready") resolve();
    }),
  );
  const started = controller.start();
  await uiMayRun(host !== undefined, { sessionRequested, ready, started });
  // In a page of its own, while the answer is still on its way, the charts' number formats get built in a
  // task of their own (ICU's first load is slow for locales without plain formats); in a frame the view is
  // ready by now and the first render builds them. A failed chunk load surfaces from `mount()` below, which
  // awaits the same promise.
  evaluateUi().then(
    (ui) => {
      if (!mounted) win.setTimeout(() => ui.warmFormatters(locale), 0);
    },
    () => undefined,
  );
  await Promise.race([ready, started]);
  win.clearTimeout(fallback);
  await mount();
  await started;
  return controller;
}
