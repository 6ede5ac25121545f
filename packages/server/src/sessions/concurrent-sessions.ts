import type { WindowCheck } from "../http/sliding-window-log.js";

export interface ConcurrentSessionsOptions {
  clock: () => number;
  /** Sessions tracked at most; past it the earliest tracked are forgotten. */
  maxSessions?: number;
}

const ALLOWED: WindowCheck = Object.freeze({ allowed: true });

/**
 * The live sessions of each key (a client address), each with the deadline this node knows for it: its
 * inactivity deadline, moved forward by the activity this node serves. A session leaves when it ends on
 * this node or when its deadline passes, whichever is first. In memory and per node: a session ended or kept
 * active by another node of a cluster frees or holds its slot here only by its deadline. Memory is bounded
 * by `maxSessions`, and every tracked session is one that was really created.
 */
export class ConcurrentSessions {
  private readonly byKey = new Map<string, Map<string, number>>();
  /** Session id -> key, in the order sessions were tracked. */
  private readonly keyOf = new Map<string, string>();
  private readonly o: Required<ConcurrentSessionsOptions>;

  constructor(options: ConcurrentSessionsOptions) {
    this.o = { maxSessions: 200_000, ...options };
  }

  /** Whether `key` holds fewer than `limit` live sessions; else how long until enough deadlines pass. */
  check(key: string, limit: number): WindowCheck {
    const now = this.o.clock();
    const live = this.prune(key, now);
    if (live === undefined || live.size < limit) return ALLOWED;
    const deadlines = [...live.values()].sort((a, b) => a - b);
    const frees = deadlines[live.size - limit] as number;
    return { allowed: false, retryAfterMs: Math.max(1, frees - now) };
  }

  add(key: string, sessionId: string, deadline: number): void {
    if (this.keyOf.size >= this.o.maxSessions) this.evict();
    let live = this.byKey.get(key);
    if (live === undefined) {
      live = new Map();
      this.byKey.set(key, live);
    }
    live.set(sessionId, deadline);
    this.keyOf.set(sessionId, key);
  }

  /** Moves a tracked session's deadline (activity on this node); untracked sessions are ignored. */
  touch(sessionId: string, deadline: number): void {
    const key = this.keyOf.get(sessionId);
    const live = key === undefined ? undefined : this.byKey.get(key);
    if (live?.has(sessionId)) live.set(sessionId, deadline);
  }

  remove(sessionId: string): void {
    const key = this.keyOf.get(sessionId);
    if (key === undefined) return;
    this.keyOf.delete(sessionId);
    const live = this.byKey.get(key);
    live?.delete(sessionId);
    if (live?.size === 0) this.byKey.delete(key);
  }

  /** Sessions tracked (for the memory bound's tests). */
  get size(): number {
    return this.keyOf.size;
  }

  private prune(key: string, now: number): Map<string, number> | undefined {
    const live = this.byKey.get(key);
    if (live === undefined) return undefined;
    for (const [sessionId, deadline] of live) if (deadline <= now) this.remove(sessionId);
    return this.byKey.get(key);
  }

  /** Drops passed deadlines, then the earliest tracked sessions, down to 90% of the bound (amortised). */
  private evict(): void {
    const now = this.o.clock();
    for (const key of [...this.byKey.keys()]) this.prune(key, now);
    const target = Math.floor(this.o.maxSessions * 0.9);
    for (const sessionId of this.keyOf.keys()) {
      if (this.keyOf.size <= target) break;
      this.remove(sessionId);
    }
  }
}
