import { describe, expect, it, vi } from "vitest";
import { withTimeout } from "./with-timeout.js";

describe("withTimeout", () => {
  it("passes the value or the rejection through when the promise settles in time", async () => {
    await expect(withTimeout(Promise.resolve(7), 50, () => new Error("late"))).resolves.toBe(7);
    await expect(withTimeout(Promise.reject(new Error("own")), 50, () => new Error("late"))).rejects.toThrow(
      "own",
    );
  });

  it("rejects with the caller's error once the time is up, and not before", async () => {
    vi.useFakeTimers();
    try {
      const pending = withTimeout(new Promise<never>(() => {}), 1_000, () => new TypeError("too slow"));
      const settled = vi.fn();
      pending.catch(settled);
      await vi.advanceTimersByTimeAsync(999);
      expect(settled).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      await expect(pending).rejects.toThrow(TypeError);
    } finally {
      vi.useRealTimers();
    }
  });
});
