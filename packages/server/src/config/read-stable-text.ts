import { readFile, stat } from "node:fs/promises";

export interface StableReadOptions {
  /** How long the file must stay the same between two reads. */
  intervalMs: number;
  /** Reads to give up after, when it keeps changing (a later change event tries again). */
  attempts: number;
  /** Stops early (the watcher was closed). */
  cancelled?: () => boolean;
}

/**
 * The file's text once two reads `intervalMs` apart agree on size, modification time and content;
 * undefined when it kept changing (or kept missing) for `attempts` reads. Editors save in steps (truncate,
 * then write; or write a temp file, then rename): a read between the steps sees an empty or half-written
 * document, which must never be taken for the operator's new configuration.
 */
export async function readStableText(file: string, options: StableReadOptions): Promise<string | undefined> {
  let previous = await snapshot(file);
  for (let i = 1; i < options.attempts; i++) {
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
    if (options.cancelled?.()) return undefined;
    const next = await snapshot(file);
    if (
      previous !== undefined &&
      next !== undefined &&
      next.text === previous.text &&
      next.size === previous.size &&
      next.mtimeMs === previous.mtimeMs
    )
      return next.text;
    previous = next;
  }
  return undefined;
}

async function snapshot(file: string): Promise<{ text: string; size: number; mtimeMs: number } | undefined> {
  try {
    const { size, mtimeMs } = await stat(file);
    return { text: await readFile(file, "utf8"), size, mtimeMs };
  } catch (error) {
    // Between an editor's unlink and its rename the file is briefly missing.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}
