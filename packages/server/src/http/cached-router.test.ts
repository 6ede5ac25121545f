import { Hono } from "hono";
import { TrieRouter } from "hono/router/trie-router";
import { describe, expect, it } from "vitest";
import { CachedRouter } from "./cached-router.js";

function routes(router: { add(method: string, path: string, handler: string): void }) {
  router.add("ALL", "/*", "log");
  router.add("GET", "/healthz", "health");
  router.add("POST", "/api/v1/visits/beacon", "beacon-default");
  router.add("POST", "/:prefix{[a-z0-9._~-]+}/api/v1/visits/beacon", "beacon");
  router.add("GET", "/:prefix{[a-z0-9._~-]+}/api/v1/apps/:id", "app");
}

describe("CachedRouter", () => {
  it("answers exactly what the router it wraps answers, from the first call and from the cache", () => {
    const plain = new TrieRouter<string>();
    const cached = new CachedRouter(new TrieRouter<string>());
    routes(plain);
    routes(cached);
    const asks: [string, string][] = [
      ["GET", "/healthz"],
      ["POST", "/healthz"],
      ["POST", "/api/v1/visits/beacon"],
      ["POST", "/anon/api/v1/visits/beacon"],
      ["GET", "/anon/api/v1/apps/spending"],
      ["GET", "/anon/api/v1/apps/other"],
      ["GET", "/NOPE/api/v1/apps/x"],
    ];
    for (let round = 0; round < 2; round++)
      for (const [method, path] of asks)
        expect(cached.match(method, path)).toEqual(plain.match(method, path));
    expect(cached.size).toBe(asks.length);
  });

  it("keeps each path's parameters apart, through a whole app", async () => {
    const app = new Hono({ router: new CachedRouter(new TrieRouter()) });
    app.get("/:prefix{[a-z]+}/apps/:id", (c) => c.json(c.req.param()));
    for (let i = 0; i < 2; i++) {
      expect(await (await app.request("/anon/apps/one")).json()).toEqual({ prefix: "anon", id: "one" });
      expect(await (await app.request("/other/apps/two")).json()).toEqual({ prefix: "other", id: "two" });
      expect(await (await app.request("/anon/apps/caf%C3%A9")).json()).toEqual({
        prefix: "anon",
        id: "café",
      });
    }
  });

  it("drops what it cached when a route is added", () => {
    const cached = new CachedRouter(new TrieRouter<string>());
    cached.add("GET", "/a", "first");
    expect(cached.match("GET", "/b")[0]).toEqual([]);
    cached.add("GET", "/b", "second");
    expect(cached.match("GET", "/b")[0].map(([handler]) => handler)).toEqual(["second"]);
  });

  it("stays bounded under a spray of distinct paths, and never caches long ones", () => {
    const cached = new CachedRouter(new TrieRouter<string>(), 10);
    cached.add("GET", "/:any", "any");
    for (let i = 0; i < 35; i++) cached.match("GET", `/p${i}`);
    expect(cached.size).toBeLessThanOrEqual(10);
    const long = `/${"x".repeat(300)}`;
    const before = cached.size;
    expect(cached.match("GET", long)[0].map(([handler]) => handler)).toEqual(["any"]);
    expect(cached.size).toBe(before);
  });
});
