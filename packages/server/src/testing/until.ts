// Test support (excluded from the build): waiting for something that happens on its own schedule (a file
// watcher, a poll of the shared change log), with a bound so a test that never sees it fails.

const POLL_MS = 25;
const ATTEMPTS = 200;

/** Resolves once `check()` is true; rejects naming `what` after about 5 s. */
export async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < ATTEMPTS; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`gave up waiting for ${what}`);
}
