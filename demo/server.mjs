// The demo portal's own web server: the built pages (demo/dist) plus the portal's small backend, the part
// a real portal would have on its side. It holds the two secrets of the demo and never sends them to the
// browser:
//   - the ticket client credential (`portal-backend`) to call Portico's Ticket API when a visitor of the
//     partner page logs in with the demo account;
//   - an admin API key to read the visit log for the administration page.
//
// `node demo/server.mjs` (or `npm start`, which also starts Portico). Environment: DEMO_PORT (5173),
// PORTICO_URL (http://127.0.0.1:4000), PORTICO_TICKET_CLIENT (name:secret), PORTICO_ADMIN_KEY (name:key).
import { readFile, stat } from "node:fs/promises";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

const DIST_DIR = fileURLToPath(new URL("./dist/", import.meta.url));
/** The partner page's demo account and the administration page's administrator (PORTAL in portico.yaml). */
const DEMO_ACCOUNT = { userDirectory: "PORTAL", userId: "alice" };
const DEMO_ADMIN = { userDirectory: "PORTAL", userId: "admin" };
/** Visit-log filters the administration page may pass through to the admin API. */
const VISIT_PARAMS = [
  "from",
  "to",
  "proxy",
  "app",
  "origin",
  "user",
  "ip",
  "type",
  "limit",
  "cursor",
  "groupBy",
];
const UPSTREAM_TIMEOUT_MS = 10_000;

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".map": "application/json",
};

/**
 * Starts the demo site. Resolves with `{origin, close()}`.
 * @param {{port?: number, host?: string, porticoUrl: string, ticketClient: string, adminKey: string,
 *   distDir?: string}} options
 */
export async function startDemoServer(options) {
  const distDir = path.resolve(options.distDir ?? DIST_DIR);
  const porticoUrl = options.porticoUrl.replace(/\/+$/, "");

  async function portico(pathname, init = {}) {
    return fetch(`${porticoUrl}${pathname}`, { ...init, signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
  }

  const routes = {
    "GET /demo-api/config": async () => json(200, { server: porticoUrl }),

    // The partner page's "log in": a real portal would first check its own session here. The demo
    // has one demo account and no password, which is exactly why the ticket comes from this backend
    // and not from the browser: the ticket client secret stays on the server.
    "POST /demo-api/partner-ticket": async () => ticketFor("partner", DEMO_ACCOUNT),
    // The administration page's embeds ask here for every ticket (getTicket). A real portal would check
    // its own administrator login first; the demo has none, and says so on the page.
    "POST /demo-api/admin-ticket": async () => ticketFor("ops", DEMO_ADMIN),

    "GET /demo-api/visits": async (url) => adminGet("/admin/api/v1/visits", url),
    "GET /demo-api/visits/summary": async (url) => adminGet("/admin/api/v1/visits/summary", url),
  };

  /** One-time ticket from Portico's Ticket API for `user` on `proxy`, with the portal's ticket client. */
  async function ticketFor(proxy, user) {
    const response = await portico(`/${proxy}/api/v1/tickets`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${options.ticketClient}` },
      body: JSON.stringify({ ...user, attributes: { portal: "riverton-demo" } }),
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok)
      return json(502, { error: body.error ?? { code: "UPSTREAM", message: "Ticket API failed" } });
    return json(200, { ticket: body.ticket });
  }

  async function adminGet(pathname, url) {
    const query = new URLSearchParams();
    for (const name of VISIT_PARAMS) {
      const value = url.searchParams.get(name);
      if (value !== null) query.set(name, value);
    }
    const response = await portico(`${pathname}?${query}`, {
      headers: { authorization: `Bearer ${options.adminKey}` },
    });
    return json(response.status, await response.json().catch(() => ({})));
  }

  async function staticFile(pathname) {
    const relative = pathname === "/" ? "index.html" : decodeURIComponent(pathname).replace(/^\/+/, "");
    const candidates = path.extname(relative) ? [relative] : [relative, `${relative}.html`];
    for (const candidate of candidates) {
      const file = path.resolve(distDir, candidate);
      // Never outside dist/ (`/../portico.yaml` and friends).
      if (!file.startsWith(distDir + path.sep)) return undefined;
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) continue;
      const immutable = file.includes(`${path.sep}assets${path.sep}`);
      return {
        status: 200,
        headers: {
          "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
          "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
        },
        body: await readFile(file),
      };
    }
    return undefined;
  }

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://demo.invalid");
      const route = routes[`${req.method} ${url.pathname}`];
      const result =
        (route && (await route(url))) ??
        (req.method === "GET" || req.method === "HEAD" ? await staticFile(url.pathname) : undefined) ??
        text(404, "Not found");
      res.writeHead(result.status, { "x-content-type-options": "nosniff", ...result.headers });
      res.end(req.method === "HEAD" ? undefined : result.body);
    } catch (error) {
      // Portico down or slow: the page shows a clear message, the demo server keeps running.
      const detail = error instanceof Error ? error.message : String(error);
      const result = json(502, {
        error: { code: "UNAVAILABLE", message: `Portico is not reachable: ${detail}` },
      });
      if (!res.headersSent) res.writeHead(result.status, result.headers);
      res.end(result.body);
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 5173, options.host ?? "127.0.0.1", resolve);
  });
  const { port } = server.address();
  return {
    // The pages are addressed as localhost: another origin than Portico's 127.0.0.1.
    origin: `http://localhost:${port}`,
    port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function json(status, value) {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
    body: JSON.stringify(value),
  };
}

function text(status, value) {
  return { status, headers: { "content-type": "text/plain; charset=utf-8" }, body: value };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.DEMO_PORT ?? 5173);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`demo: DEMO_PORT must be an integer 0-65535, got "${process.env.DEMO_PORT}"`);
    process.exit(1);
  }
  const demo = await startDemoServer({
    port,
    porticoUrl: process.env.PORTICO_URL ?? "http://127.0.0.1:4000",
    ticketClient: process.env.PORTICO_TICKET_CLIENT ?? "portal-backend:demo-portal-secret",
    adminKey: process.env.PORTICO_ADMIN_KEY ?? "ops:demo-admin-key",
  });
  console.log(`demo portal listening on ${demo.origin}`);
  const stop = () => void demo.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
