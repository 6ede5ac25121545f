import { Cron } from "croner";
import { type AppConfig, everyMs } from "../config/schema.js";

type ReloadRule = NonNullable<AppConfig["reload"]>;

/** setTimeout's largest delay; a longer wait is taken in steps. */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * When each app with a `reload` rule reads its data again: `{every}` after each reload, `{cron}` at the
 * expression's next time. One timer per app, re-armed when its rule changes and after each run (a run
 * that outlasts its interval is never overlapped: the next one is counted from its end). Timers do not
 * keep the process alive.
 */
export class ReloadSchedule {
  private readonly run: (appId: string) => Promise<unknown>;
  private readonly armed = new Map<string, { rule: string; timer: NodeJS.Timeout | undefined }>();
  private stopped = false;

  constructor(run: (appId: string) => Promise<unknown>) {
    this.run = run;
  }

  /** Follows the apps of a configuration: new or changed rules are armed, removed ones disarmed. */
  follow(apps: readonly AppConfig[]): void {
    if (this.stopped) return;
    const wanted = new Map(apps.filter((a) => a.reload).map((a) => [a.id, a.reload!]));
    for (const [id, entry] of this.armed) {
      const rule = wanted.get(id);
      if (!rule || JSON.stringify(rule) !== entry.rule) {
        clearTimeout(entry.timer);
        this.armed.delete(id);
      }
    }
    for (const [id, rule] of wanted) if (!this.armed.has(id)) this.arm(id, rule);
  }

  stop(): void {
    this.stopped = true;
    for (const entry of this.armed.values()) clearTimeout(entry.timer);
    this.armed.clear();
  }

  private arm(appId: string, rule: ReloadRule): void {
    const entry = { rule: JSON.stringify(rule), timer: undefined as NodeJS.Timeout | undefined };
    this.armed.set(appId, entry);
    const wait = (ms: number) => {
      entry.timer = setTimeout(
        () => {
          if (this.armed.get(appId) !== entry) return;
          if (ms > MAX_TIMER_MS) return wait(ms - MAX_TIMER_MS);
          void this.run(appId)
            .catch(() => undefined)
            .finally(() => {
              if (this.armed.get(appId) === entry) wait(nextDelayMs(rule, new Date()));
            });
        },
        Math.min(ms, MAX_TIMER_MS),
      );
      entry.timer.unref();
    };
    wait(nextDelayMs(rule, new Date()));
  }
}

/** Milliseconds from `now` to the rule's next reload. */
export function nextDelayMs(rule: ReloadRule, now: Date): number {
  if ("every" in rule) return everyMs(rule.every);
  const cron = new Cron(rule.cron, { paused: true });
  const next = cron.nextRun(now);
  cron.stop();
  // A cron expression with no future time (a date in the past) never fires again.
  return next ? Math.max(0, next.getTime() - now.getTime()) : Number.POSITIVE_INFINITY;
}
