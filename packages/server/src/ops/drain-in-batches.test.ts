import { describe, expect, it } from "vitest";
import { drainInBatches } from "./drain-in-batches.js";

/** A backlog of `items` handled `size` at a time, recording each batch and each turn of the event loop. */
function backlog(items: number, size: number, order: string[]) {
  let left = items;
  return async () => {
    const handled = Math.min(size, left);
    left -= handled;
    order.push(`batch ${handled}`);
    return handled;
  };
}

describe("drainInBatches", () => {
  it("runs batches until one comes back short, letting the event loop turn between them", async () => {
    const order: string[] = [];
    const drained = drainInBatches(backlog(25, 10, order), 10).then((n) => order.push(`done ${n}`));
    setImmediate(() => order.push("immediate"));
    await drained;
    expect(order.at(-1)).toBe("done 25");
    // Callbacks queued while the backlog drains run before it is done, between two batches.
    expect(order.indexOf("immediate")).toBeGreaterThan(order.indexOf("batch 10"));
    expect(order.indexOf("immediate")).toBeLessThan(order.indexOf("batch 5"));
    expect(order.filter((step) => step.startsWith("batch"))).toEqual(["batch 10", "batch 10", "batch 5"]);
  });

  it("stops after the batch in progress when asked, and ends on an exactly full last batch", async () => {
    const order: string[] = [];
    let stopped = false;
    const batch = backlog(100, 10, order);
    const total = await drainInBatches(
      async () => {
        const handled = await batch();
        if (order.length === 3) stopped = true;
        return handled;
      },
      10,
      () => stopped,
    );
    expect(total).toBe(30);
    expect(await drainInBatches(backlog(20, 10, []), 10)).toBe(20);
  });
});
