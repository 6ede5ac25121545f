// Screenshots of what the browser tests show, for a person to look at: written to PORTICO_SHOTS_DIR when it
// is set, nowhere otherwise (a test run leaves no files behind).
import { mkdirSync } from "node:fs";
import path from "node:path";

/** Saves `target` (a page or a locator) as `<name>.png` in PORTICO_SHOTS_DIR, if that is set. */
export async function screenshot(
  target: { screenshot(options: { path: string }): Promise<unknown> },
  name: string,
): Promise<void> {
  const dir = process.env.PORTICO_SHOTS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await target.screenshot({ path: path.join(dir, `${name}.png`) });
}
