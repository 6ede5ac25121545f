import "./theme.css";
import { html, render } from "lit";
import { defineQmcElements } from "../qmc/define-qmc.js";
import { ConsoleApi } from "../qmc/qmc-api.js";
import { qmcTranslator } from "../qmc/qmc-strings.js";
import { applyTheme } from "../theme/apply-theme.js";

// `/{P}/qmc`: the proxy is the path before `/qmc`.
const base = location.pathname.replace(/\/qmc\/?$/, "");
const locale = new URLSearchParams(location.search).get("locale") ?? navigator.language ?? "en";
defineQmcElements();
applyTheme(document.documentElement, matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
document.documentElement.lang = locale;
render(
  html`<portico-qmc .api=${new ConsoleApi(base)} .t=${qmcTranslator(locale)}></portico-qmc>`,
  document.body,
);
