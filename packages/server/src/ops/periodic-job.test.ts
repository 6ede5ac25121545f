import { describe, expect, it } from "vitest";
import { PeriodicJob } from "./periodic-job.js";

describe("PeriodicJob", () => {
  it("runs one at a time, reports failures, keeps going, and stop() waits for the run in progress", async () => {
    let runs = 0;
    let inFlight = 0;
    let overlapped = false;
    const errors: unknown[] = [];
    const job = new PeriodicJob(
      async () => {
        inFlight++;
        overlapped ||= inFlight > 1;
        runs++;
        await new Promise((r) => setTimeout(r, 15));
        inFlight--;
        if (runs === 1) throw new Error("first run fails");
      },
      2,
      (error) => errors.push(error),
    );
    await expect.poll(() => runs, { timeout: 2000 }).toBeGreaterThanOrEqual(3);
    await job.stop();
    expect(inFlight).toBe(0);
    const stoppedAt = runs;
    await new Promise((r) => setTimeout(r, 30));
    expect(runs).toBe(stoppedAt);
    expect(overlapped).toBe(false);
    expect(errors).toHaveLength(1);
    await job.stop();
  });
});
