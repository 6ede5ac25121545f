import { readFile } from "node:fs/promises";
import path from "node:path";
import { Hono } from "hono";
import type { AppEnv } from "../http/app-env.js";
import { frameHeaders } from "../http/frame-headers.js";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

const NOT_BUILT =
  "The Portico frame is not built yet: run `npm run build` (it writes packages/frame/dist), then reload.";

/** Reads a file of the built frame; undefined when absent (not built, or no such asset). */
export type FrameFiles = (relative: string) => Promise<Uint8Array | undefined>;

/** Serves files from a directory, refusing any path that escapes it. */
export function directoryFiles(root: string): FrameFiles {
  const base = path.resolve(root);
  return async (relative) => {
    const target = path.resolve(base, relative);
    if (!target.startsWith(base + path.sep)) return undefined;
    try {
      return await readFile(target);
    } catch {
      return undefined;
    }
  };
}

/** `/{P}/embed`, `/{P}/hub` (and the login form): the frame's pages with their framing policy. */
export function pageRoutes(options: { files: FrameFiles }) {
  const routes = new Hono<AppEnv>();

  const page = (file: string, firstParty: boolean) =>
    routes.get(`/${file === "embed.html" ? "embed" : "hub"}`, async (c) => {
      const proxy = c.get("proxy");
      const headers = frameHeaders(proxy.hostAllowList, { firstParty });
      for (const [name, value] of Object.entries(headers)) c.header(name, value);
      c.header("Cache-Control", "no-store");
      // `/hub?login=1` forces the login form (forceAuthentication in the modelled hub); there is no
      // login on an anonymous-only proxy.
      const wanted =
        file === "hub.html" && c.req.query("login") === "1" && proxy.anonymousAccess !== "always"
          ? "login.html"
          : file;
      const body = (await options.files(wanted)) ?? (wanted !== file ? await options.files(file) : undefined);
      if (!body) return c.text(NOT_BUILT, 503);
      return c.body(body as Uint8Array<ArrayBuffer>, 200, {
        "Content-Type": CONTENT_TYPES[".html"] as string,
      });
    });
  page("embed.html", false);
  page("hub.html", true);
  return routes;
}

/** `/assets/*` and `/{P}/assets/*`: the frame's built scripts and styles. */
export function assetRoutes(options: { files: FrameFiles }) {
  const routes = new Hono<AppEnv>();
  routes.get("/assets/*", async (c) => {
    const relative = c.req.path.slice(c.req.path.indexOf("/assets/") + 1);
    let decoded: string;
    try {
      decoded = decodeURIComponent(relative);
    } catch {
      return c.text("Not found", 404);
    }
    const body = await options.files(decoded);
    if (!body) return c.text("Not found", 404);
    const type = CONTENT_TYPES[path.extname(relative)] ?? "application/octet-stream";
    return c.body(body as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": type,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "public, max-age=3600",
    });
  });
  return routes;
}
