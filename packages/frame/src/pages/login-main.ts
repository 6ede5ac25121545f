import "./theme.css";
import "./page.css";
import "../define.js";
import { html, render } from "lit";
import { createApiClient } from "../api/api-client.js";
import { proxyBase, proxyPrefixFromPath } from "../api/proxy-prefix.js";
import { translator } from "../i18n/strings.js";
import { applyTheme } from "../theme/apply-theme.js";

const prefix = proxyPrefixFromPath(location.pathname);
const base = proxyBase(prefix);
const query = new URLSearchParams(location.search);
const locale = query.get("locale") ?? navigator.language ?? "en";
const t = translator(locale);
applyTheme(document.documentElement, matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
document.documentElement.lang = locale;
const next = query.get("next") ?? "";
// Only a same-origin path: a login page must never become an open redirect.
const target = /^\/(?![/\\])/.test(next) ? next : `${base}/hub`;
const api = createApiClient({ prefix, getToken: () => undefined });
const root = document.createElement("main");
document.body.append(root);
render(
  html`<portico-login .api=${api} .t=${t} @portico-logged-in=${() => location.assign(target)}></portico-login>`,
  root,
);
