import { describe, expect, it } from "vitest";
import { LruCache } from "./lru-cache.js";

describe("LruCache", () => {
  it("evicts the least recently used entry beyond capacity", () => {
    const cache = new LruCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.get("a");
    cache.set("c", 3);
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([1, undefined, 3]);
  });

  it("bounds the total weight and refuses an entry heavier than the bound", () => {
    const cache = new LruCache<string, string>(10, 100);
    cache.set("big", "x", 60);
    cache.set("other", "y", 50);
    expect(cache.get("big")).toBeUndefined();
    expect(cache.get("other")).toBe("y");
    cache.set("huge", "z", 101);
    expect(cache.get("huge")).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it("caches nothing with capacity 0", () => {
    const cache = new LruCache<string, number>(0);
    cache.set("a", 1);
    expect(cache.get("a")).toBeUndefined();
  });
});
