import { describe, expect, it } from "vitest";
import { validateConfig } from "../config/load-config.js";
import { isPorticoError, type PorticoError } from "../errors/portico-error.js";
import { SlidingWindowLog } from "../http/sliding-window-log.js";
import { Metrics } from "../ops/metrics.js";
import type { SessionRecord } from "../storage/storage.js";
import { AnonymousBudget, anonymousLimitOf } from "./anonymous-budget.js";
import { ConcurrentSessions } from "./concurrent-sessions.js";
import { SessionEvents } from "./session-events.js";

const MINUTE = 60_000;

function setUp(
  anonymousLimits: Record<string, unknown>,
  bounds: { maxEntries?: number; maxSessions?: number } = {},
) {
  let now = Date.parse("2026-03-02T09:00:00Z");
  const state = validateConfig(
    {
      server: { publicUrl: "https://portico.example.com" },
      virtualProxies: [{ prefix: "anon", anonymousAccess: "always", anonymousLimits }],
    },
    "/c/p.yaml",
  );
  const budget = new AnonymousBudget({
    config: () => state,
    clock: () => now,
    metrics: new Metrics(),
    ...bounds,
  });
  let n = 0;
  const session = (anonymous = true): SessionRecord => ({
    id: `s${++n}`,
    proxy: "anon",
    userDirectory: anonymous ? "NONE" : "PORTAL",
    userId: anonymous ? `anonymous${n}` : "alice",
    anonymous,
    attributes: {},
    origin: null,
    tokenHash: `t${n}`,
    createdAt: now,
    lastActiveAt: now,
    expiresAt: now + 30 * MINUTE,
    absoluteExpiresAt: now + 120 * MINUTE,
    endedAt: null,
    endReason: null,
  });
  const from = (ip: string) => ({ ip, userAgent: undefined });
  /** The refusal's budget, or "admitted". */
  const admit = async (s: SessionRecord, ip: string) => {
    try {
      await budget.admit(s, from(ip));
      return "admitted";
    } catch (error) {
      if (!isPorticoError(error)) throw error;
      return anonymousLimitOf(error as PorticoError)?.limit;
    }
  };
  return { budget, session, admit, from, advance: (ms: number) => (now += ms) };
}

describe("AnonymousBudget", () => {
  it("counts anonymous starts from a client only: identified users and starts without a request pass", async () => {
    const t = setUp({ newSessionsPerIpPerHour: 1 });
    expect(await t.admit(t.session(), "198.51.100.7")).toBe("admitted");
    expect(await t.admit(t.session(), "198.51.100.7")).toBe("newSessionsPerIpPerHour");
    expect(await t.admit(t.session(false), "198.51.100.7")).toBe("admitted");
    await expect(t.budget.admit(t.session())).resolves.toBeUndefined();
  });

  it("a start that did not happen (a later gate refused it) gives its place back in every budget", async () => {
    const t = setUp({
      newSessionsPerIpPerHour: 1,
      newSessionsPerNetworkPerHour: 1,
      concurrentSessionsPerIp: 1,
    });
    const refusedLater = t.session();
    expect(await t.admit(refusedLater, "198.51.100.7")).toBe("admitted");
    t.budget.abandon(refusedLater, t.from("198.51.100.7"));
    expect(await t.admit(t.session(), "198.51.100.8")).toBe("admitted");
  });

  it("an ended session frees its slot; activity moves its deadline, so only idle sessions time out of it", async () => {
    const t = setUp({ concurrentSessionsPerIp: 1 });
    const events = new SessionEvents();
    t.budget.follow(events);
    const first = t.session();
    expect(await t.admit(first, "198.51.100.7")).toBe("admitted");
    expect(await t.admit(t.session(), "198.51.100.7")).toBe("concurrentSessionsPerIp");
    await events.emit("ended", { session: first, reason: "logout" });
    const second = t.session();
    expect(await t.admit(second, "198.51.100.7")).toBe("admitted");
    t.advance(29 * MINUTE);
    t.budget.admitRequest(second, Date.parse("2026-03-02T09:29:00Z"));
    t.advance(29 * MINUTE);
    expect(await t.admit(t.session(), "198.51.100.7")).toBe("concurrentSessionsPerIp");
    t.advance(2 * MINUTE);
    expect(await t.admit(t.session(), "198.51.100.7")).toBe("admitted");
  });

  it("keeps memory bounded under a client rotating addresses", async () => {
    const t = setUp({ newSessionsPerNetworkPerHour: "off" }, { maxEntries: 1000, maxSessions: 500 });
    for (let i = 0; i < 5000; i++)
      expect(await t.admit(t.session(), `2001:db8:${(i >> 8).toString(16)}::${(i & 255).toString(16)}`)).toBe(
        "admitted",
      );
    const internals = t.budget as unknown as { perIp: SlidingWindowLog; concurrent: ConcurrentSessions };
    expect(internals.perIp.size).toBeLessThanOrEqual(1000);
    expect(internals.concurrent.size).toBeLessThanOrEqual(500);
  });
});

describe("SlidingWindowLog", () => {
  it("admits `limit` per window and answers the wait until the oldest counted time leaves it", () => {
    let now = 0;
    const log = new SlidingWindowLog({ windowMs: 60 * MINUTE, clock: () => now });
    for (const at of [0, 10, 20]) {
      now = at * MINUTE;
      expect(log.check("k", 3)).toEqual({ allowed: true });
      log.add("k");
    }
    now = 30 * MINUTE;
    expect(log.check("k", 3)).toEqual({ allowed: false, retryAfterMs: 30 * MINUTE });
    expect(log.check("k", 2)).toEqual({ allowed: false, retryAfterMs: 40 * MINUTE });
    now = 60 * MINUTE;
    expect(log.check("k", 3)).toEqual({ allowed: true });
    expect(log.size).toBe(2);
  });

  it("forgets the keys counted least recently past its bound, never the one just counted", () => {
    let now = 0;
    const log = new SlidingWindowLog({ windowMs: 60 * MINUTE, clock: () => now, maxEntries: 100 });
    for (let i = 0; i < 1000; i++) {
      now = i;
      log.add(`k${i}`);
      expect(log.size).toBeLessThanOrEqual(100);
      expect(log.check(`k${i}`, 1).allowed).toBe(false);
    }
  });
});

describe("ConcurrentSessions", () => {
  it("answers the wait until enough deadlines pass", () => {
    let now = 0;
    const live = new ConcurrentSessions({ clock: () => now });
    live.add("k", "a", 30 * MINUTE);
    live.add("k", "b", 10 * MINUTE);
    live.add("k", "c", 20 * MINUTE);
    expect(live.check("k", 3)).toEqual({ allowed: false, retryAfterMs: 10 * MINUTE });
    expect(live.check("k", 2)).toEqual({ allowed: false, retryAfterMs: 20 * MINUTE });
    live.remove("b");
    expect(live.check("k", 3)).toEqual({ allowed: true });
    now = 20 * MINUTE;
    expect(live.check("k", 1)).toEqual({ allowed: false, retryAfterMs: 10 * MINUTE });
    expect(live.size).toBe(1);
  });
});
