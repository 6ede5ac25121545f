import { Hono } from "hono";
import type { AppEnv } from "../http/app-env.js";
import type { FrameFiles } from "../pages/page-routes.js";

/** What `/sdk/<version>/` serves: the files of one SDK build, read through `files`. */
export interface SdkFiles {
  version: string;
  files: FrameFiles;
}

/** Only the SDK's scripts and their source maps: its folder also holds type declarations. */
const SERVED = /^(?:chunks\/)?[\w-]+\.js(?:\.map)?$/;

/**
 * `GET /sdk/<version>/<file>`: the SDK for pages that load it with `<script type="module" src>` and no
 * build step. The version is in the path, so the bytes behind a URL never change and the response is
 * cacheable for a year; an upgrade of the server changes the URL. A module script from another origin
 * is fetched in CORS mode: `Access-Control-Allow-Origin: *` (the SDK is public code and no credential
 * is involved) and a cross-origin resource policy let any page load it. A page pinned to another
 * version gets a 404 that names the one this server has.
 */
export function sdkRoutes(options: { sdk: SdkFiles | undefined }) {
  const routes = new Hono<AppEnv>();
  const cache = new Map<string, Promise<Uint8Array | undefined>>();
  routes.get("/sdk/:version/*", async (c) => {
    const { sdk } = options;
    const version = c.req.param("version");
    const file = c.req.path.slice(`/sdk/${version}/`.length);
    if (!sdk)
      return c.text("This server has no SDK build (@portico/embed is not installed or not built).", 404);
    if (version !== sdk.version)
      return c.text(`This server serves the SDK version ${sdk.version}: /sdk/${sdk.version}/define.js`, 404);
    if (!SERVED.test(file)) return c.text("Not found", 404);
    let pending = cache.get(file);
    if (!pending) {
      pending = sdk.files(file);
      cache.set(file, pending);
    }
    const body = await pending;
    // Only files that exist are kept, so requests for made-up names cannot grow the map.
    if (!body) {
      cache.delete(file);
      return c.text("Not found", 404);
    }
    return c.body(body as Uint8Array<ArrayBuffer>, 200, {
      "Content-Type": file.endsWith(".map") ? "application/json" : "text/javascript; charset=utf-8",
      "Cache-Control": "public, max-age=31536000, immutable",
      "Access-Control-Allow-Origin": "*",
      "Cross-Origin-Resource-Policy": "cross-origin",
      "X-Content-Type-Options": "nosniff",
    });
  });
  return routes;
}
