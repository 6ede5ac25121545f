/** Warn this long before the inactivity timeout (capped at a fifth of a short timeout). */
export const EXPIRY_WARNING_MS = 60_000;

export interface InactivityTimerOptions {
  timeoutMs: number;
  onExpiring: (expiresAt: Date) => void;
  onExpired: () => void;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * Mirrors the server's inactivity clock: every request the frame makes is activity (`touch()`), so the
 * frame can warn the host shortly before the server would end the session, and notice when it has.
 */
export class InactivityTimer {
  readonly #o: Required<InactivityTimerOptions>;
  #warn: unknown;
  #expire: unknown;
  #stopped = false;

  constructor(options: InactivityTimerOptions) {
    this.#o = {
      now: () => Date.now(),
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      ...options,
    };
  }

  touch(): void {
    if (this.#stopped) return;
    this.#clear();
    const { timeoutMs } = this.#o;
    const warnMs = Math.max(0, timeoutMs - Math.min(EXPIRY_WARNING_MS, timeoutMs / 5));
    const expiresAt = new Date(this.#o.now() + timeoutMs);
    this.#warn = this.#o.setTimer(() => this.#o.onExpiring(expiresAt), warnMs);
    this.#expire = this.#o.setTimer(() => this.#o.onExpired(), timeoutMs);
  }

  stop(): void {
    this.#stopped = true;
    this.#clear();
  }

  #clear(): void {
    if (this.#warn !== undefined) this.#o.clearTimer(this.#warn);
    if (this.#expire !== undefined) this.#o.clearTimer(this.#expire);
    this.#warn = this.#expire = undefined;
  }
}
