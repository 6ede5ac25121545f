import { readFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { brotliCompress, gzip, constants as zlibConstants } from "node:zlib";
import { EMBED_CONFIG_ELEMENT_ID } from "@portico/protocol";
import { Hono } from "hono";
import type { AppEnv } from "../http/app-env.js";
import { type EmbedConfigResponse, embedConfigOf } from "../http/embed-config-route.js";
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

/** Where the embed page wants its config (`packages/frame/embed.html`); else it goes before `</head>`. */
export const EMBED_CONFIG_PLACEHOLDER = "<!-- portico:embed-config -->";

/**
 * The embed page with the proxy's embed config written in as a `<script type="application/json">` data
 * block, so the frame knows its host allow list without a request before the handshake. A data block is
 * never executed, so the CSP stays `script-src 'self'` (no inline script, no hash). `<` is escaped: no
 * value (an allow-list entry, say) can close the element and inject markup. A page with neither the
 * placeholder nor `</head>` (a test frame) is served as it is; the frame then asks `GET api/v1/embed-config`.
 */
export function withEmbedConfig(html: string, config: EmbedConfigResponse): string {
  const json = JSON.stringify(config).replace(/</g, "\\u003c");
  const block = `<script type="application/json" id="${EMBED_CONFIG_ELEMENT_ID}">${json}</script>`;
  const placeholder = html.indexOf(EMBED_CONFIG_PLACEHOLDER);
  if (placeholder >= 0)
    return `${html.slice(0, placeholder)}${block}${html.slice(placeholder + EMBED_CONFIG_PLACEHOLDER.length)}`;
  const at = html.indexOf("</head>");
  return at < 0 ? html : `${html.slice(0, at)}${block}\n  ${html.slice(at)}`;
}

/** How the frame build preloads the embed page's UI chunk: downloaded, not compiled (vite.config.ts). */
const UI_PRELOAD = '<link rel="preload" as="script" crossorigin href=';

/**
 * The embed page as a top-level document (`Sec-Fetch-Dest: document`): no host to talk to, so the page asks
 * for its session at once and needs its UI right after; `modulepreload` has the browser compile the UI
 * chunk as soon as it arrives instead of when the page imports it. In a frame the page keeps the plain
 * preload: there that compile would land between the handshake's messages and in front of the session.
 */
export function withEagerUiPreload(html: string): string {
  return html.replaceAll(UI_PRELOAD, '<link rel="modulepreload" crossorigin href=');
}

/** `/{P}/embed`, `/{P}/hub` (and the login form): the frame's pages with their framing policy. */
export function pageRoutes(options: { files: FrameFiles }) {
  const routes = new Hono<AppEnv>();

  const page = (file: string) =>
    routes.get(`/${file === "embed.html" ? "embed" : "hub"}`, async (c) => {
      const proxy = c.get("proxy");
      const headers = frameHeaders(proxy.hostAllowList);
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
      let html: string | Uint8Array<ArrayBuffer> = body as Uint8Array<ArrayBuffer>;
      if (wanted === "embed.html") {
        html = withEmbedConfig(new TextDecoder().decode(body), embedConfigOf(proxy));
        if (c.req.header("sec-fetch-dest") === "document") html = withEagerUiPreload(html);
      }
      return c.body(html, 200, { "Content-Type": CONTENT_TYPES[".html"] as string });
    });
  page("embed.html");
  page("hub.html");
  return routes;
}

/** Vite's content-hashed file names (`define-BuywzVIj.js`): the bytes behind such a name never change. */
const HASHED_ASSET = /-[\w-]{8}\.[a-z0-9]+$/;
const COMPRESSIBLE = new Set([".js", ".mjs", ".css", ".svg", ".json", ".map", ".html"]);
const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

type EncodedAsset = { identity: Uint8Array; gzip?: Uint8Array; br?: Uint8Array };

/** The best encoding the client accepts (`q=0` refuses one). */
function acceptedEncoding(header: string | undefined): "br" | "gzip" | undefined {
  const accepted = new Set(
    (header ?? "")
      .split(",")
      .map((part) => part.trim().toLowerCase().split(";"))
      .filter(([, q]) => !/^\s*q=0(\.0*)?\s*$/.test(q ?? ""))
      .map(([name]) => name),
  );
  return accepted.has("br") ? "br" : accepted.has("gzip") ? "gzip" : undefined;
}

/** A file name segment: no separators, no `%` (nothing is decoded twice), not `.` or `..`. */
const ASSET_SEGMENT = /^(?!\.\.?$)[^/\\%]+$/;

/**
 * The file an asset path names, or undefined. An encoded `/` or `\` (`%2f`, `%5c`) is never a separator
 * and no segment may climb out: otherwise `/assets/..%2fembed.html` would serve a frame page without the
 * page routes' Content-Security-Policy and framing rules.
 */
function assetName(relative: string): string | undefined {
  if (/%(2f|5c)/i.test(relative)) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return undefined;
  }
  const [assets, ...segments] = decoded.split("/");
  if (assets !== "assets" || segments.length === 0) return undefined;
  return segments.every((segment) => ASSET_SEGMENT.test(segment)) ? decoded : undefined;
}

/**
 * `/assets/*` and `/{P}/assets/*`: the frame's built scripts and styles. Hashed assets are read and
 * compressed once, kept in memory (a build's few files) and served as immutable; an unhashed name is read on
 * every request and cached for an hour, as it may change under the same name.
 */
export function assetRoutes(options: { files: FrameFiles }) {
  const routes = new Hono<AppEnv>();
  const hashed = new Map<string, Promise<EncodedAsset | undefined>>();
  const load = async (relative: string): Promise<EncodedAsset | undefined> => {
    const body = await options.files(relative);
    if (!body) return undefined;
    if (!COMPRESSIBLE.has(path.extname(relative)) || body.byteLength < 1024) return { identity: body };
    // Brotli quality 5: several times faster than quality 9 for nearly the same size (see the README), so
    // the first visitor after a start does not wait for the compressor.
    const [gzipped, brotli] = await Promise.all([
      gzipAsync(body),
      brotliAsync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } }),
    ]);
    return { identity: body, gzip: new Uint8Array(gzipped), br: new Uint8Array(brotli) };
  };
  routes.get("/assets/*", async (c) => {
    const relative = c.req.path.slice(c.req.path.indexOf("/assets/") + 1);
    const decoded = assetName(relative);
    if (decoded === undefined) return c.text("Not found", 404);
    const immutable = HASHED_ASSET.test(decoded);
    let asset: EncodedAsset | undefined;
    if (immutable) {
      let pending = hashed.get(decoded);
      if (!pending) {
        pending = load(decoded);
        hashed.set(decoded, pending);
      }
      asset = await pending;
      // Only files that exist are kept, so requests for made-up names cannot grow the map.
      if (!asset) hashed.delete(decoded);
    } else {
      const body = await options.files(decoded);
      asset = body ? { identity: body } : undefined;
    }
    if (!asset) return c.text("Not found", 404);
    const type = CONTENT_TYPES[path.extname(relative)] ?? "application/octet-stream";
    const encoding = asset.gzip ? acceptedEncoding(c.req.header("accept-encoding")) : undefined;
    const body = (encoding && asset[encoding]) || asset.identity;
    return c.body(body as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": type,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": immutable ? "public, max-age=31536000, immutable" : "public, max-age=3600",
      ...(asset.gzip ? { Vary: "Accept-Encoding" } : {}),
      ...(encoding ? { "Content-Encoding": encoding } : {}),
    });
  });
  return routes;
}
