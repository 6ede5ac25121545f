import { describe, expect, it } from "vitest";
import { InactivityTimer } from "./inactivity-timer.js";

describe("InactivityTimer", () => {
  it("warns before the timeout and expires at it; activity pushes both back", () => {
    let now = 0;
    const timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
    const seen: string[] = [];
    const timer = new InactivityTimer({
      timeoutMs: 30 * 60_000,
      now: () => now,
      setTimer: (fn, ms) => {
        const t = { at: now + ms, fn, live: true };
        timers.push(t);
        return t;
      },
      clearTimer: (h) => {
        (h as { live: boolean }).live = false;
      },
      onExpiring: (at) => seen.push(`expiring ${at.getTime()}`),
      onExpired: () => seen.push("expired"),
    });
    const advance = (to: number) => {
      now = to;
      for (const t of timers) {
        if (!t.live || t.at > now) continue;
        t.live = false;
        t.fn();
      }
    };
    timer.touch();
    advance(20 * 60_000);
    timer.touch(); // activity at minute 20
    advance(30 * 60_000);
    expect(seen).toEqual([]);
    advance(49 * 60_000);
    expect(seen).toEqual([`expiring ${50 * 60_000}`]);
    advance(50 * 60_000);
    expect(seen).toEqual([`expiring ${50 * 60_000}`, "expired"]);
    timer.stop();
    timer.touch();
    expect(timers.filter((t) => t.live)).toHaveLength(0);
  });
});
