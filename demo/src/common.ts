// What every demo page shares: the site chrome, the Portico server URL from the demo backend, and the
// moment the SDK is loaded (after every <portico-embed> on the page knows its server).
import "./style.css";

export interface DemoConfig {
  /** The Portico server's URL as the browser reaches it, e.g. http://127.0.0.1:4000 */
  server: string;
}

const PAGES = [
  { href: "/", name: "Dashboards" },
  { href: "/chart.html", name: "One chart" },
  { href: "/hub.html", name: "All apps" },
  { href: "/partner.html", name: "Partners" },
  { href: "/admin.html", name: "Administration" },
] as const;

/** Adds the demo banner, header and footer around the page's <main>. */
export function renderChrome(current: (typeof PAGES)[number]["href"]): void {
  const banner = document.createElement("div");
  banner.className = "demo-banner";
  banner.innerHTML =
    "<strong>DEMO</strong> — Riverton is a fictional city and every number on this site is synthetic. " +
    "The dashboards are embedded from a Portico server on another origin.";
  const header = document.createElement("header");
  header.className = "site";
  header.innerHTML = `<div class="inner">
      <a class="logo" href="/"><span class="logo-mark" aria-hidden="true">R</span>
        <span class="logo-text">Riverton Open Data<small>City of Riverton · open-data portal</small></span></a>
      <nav class="main" aria-label="Main">${PAGES.map(
        (p) => `<a href="${p.href}"${p.href === current ? ' aria-current="page"' : ""}>${p.name}</a>`,
      ).join("")}</nav>
    </div>`;
  const footer = document.createElement("footer");
  footer.className = "site";
  footer.innerHTML = `<div class="inner">A Portico demo portal (<code>demo/</code> in the repository).
    Data: synthetic, generated from a fixed seed. Dashboards: <code>&lt;portico-embed&gt;</code> from
    <code>@portico/embed</code>.</div>`;
  document.body.prepend(banner, header);
  document.body.append(footer);
}

let config: Promise<DemoConfig> | undefined;

/** The demo backend's configuration (fetched once). */
export function demoConfig(): Promise<DemoConfig> {
  config ??= fetch("/demo-api/config").then(async (response) => {
    if (!response.ok) throw new Error(`demo backend: ${response.status}`);
    return (await response.json()) as DemoConfig;
  });
  return config;
}

/**
 * Points every <portico-embed> of the page at the Portico server, then registers the element: the
 * elements upgrade with their `server` already set, so none starts without one.
 */
export async function startEmbeds(): Promise<DemoConfig> {
  const { server } = await demoConfig();
  for (const element of document.querySelectorAll("portico-embed")) element.setAttribute("server", server);
  await import("@portico/embed/define");
  return { server };
}

/** Shows `message` in the element with id `id` (a status line). */
export function say(id: string, message: string, isError = false): void {
  const target = document.getElementById(id);
  if (!target) return;
  target.textContent = message;
  target.classList.toggle("error", isError);
}
