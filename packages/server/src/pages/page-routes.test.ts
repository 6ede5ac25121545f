import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { assetRoutes, type FrameFiles } from "./page-routes.js";

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
