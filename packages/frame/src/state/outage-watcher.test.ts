import { describe, expect, it } from "vitest";
import { OutageWatcher } from "./outage-watcher.js";

/** A watcher on a fake clock whose server is down until `up` is set. */
function watcherWorld() {
  let now = 0;
  const timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  const world = {
    up: false,
    probes: [] as number[],
    recovered: 0,
    changes: 0,
    logs: [] as string[],
    recover: async () => {
      world.recovered++;
    },
  };
  const watcher = new OutageWatcher({
    probe: async () => {
      world.probes.push(now);
      if (!world.up) throw new Error("unreachable");
    },
    recover: () => world.recover(),
    onChange: () => {
      world.changes++;
    },
    log: (m) => world.logs.push(m),
    setTimer: (fn, ms) => {
      const t = { at: now + ms, fn, live: true };
      timers.push(t);
      return t;
    },
    clearTimer: (h) => {
      if (h) (h as { live: boolean }).live = false;
    },
  });
  /** Moves the clock, firing due timers and letting their promises settle. */
  const advance = async (to: number) => {
    while (true) {
      const due = timers.filter((t) => t.live && t.at <= to).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      now = due.at;
      due.live = false;
      due.fn();
      for (let i = 0; i < 10; i++) await Promise.resolve();
    }
    now = to;
  };
  return { watcher, world, advance };
}

describe("OutageWatcher", () => {
  it("starts one episode for many failed requests: one log line, probes with back-off", async () => {
    const { watcher, world, advance } = watcherWorld();
    expect(watcher.unreachable()).toBe(true);
    expect(watcher.unreachable()).toBe(false);
    expect(watcher.unreachable()).toBe(false);
    expect(watcher.offline).toBe(true);
    await advance(60_000);
    expect(world.logs).toHaveLength(1);
    expect(world.probes).toEqual([1000, 3000, 7000, 15_000, 30_000, 45_000, 60_000]);
    expect(world.recovered).toBe(0);
  });

  it("re-runs the view once the server answers, and is back online", async () => {
    const { watcher, world, advance } = watcherWorld();
    watcher.unreachable();
    await advance(3500);
    world.up = true;
    await advance(7000);
    expect(world.recovered).toBe(1);
    expect(watcher.offline).toBe(false);
    await advance(120_000);
    expect(world.probes).toEqual([1000, 3000, 7000]);
    // A later outage is a new episode with its own line.
    expect(watcher.unreachable()).toBe(true);
    expect(world.logs).toHaveLength(2);
  });

  it("probes at once when the visitor presses Retry, then backs off from the start", async () => {
    const { watcher, world, advance } = watcherWorld();
    watcher.unreachable();
    await advance(20_000);
    expect(world.probes).toEqual([1000, 3000, 7000, 15_000]);
    await watcher.retryNow();
    expect(world.probes.at(-1)).toBe(20_000);
    await advance(21_000);
    expect(world.probes.at(-1)).toBe(21_000);
    world.up = true;
    await watcher.retryNow();
    expect(world.recovered).toBe(1);
    expect(watcher.offline).toBe(false);
  });

  it("stops probing when disposed", async () => {
    const { watcher, world, advance } = watcherWorld();
    watcher.unreachable();
    watcher.dispose();
    await advance(60_000);
    expect(world.probes).toEqual([]);
  });
});
