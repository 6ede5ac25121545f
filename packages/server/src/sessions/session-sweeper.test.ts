import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../testing/harness.js";

// An app built without visits (the shared harness has no visit tracker): sessions end themselves.
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

const MINUTE = 60_000;

describe("session sweeper (an app without visits)", () => {
  it("ends sessions whose visitors never came back, and leaves live ones alone", async () => {
    await h.anonymousSession("anon");
    await h.anonymousSession("anon");
    h.advance(20 * MINUTE);
    const live = await h.anonymousSession("anon");
    const ended: string[] = [];
    const off = h.app.sessionEvents.on("ended", ({ reason }) => {
      ended.push(reason);
    });
    h.advance(11 * MINUTE); // the first two are past /anon's 30 minutes of inactivity
    expect(await h.app.sessionSweeper.sweep()).toBe(2);
    expect(ended).toEqual(["timeout", "timeout"]);
    expect(await h.storage.sessions.countActive(h.clock())).toBe(1);
    expect((await h.request("/anon/api/v1/hub", h.bearer(live))).status).toBe(200);
    expect(await h.app.sessionSweeper.sweep()).toBe(0);
    off();
  });

  it("sweeps on its own schedule until stopped", async () => {
    await h.anonymousSession("anon");
    h.advance(31 * MINUTE);
    expect(await h.storage.sessions.listExpired(h.clock(), 10)).not.toHaveLength(0);
    h.app.sessionSweeper.start(10);
    await expect
      .poll(async () => (await h.storage.sessions.listExpired(h.clock(), 10)).length, { timeout: 5000 })
      .toBe(0);
    await h.app.sessionSweeper.stop();
  });
});
