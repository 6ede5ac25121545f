import "./theme.css";
import { html, render } from "lit";
import { defineQmcElements } from "../qmc/define-qmc.js";
import { ConsoleApi } from "../qmc/qmc-api.js";
import { qmcTranslator } from "../qmc/qmc-strings.js";
import { applyTheme } from "../theme/apply-theme.js";

// `/{P}/qmc`: the proxy is the path before `/qmc`.
const base = location.pathname.replace(/\/qmc\/?$/, "");
// As the frame's pages choose: `?locale=`, else the browser's language.
const t = qmcTranslator(new URLSearchParams(location.search).get("locale") ?? navigator.language ?? "en");
defineQmcElements();
applyTheme(document.documentElement, matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
// The language the words are in, not the one asked for: a French browser reads the English console.
document.documentElement.lang = t.locale;
render(html`<portico-qmc .api=${new ConsoleApi(base)} .t=${t}></portico-qmc>`, document.body);
