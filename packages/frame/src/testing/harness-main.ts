import "../pages/theme.css";
import "../define.js";
import type { QueryResult, Selections, SheetObjectDef } from "@portico/protocol";
import { formatters } from "../format/formatters.js";
import { translator } from "../i18n/strings.js";
import { applyTheme } from "../theme/apply-theme.js";

/**
 * Component harness for browser tests: mounts one element with data computed by the real engine in the
 * test process, and records the events it fires.
 */
const events: Array<{ type: string; detail: unknown }> = [];
for (const type of ["portico-select", "portico-clear", "portico-table-change", "portico-export"])
  document.addEventListener(type, (e) => events.push({ type, detail: (e as CustomEvent).detail }));

function host(width: number, height: number): HTMLElement {
  document.body.replaceChildren();
  const div = document.createElement("div");
  div.style.width = `${width}px`;
  div.style.height = `${height}px`;
  div.style.display = "grid";
  document.body.append(div);
  return div;
}

const harness = {
  events,
  theme: (name: "light" | "dark") => applyTheme(document.documentElement, name),
  async mountObject(options: {
    def: SheetObjectDef;
    results: QueryResult[];
    selections?: Selections;
    locale?: string;
    width?: number;
    height?: number;
    selectable?: boolean;
    ctxmenu?: boolean;
  }) {
    events.length = 0;
    const el = document.createElement("portico-object");
    el.def = options.def;
    el.results = options.results;
    el.selections = options.selections ?? {};
    el.fmt = formatters(options.locale ?? "en");
    el.t = translator(options.locale ?? "en");
    el.selectable = options.selectable ?? true;
    el.ctxmenu = options.ctxmenu ?? false;
    host(options.width ?? 600, options.height ?? 320).append(el);
    await el.updateComplete;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    await el.updateComplete;
    return true;
  },
  async mountSelectionsBar(selections: Selections, locale = "en") {
    events.length = 0;
    const el = document.createElement("portico-selections-bar");
    el.selections = selections;
    el.fmt = formatters(locale);
    el.t = translator(locale);
    host(600, 60).append(el);
    await el.updateComplete;
    return true;
  },
  async mountErrorScreen(code: string, locale = "en") {
    const el = document.createElement("portico-error-screen");
    el.code = code;
    el.t = translator(locale);
    host(600, 300).append(el);
    await el.updateComplete;
    return true;
  },
};

declare global {
  interface Window {
    harness: typeof harness;
  }
}
window.harness = harness;
