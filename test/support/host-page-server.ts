// The embedding page's origin for end-to-end tests: a plain HTTP server on `localhost` (a different origin
// from the Portico server on 127.0.0.1) serving the SDK bundle under /sdk/ and pages the test registers.
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export interface HostPageServer {
  /** `http://localhost:<port>` */
  origin: string;
  /** Registers a page at `pathname` and returns its URL. */
  page(pathname: string, html: string): string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".map": "application/json",
  ".html": "text/html; charset=utf-8",
};

/** Serves `sdkDir` under `/sdk/` and registered pages; everything else is 404. */
export async function startHostPageServer(sdkDir: string): Promise<HostPageServer> {
  const pages = new Map<string, string>();
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const html = pages.get(url.pathname);
    if (html !== undefined) {
      res.writeHead(200, { "content-type": TYPES[".html"], "cache-control": "no-store" });
      res.end(html);
      return;
    }
    if (url.pathname.startsWith("/sdk/")) {
      const file = path.resolve(sdkDir, `.${url.pathname.slice(4)}`);
      if (file.startsWith(path.resolve(sdkDir) + path.sep)) {
        try {
          const body = await readFile(file);
          res.writeHead(200, {
            "content-type": TYPES[path.extname(file)] ?? "application/octet-stream",
            "cache-control": "no-store",
          });
          res.end(body);
          return;
        } catch {
          // falls through to 404
        }
      }
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  // `localhost` resolves to 127.0.0.1 here, yet it is another origin than http://127.0.0.1:<server port>.
  const origin = `http://localhost:${port}`;
  return {
    origin,
    page(pathname, html) {
      pages.set(pathname, html);
      return `${origin}${pathname}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
