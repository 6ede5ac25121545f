/** Resolves after the event loop has had a turn: timers, I/O and queued requests run first. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs `batch` (which handles at most `size` items and says how many) until a run handles fewer than
 * `size` (nothing is left) or `stop()` says so, yielding to the event loop between runs: a backlog of any
 * size holds requests up for one batch at a time, never for the whole of it. Returns the items handled.
 */
export async function drainInBatches(
  batch: () => Promise<number>,
  size: number,
  stop: () => boolean = () => false,
): Promise<number> {
  let total = 0;
  for (;;) {
    const handled = await batch();
    total += handled;
    if (handled < size || stop()) return total;
    await yieldToEventLoop();
  }
}
