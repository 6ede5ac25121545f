import type { SessionResponse } from "@portico/protocol";
import { describe, expect, it } from "vitest";
import { SessionStore } from "./session-store.js";

/** A storage area that counts how often it is asked for and read. */
function countingStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  const counts = { opened: 0, reads: 0, writes: 0 };
  const area = {
    getItem: (key: string) => {
      counts.reads++;
      return items.get(key) ?? null;
    },
    setItem: (key: string, value: string) => {
      counts.writes++;
      items.set(key, value);
    },
    removeItem: (key: string) => items.delete(key),
  } as unknown as Storage;
  return {
    counts,
    items,
    open: () => {
      counts.opened++;
      return area;
    },
  };
}

const USER = { userDirectory: "ANON", userId: "visitor-1", anonymous: true };
const STORED = JSON.stringify({ token: "stored-token", user: USER, inactivityTimeoutMs: 60_000 });

describe("SessionStore", () => {
  it("touches no storage until the session is first used, then reads it once", () => {
    const storage = countingStorage({ "portico.session.anon": STORED });
    const store = new SessionStore("anon", storage.open);
    expect(storage.counts).toEqual({ opened: 0, reads: 0, writes: 0 });
    store.load();
    expect(store.token).toBe("stored-token");
    expect(store.current?.user).toEqual(USER);
    store.load();
    expect(storage.counts).toEqual({ opened: 1, reads: 1, writes: 0 });
  });

  it("reads on first use without load()", () => {
    const storage = countingStorage({ "portico.session.-": STORED });
    const store = new SessionStore("", storage.open);
    expect(store.token).toBe("stored-token");
    expect(storage.counts.reads).toBe(1);
  });

  it("a session set before any read replaces the stored one and is not overwritten by a later read", () => {
    const storage = countingStorage({ "portico.session.anon": STORED });
    const store = new SessionStore("anon", storage.open);
    store.set({ sessionToken: "new-token", user: USER, inactivityTimeoutMs: 30_000 } as SessionResponse);
    store.load();
    expect(store.token).toBe("new-token");
    expect(storage.counts.reads).toBe(0);
    expect(JSON.parse(storage.items.get("portico.session.anon") ?? "{}").token).toBe("new-token");
  });

  it("after clear() nothing is read back", () => {
    const storage = countingStorage({ "portico.session.anon": STORED });
    const store = new SessionStore("anon", storage.open);
    store.clear();
    expect(store.current).toBeUndefined();
    expect(storage.items.has("portico.session.anon")).toBe(false);
    expect(storage.counts.reads).toBe(0);
  });

  it("refuses a stored entry of the wrong shape and works without storage", () => {
    const storage = countingStorage({ "portico.session.anon": JSON.stringify({ token: 5 }) });
    expect(new SessionStore("anon", storage.open).current).toBeUndefined();
    const memoryOnly = new SessionStore("anon", () => undefined);
    memoryOnly.set({ sessionToken: "t", user: USER, inactivityTimeoutMs: 1 } as SessionResponse);
    expect(memoryOnly.token).toBe("t");
  });
});
