import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../http/app-env.js";
import { sdkRoutes } from "./sdk-routes.js";

const FILES: Record<string, string> = {
  "define.js": 'import "./chunks/portico-embed.js";',
  "chunks/portico-embed.js": "export {};",
  "index.d.ts": "export {};",
};
const reads: string[] = [];
const app = new Hono<AppEnv>().route(
  "/",
  sdkRoutes({
    sdk: {
      version: "1.2.3",
      files: async (relative) => {
        reads.push(relative);
        const text = FILES[relative];
        return text === undefined ? undefined : new TextEncoder().encode(text);
      },
    },
  }),
);

describe("GET /sdk/<version>/", () => {
  it("serves the SDK's scripts to any origin, cacheable for a year", async () => {
    const res = await app.request("/sdk/1.2.3/define.js", { headers: { Origin: "http://localhost:5173" } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(FILES["define.js"]);
    expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await app.request("/sdk/1.2.3/chunks/portico-embed.js")).status).toBe(200);
  });

  it("names the version it has when a page asks for another one", async () => {
    const res = await app.request("/sdk/1.0.0/define.js");
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("/sdk/1.2.3/define.js");
  });

  it("serves nothing but scripts and maps, and never climbs out of the build", async () => {
    reads.length = 0;
    for (const path of ["index.d.ts", "..%2fpackage.json", "chunks/a/b.js", "%2e%2e/x.js", "nope.js"])
      expect((await app.request(`/sdk/1.2.3/${path}`)).status, path).toBe(404);
    expect(reads).toEqual(["nope.js"]);
  });

  it("answers 404 when the server has no SDK build", async () => {
    const bare = new Hono<AppEnv>().route("/", sdkRoutes({ sdk: undefined }));
    expect((await bare.request("/sdk/1.2.3/define.js")).status).toBe(404);
  });
});
