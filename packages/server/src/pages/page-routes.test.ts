import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { VirtualProxyConfig } from "../config/schema.js";
import type { AppEnv } from "../http/app-env.js";
import { embedConfigOf } from "../http/embed-config-route.js";
import { assetRoutes, type FrameFiles, pageRoutes, withEmbedConfig } from "./page-routes.js";

const SCRIPT = new TextEncoder().encode(
  `export const rows = ${JSON.stringify(Array.from({ length: 400 }, (_, i) => i))};`,
);

function countingFiles(files: Record<string, Uint8Array>) {
  const reads: string[] = [];
  const read: FrameFiles = async (relative) => {
    reads.push(relative);
    return files[relative];
  };
  return { read, reads };
}

describe("asset routes", () => {
  it("serves a hashed asset compressed (br, else gzip), immutable, read and compressed once", async () => {
    const { read, reads } = countingFiles({ "assets/define-BuywzVIj.js": SCRIPT });
    const routes = assetRoutes({ files: read });

    const br = await routes.request("/assets/define-BuywzVIj.js", {
      headers: { "accept-encoding": "gzip, deflate, br" },
    });
    expect(br.status).toBe(200);
    expect(br.headers.get("content-encoding")).toBe("br");
    expect(br.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(br.headers.get("vary")).toBe("Accept-Encoding");
    expect(br.headers.get("content-type")).toContain("text/javascript");
    const brBytes = new Uint8Array(await br.arrayBuffer());
    expect(brBytes.byteLength).toBeLessThan(SCRIPT.byteLength / 2);
    expect(brotliDecompressSync(brBytes)).toEqual(Buffer.from(SCRIPT));

    const gz = await routes.request("/assets/define-BuywzVIj.js", { headers: { "accept-encoding": "gzip" } });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect(gunzipSync(new Uint8Array(await gz.arrayBuffer()))).toEqual(Buffer.from(SCRIPT));

    const plain = await routes.request("/assets/define-BuywzVIj.js");
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(new Uint8Array(await plain.arrayBuffer())).toEqual(SCRIPT);

    expect(reads).toEqual(["assets/define-BuywzVIj.js"]);
  });

  it("honours q=0 (an encoding the client refuses is never sent)", async () => {
    const routes = assetRoutes({ files: countingFiles({ "assets/a-12345678.js": SCRIPT }).read });
    const res = await routes.request("/assets/a-12345678.js", {
      headers: { "accept-encoding": "br;q=0, gzip;q=0.0, identity" },
    });
    expect(res.headers.get("content-encoding")).toBeNull();
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(SCRIPT);
  });

  it("reads an unhashed name on every request and caches it only for an hour", async () => {
    const { read, reads } = countingFiles({ "assets/test-frame.js": SCRIPT });
    const routes = assetRoutes({ files: read });
    for (let i = 0; i < 2; i++) {
      const res = await routes.request("/assets/test-frame.js", { headers: { "accept-encoding": "gzip" } });
      expect(res.headers.get("cache-control")).toBe("public, max-age=3600");
      expect(res.headers.get("content-encoding")).toBeNull();
    }
    expect(reads).toHaveLength(2);
  });

  it("keeps no entry for a name that does not exist (made-up names cannot fill memory)", async () => {
    const files: Record<string, Uint8Array> = {};
    const { read, reads } = countingFiles(files);
    const routes = assetRoutes({ files: read });
    expect((await routes.request("/assets/late-abcdefgh.js")).status).toBe(404);
    files["assets/late-abcdefgh.js"] = SCRIPT;
    expect((await routes.request("/assets/late-abcdefgh.js")).status).toBe(200);
    expect(reads).toEqual(["assets/late-abcdefgh.js", "assets/late-abcdefgh.js"]);
  });
});

describe("the embed page's inline config", () => {
  const EMBED_HTML = `<!doctype html>
<html lang="en">
  <head>
    <title>Portico</title>
    <script type="module" crossorigin src="/assets/embed-12345678.js"></script>
    <link rel="preload" as="script" crossorigin href="/assets/define-87654321.js">
  </head>
  <body></body>
</html>`;
  const files: FrameFiles = async (relative) =>
    relative === "embed.html" || relative === "hub.html" ? new TextEncoder().encode(EMBED_HTML) : undefined;

  /** The page routes under a proxy as `resolveProxy` would set it (plus anything else a proxy may hold). */
  function pagesFor(proxy: Record<string, unknown>) {
    const app = new Hono<AppEnv>();
    app.use(async (c, next) => {
      c.set("proxy", proxy as unknown as VirtualProxyConfig);
      await next();
    });
    app.route("/", pageRoutes({ files }));
    return app;
  }

  const blockOf = (html: string) =>
    /<script type="application\/json" id="portico-embed-config">([^<]*)<\/script>/.exec(html)?.[1];

  it("carries exactly the proxy's public embed config, in a data block the CSP needs no exception for", async () => {
    const proxy = {
      prefix: "anon",
      anonymousAccess: "always",
      hostAllowList: ["https://portal.example"],
      sessionInactivityMinutes: 15,
      // Whatever else a proxy ever holds must stay out of the page.
      ticketSecret: "do-not-leak",
    };
    const res = await pagesFor(proxy).request("/embed");
    expect(res.status).toBe(200);
    const html = await res.text();
    const block = blockOf(html);
    expect(block).toBeDefined();
    expect(JSON.parse(block ?? "")).toEqual({
      hostAllowList: ["https://portal.example"],
      anonymousAccess: "always",
      inactivityTimeoutMs: 15 * 60_000,
    });
    expect(html).not.toContain("do-not-leak");
    expect(html).not.toContain("prefix");
    expect(html.indexOf("portico-embed-config")).toBeLessThan(html.indexOf("</head>"));
    const scriptSrc = res.headers
      .get("content-security-policy")
      ?.split(";")
      .find((d) => d.trim().startsWith("script-src"));
    expect(scriptSrc?.trim()).toBe("script-src 'self'");
    expect(res.headers.get("cache-control")).toBe("no-store");
    // The embed config route answers the same for other callers.
    expect(embedConfigOf(proxy as unknown as VirtualProxyConfig)).toEqual(JSON.parse(block ?? ""));
  });

  it("escapes `<`, so no value can close the block and inject markup", async () => {
    const hostile = "https://a.example/</script><script>alert(1)</script><!--";
    const proxy = { anonymousAccess: "allow", hostAllowList: [hostile], sessionInactivityMinutes: 30 };
    const html = await (await pagesFor(proxy).request("/embed")).text();
    expect(html).not.toContain("<script>alert(1)");
    expect(html).not.toContain("<!--");
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(JSON.parse(blockOf(html) ?? "").hostAllowList).toEqual([hostile]);
  });

  it("is only in the embed page", async () => {
    const proxy = { anonymousAccess: "allow", hostAllowList: [], sessionInactivityMinutes: 30 };
    const hub = await (await pagesFor(proxy).request("/hub")).text();
    expect(hub).toBe(EMBED_HTML);
  });

  it("preloads the UI chunk without compiling it in a frame, and compiles it at once as a top-level page", async () => {
    const proxy = { anonymousAccess: "always", hostAllowList: [], sessionInactivityMinutes: 30 };
    const links = async (dest?: string) =>
      (
        await (
          await pagesFor(proxy).request("/embed", dest ? { headers: { "sec-fetch-dest": dest } } : {})
        ).text()
      )
        .match(/<link [^>]*>/g)
        ?.join("\n");
    const plain = '<link rel="preload" as="script" crossorigin href="/assets/define-87654321.js">';
    expect(await links("iframe")).toBe(plain);
    // A browser that does not say (no Sec-Fetch-Dest) gets the page as built.
    expect(await links()).toBe(plain);
    expect(await links("document")).toBe(
      '<link rel="modulepreload" crossorigin href="/assets/define-87654321.js">',
    );
    // The hub is another page, built without a dynamic chunk: served as it is.
    const hub = await (
      await pagesFor(proxy).request("/hub", { headers: { "sec-fetch-dest": "document" } })
    ).text();
    expect(hub).toBe(EMBED_HTML);
  });

  it("leaves a page without a head as it is (the frame then asks the config route)", () => {
    const config = { hostAllowList: [], anonymousAccess: "none" as const, inactivityTimeoutMs: 60_000 };
    expect(withEmbedConfig("<p>test frame</p>", config)).toBe("<p>test frame</p>");
  });
});
