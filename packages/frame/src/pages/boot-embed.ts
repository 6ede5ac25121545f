import type { EmbedUrlParams } from "@portico/protocol";
import { createApiClient, type EmbedConfig } from "../api/api-client.js";
import { proxyBase, proxyPrefixFromPath } from "../api/proxy-prefix.js";
import { FrameError, toFrameError } from "../errors/frame-error.js";
import { createFrameEndpoint } from "../rpc/frame-endpoint.js";
import { isParentOriginAllowed, parentOriginCandidate } from "../rpc/parent-origin.js";
import { reportSize } from "../rpc/resize-reporter.js";
import { SessionStore } from "../session/session-store.js";
import { FrameController } from "../state/frame-controller.js";
import { applyTheme } from "../theme/apply-theme.js";

export interface BootOptions {
  window: Window;
  document: Document;
  params: EmbedUrlParams;
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
}: BootOptions): Promise<FrameController> {
  const prefix = proxyPrefixFromPath(win.location.pathname);
  const locale = params.locale ?? win.navigator.language ?? "en";
  applyTheme(doc.documentElement, params.theme ?? "light");
  doc.documentElement.lang = locale;

  const session = new SessionStore(prefix);
  const api = createApiClient({ prefix, getToken: () => session.token });
  const app = doc.createElement("portico-frame-app");
  app.locale = locale;
  app.loginHref = `${proxyBase(prefix)}/hub?login=1`;
  doc.body.append(app);

  const inFrame = win.parent !== win;
  let config: EmbedConfig | undefined;
  let configError: FrameError | undefined;
  try {
    config = await api.embedConfig();
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
  controller.addEventListener("theme", (e) => applyTheme(doc.documentElement, (e as CustomEvent).detail));
  controller.addEventListener("locale", (e) => {
    const next = (e as CustomEvent<string>).detail;
    app.locale = next;
    doc.documentElement.lang = next;
  });
  app.controller = controller;

  if (configError) {
    controller.retryHandler = async () => win.location.reload();
    controller.fail(configError);
    return controller;
  }

  if (inFrame && parentOrigin) {
    const endpoint = createFrameEndpoint({ controller, parentOrigin, parentWindow: win.parent });
    const host = await endpoint.host;
    controller.attachHost(host);
    if (host) {
      // Re-announce failures that happened before the host was listening.
      if (controller.error)
        controller.emit({ type: "error", code: controller.error.code, message: controller.error.message });
      reportSize(app, (size) => controller.emit({ type: "resize", ...size }));
    }
    win.addEventListener("pagehide", () => endpoint.destroy(), { once: true });
  }
  await controller.start();
  return controller;
}
