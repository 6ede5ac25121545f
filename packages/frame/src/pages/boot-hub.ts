import { html, render } from "lit";
import { type ApiClient, createApiClient, type EmbedConfig } from "../api/api-client.js";
import { proxyBase, proxyPrefixFromPath } from "../api/proxy-prefix.js";
import { FrameError, toFrameError } from "../errors/frame-error.js";
import { translator } from "../i18n/strings.js";
import { SessionStore } from "../session/session-store.js";
import { applyTheme } from "../theme/apply-theme.js";

/** The hub page (first-party, cookie session): header, then streams -> apps -> sheets. */
export async function bootHub(win: Window, doc: Document): Promise<void> {
  const prefix = proxyPrefixFromPath(win.location.pathname);
  const base = proxyBase(prefix);
  const query = new URLSearchParams(win.location.search);
  const locale = query.get("locale") ?? win.navigator.language ?? "en";
  const dark =
    query.get("theme") === "dark" ||
    (!query.get("theme") && win.matchMedia?.("(prefers-color-scheme: dark)").matches);
  applyTheme(doc.documentElement, dark ? "dark" : "light");
  doc.documentElement.lang = locale;
  const t = translator(locale);
  const session = new SessionStore(prefix);
  const api = createApiClient({ prefix, getToken: () => session.token });
  const root = doc.createElement("div");
  root.className = "page";
  doc.body.append(root);

  // An anonymous-only proxy has no login (the server refuses it there): do not offer one.
  const config = await api.embedConfig().catch(() => undefined);
  const anonymousOnly = config?.anonymousAccess === "always";
  const show = (content: unknown, user?: { name?: string; userId: string; anonymous: boolean }) =>
    render(
      html`<header class="page-header">
          <div class="brand"><span class="logo" aria-hidden="true"></span>${t("hubTitle")}</div>
          ${
            user
              ? html`<div class="user">
                <span>${user.anonymous ? t("anonymous") : t("loggedInAs", { user: user.name ?? user.userId })}</span>
                ${
                  user.anonymous
                    ? anonymousOnly
                      ? ""
                      : html`<a class="link" href=${`${base}/hub?login=1`}>${t("logIn")}</a>`
                    : html`<button class="link" @click=${() => logout(api, win, base)}>${t("logOut")}</button>`
                }
              </div>`
              : ""
          }
        </header>
        <main>${content}</main>`,
      root,
    );

  show(html`<p class="muted">${t("loading")}</p>`);
  try {
    const hub = await loadHub(api, session, config);
    const user = session.current?.user ?? (await api.currentSession().catch(() => undefined))?.user;
    show(
      html`<h1 class="page-title">${t("streams")}</h1>
        <portico-hub .hub=${hub} .t=${t} .prefixBase=${base} .loadApp=${(id: string) => api.app(id)}></portico-hub>`,
      user,
    );
  } catch (error) {
    const e = toFrameError(error);
    if (e.code === "UNAUTHENTICATED" || e.code === "ANONYMOUS_DISABLED" || e.code === "SESSION_EXPIRED") {
      win.location.assign(`${base}/hub?login=1`);
      return;
    }
    show(
      html`<portico-error-screen .code=${e.code} .t=${t} retryable @portico-retry=${() => win.location.reload()}></portico-error-screen>`,
    );
  }
}

/** With a cookie session the hub answers directly; otherwise an anonymous-capable proxy starts a session. */
async function loadHub(api: ApiClient, session: SessionStore, config: EmbedConfig | undefined) {
  try {
    return await api.hub();
  } catch (error) {
    const e = toFrameError(error);
    if (e.code !== "UNAUTHENTICATED" && e.code !== "SESSION_EXPIRED") throw e;
    session.clear();
    if (!config || config.anonymousAccess === "none")
      throw new FrameError("UNAUTHENTICATED", "Please log in");
    session.set(await api.anonymousSession());
    return api.hub();
  }
}

async function logout(api: ApiClient, win: Window, base: string): Promise<void> {
  await api.logout().catch(() => undefined);
  win.sessionStorage?.clear();
  win.location.assign(`${base}/hub`);
}
