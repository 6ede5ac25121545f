// Mounts one frame element at a time for the in-browser component tests, with the query results the real
// engine computes (in the test runner's Node process, see web-test-runner.config.mjs), and records the
// events the element fires.
import "../src/define.js";
import type { QueryRequest, QueryResult, Selections, SheetObjectDef } from "@portico/protocol";
import { formatters } from "../src/format/formatters.js";
import { translator } from "../src/i18n/strings.js";
import { applyTheme } from "../src/theme/apply-theme.js";

/** What the elements fired since the last mount. */
export const events: Array<{ type: string; detail: unknown }> = [];
for (const type of ["portico-select", "portico-clear", "portico-table-change", "portico-export"])
  document.addEventListener(type, (e) => events.push({ type, detail: (e as CustomEvent).detail }));

/** The frame's design tokens, as its pages load them (`pages/theme.css`). */
export function loadTheme(): Promise<unknown> {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL("../src/pages/theme.css", import.meta.url).href;
  const loaded = new Promise((resolve, reject) => {
    link.onload = resolve;
    link.onerror = reject;
  });
  document.head.append(link);
  return loaded;
}

export const theme = (name: "light" | "dark") => applyTheme(document.documentElement, name);

/** The real engine's answer to `request` over the spending test app, `objects` being the sheet's objects. */
export async function engineQuery(request: QueryRequest, objects: SheetObjectDef[]): Promise<QueryResult> {
  const response = await fetch("/__spending/query", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ request, objects }),
  });
  if (!response.ok) throw new Error(`engine: ${response.status} ${await response.text()}`);
  return (await response.json()) as QueryResult;
}

function host(width: number, height: number): HTMLElement {
  document.body.replaceChildren();
  const div = document.createElement("div");
  div.style.width = `${width}px`;
  div.style.height = `${height}px`;
  div.style.display = "grid";
  document.body.append(div);
  return div;
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

export async function mountObject(options: {
  def: SheetObjectDef;
  results: QueryResult[];
  selections?: Selections;
  locale?: string;
  width?: number;
  height?: number;
  selectable?: boolean;
  ctxmenu?: boolean;
}): Promise<HTMLElementTagNameMap["portico-object"]> {
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
  // Charts lay themselves out from their measured size in the next frames.
  await nextFrame();
  await nextFrame();
  await el.updateComplete;
  return el;
}

export async function mountSelectionsBar(selections: Selections, locale = "en") {
  events.length = 0;
  const el = document.createElement("portico-selections-bar");
  el.selections = selections;
  el.fmt = formatters(locale);
  el.t = translator(locale);
  host(600, 60).append(el);
  await el.updateComplete;
  return el;
}

export async function mountErrorScreen(code: string, locale = "en") {
  const el = document.createElement("portico-error-screen");
  el.code = code;
  el.t = translator(locale);
  host(600, 300).append(el);
  await el.updateComplete;
  return el;
}

/**
 * Every element matching `selector` under `root`, looking into open shadow roots at every level (as
 * Playwright's CSS locators do), in document order.
 */
export function deepAll(selector: string, root: ParentNode = document): Element[] {
  const found: Element[] = [];
  const visit = (node: ParentNode) => {
    for (const el of node.querySelectorAll("*")) {
      if (el.matches(selector)) found.push(el);
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  if (root instanceof Element && root.shadowRoot) visit(root.shadowRoot);
  visit(root);
  return found;
}

/** The first element `deepAll` finds, or a failure naming the selector. */
export function deep(selector: string, root: ParentNode = document): Element {
  const [el] = deepAll(selector, root);
  if (!el) throw new Error(`no element matches ${selector}`);
  return el;
}

/** The middle of `el` in the page's coordinates (where a real pointer acts), scrolled into view. */
export function centreOf(el: Element): [number, number] {
  el.scrollIntoView({ block: "center", inline: "center" });
  const box = el.getBoundingClientRect();
  return [Math.round(box.left + box.width / 2), Math.round(box.top + box.height / 2)];
}
