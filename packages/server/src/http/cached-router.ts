import type { Result, Router } from "hono/router";

/** Distinct method + path pairs whose matches are kept; the cache starts over past this. */
export const ROUTE_CACHE_LIMIT = 1000;
/** Longer paths are matched afresh each time: a spray of long made-up paths must not fill memory. */
const MAX_CACHED_PATH_LENGTH = 256;

/**
 * A router that remembers the match for each method and path. This app mounts every proxy's routes under
 * `/:prefix{...}` next to the default proxy's, which rules out hono's RegExpRouter, and the trie walk
 * that remains would be repeated on every request for the same few paths (a visitor's beacons all go to
 * one). A match result is read-only to hono (its RegExpRouter shares them too), so one
 * result can serve every request for its path. Adding a route drops what was cached.
 */
export class CachedRouter<T> implements Router<T> {
  readonly name: string;
  private readonly inner: Router<T>;
  private readonly limit: number;
  private readonly cache = new Map<string, Result<T>>();

  constructor(inner: Router<T>, limit = ROUTE_CACHE_LIMIT) {
    this.inner = inner;
    this.limit = limit;
    this.name = `CachedRouter(${inner.name})`;
  }

  add(method: string, path: string, handler: T): void {
    this.cache.clear();
    this.inner.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    if (path.length > MAX_CACHED_PATH_LENGTH) return this.inner.match(method, path);
    const key = `${method} ${path}`;
    let result = this.cache.get(key);
    if (result === undefined) {
      result = this.inner.match(method, path);
      if (this.cache.size >= this.limit) this.cache.clear();
      this.cache.set(key, result);
    }
    return result;
  }

  /** Matches held (tests). */
  get size(): number {
    return this.cache.size;
  }
}
