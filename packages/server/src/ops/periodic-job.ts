/**
 * Runs `job` every `intervalMs`, never two runs at once (a tick while one runs is skipped); the timer is
 * unref'd, so it never keeps the process alive. A failing run goes to `onError` and the next tick runs
 * again. `stop()` clears the timer and waits for a run in progress; it is idempotent.
 */
export class PeriodicJob {
  private readonly timer: NodeJS.Timeout;
  private running: Promise<void> | undefined;

  constructor(job: () => Promise<unknown>, intervalMs: number, onError: (error: unknown) => void) {
    this.timer = setInterval(() => {
      this.running ??= job()
        .then(() => undefined, onError)
        .finally(() => {
          this.running = undefined;
        });
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
