/**
 * Waits between probes while the server cannot be reached: short at first (a restart takes seconds), then
 * every 15 s. The last step repeats.
 */
export const OUTAGE_PROBE_DELAYS_MS = [1000, 2000, 4000, 8000, 15_000] as const;

export interface OutageWatcherOptions {
  /** One request that resolves when the server answers again (no retries of its own). */
  probe: () => Promise<void>;
  /** Once it answers: the view's queries again (or the whole start, after a failed one). */
  recover: () => Promise<void>;
  /** `offline` changed (the UI shows or hides its "Retry" banner). */
  onChange: () => void;
  /** The one console line of an episode. */
  log?: (message: string) => void;
  delaysMs?: readonly number[];
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * An outage, seen from the frame: the first request that finds the server unreachable starts an episode,
 * which logs one line (not one per request) and probes the server with back-off until it answers, then
 * re-runs the view's queries: the dashboard comes back without the visitor or the host page doing anything.
 * The visitor's "Retry" probes at once.
 */
export class OutageWatcher {
  readonly #o: Required<OutageWatcherOptions>;
  #offline = false;
  #attempt = 0;
  #timer: unknown;
  #probing: Promise<void> | undefined;
  #disposed = false;

  constructor(options: OutageWatcherOptions) {
    this.#o = {
      log: (message) => console.warn(`[portico frame] ${message}`),
      delaysMs: OUTAGE_PROBE_DELAYS_MS,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      ...options,
    };
  }

  /** The server could not be reached, and has not answered since. */
  get offline(): boolean {
    return this.#offline;
  }

  /**
   * A request found the server unreachable. Returns true when this starts an episode (the caller tells the
   * host once), false while one is under way.
   */
  unreachable(): boolean {
    if (this.#offline || this.#disposed) return false;
    this.#offline = true;
    this.#attempt = 0;
    this.#o.log("The Portico server cannot be reached; retrying in the background until it answers.");
    this.#o.onChange();
    this.#schedule();
    return true;
  }

  /** The visitor asked: probe now (and start the back-off over if it still fails). */
  retryNow(): Promise<void> {
    if (!this.#offline) return Promise.resolve();
    this.#attempt = 0;
    return this.#probe();
  }

  /** Stops probing; the watcher must not be used afterwards. */
  dispose(): void {
    this.#disposed = true;
    this.#o.clearTimer(this.#timer);
  }

  #schedule(): void {
    this.#o.clearTimer(this.#timer);
    if (this.#disposed) return;
    const delays = this.#o.delaysMs;
    const ms = delays[Math.min(this.#attempt, delays.length - 1)] ?? 0;
    this.#attempt++;
    this.#timer = this.#o.setTimer(() => void this.#probe(), ms);
  }

  #probe(): Promise<void> {
    this.#o.clearTimer(this.#timer);
    this.#probing ??= this.#o
      .probe()
      .then(
        async () => {
          if (this.#disposed) return;
          this.#offline = false;
          this.#o.onChange();
          // A failure of its own starts a new episode through the normal path (`unreachable`).
          await this.#o.recover().catch(() => undefined);
        },
        () => this.#schedule(),
      )
      .finally(() => {
        this.#probing = undefined;
      });
    return this.#probing;
  }
}
