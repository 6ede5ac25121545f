import { describe, expect, it } from "vitest";
import { type StartMoments, uiMayRun } from "./boot-embed.js";

/** A start whose moments the test sets off one by one. */
function start() {
  const settle: Record<keyof StartMoments, () => void> = {
    sessionRequested: () => undefined,
    ready: () => undefined,
    started: () => undefined,
  };
  const moment = (name: keyof StartMoments) =>
    new Promise<void>((resolve) => {
      settle[name] = resolve;
    });
  const moments: StartMoments = {
    sessionRequested: moment("sessionRequested"),
    ready: moment("ready"),
    started: moment("started"),
  };
  return { moments, settle };
}

/** Whether `promise` has settled once every pending callback has run. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => {
    done = true;
  });
  await new Promise((resolve) => setTimeout(resolve, 0));
  return done;
}

describe("uiMayRun: when the embed page evaluates its UI", () => {
  it("in a page of its own, as soon as the session request is out", async () => {
    const { moments, settle } = start();
    const may = uiMayRun(false, moments);
    expect(await settled(may)).toBe(false);
    settle.sessionRequested();
    expect(await settled(may)).toBe(true);
  });

  it("with a host, not while the session request is out: only once the view is ready", async () => {
    const { moments, settle } = start();
    const may = uiMayRun(true, moments);
    settle.sessionRequested();
    expect(await settled(may)).toBe(false);
    settle.ready();
    expect(await settled(may)).toBe(true);
  });

  it("with a session of its own already (no request), once the view is ready", async () => {
    const { moments, settle } = start();
    const may = uiMayRun(false, moments);
    settle.ready();
    expect(await settled(may)).toBe(true);
  });

  it("once the start has ended, even without `ready` (a failed start shows its error screen)", async () => {
    for (const hosted of [true, false]) {
      const { moments, settle } = start();
      const may = uiMayRun(hosted, moments);
      settle.started();
      expect(await settled(may)).toBe(true);
    }
  });
});
