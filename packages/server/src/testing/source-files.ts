// Test support (excluded from the build) for the source-tree rules (import cycles, the storage
// boundary): the TypeScript files of every package's `src`.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's `packages` directory. */
export const PACKAGES_DIR = fileURLToPath(new URL("../../../", import.meta.url));

export interface SourceFile {
  /** Absolute path. */
  file: string;
  text: string;
}

/**
 * The absolute paths of the files under `dir` whose name `accept` takes, never looking into
 * `node_modules` nor into a folder `skipFolder` names.
 */
export function filesUnder(
  dir: string,
  accept: (name: string) => boolean,
  skipFolder: (name: string) => boolean = () => false,
): string[] {
  const files: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && !skipFolder(entry.name)) walk(full);
      } else if (accept(entry.name)) files.push(full);
    }
  };
  walk(dir);
  return files;
}

/** Every `.ts` file under `packages/<name>/src`, generated parsers and declaration files included. */
export function sourceFiles(): SourceFile[] {
  const files: SourceFile[] = [];
  for (const pkg of readdirSync(PACKAGES_DIR, { withFileTypes: true }))
    if (pkg.isDirectory()) {
      const src = path.join(PACKAGES_DIR, pkg.name, "src");
      try {
        for (const file of filesUnder(src, (name) => name.endsWith(".ts")))
          files.push({ file, text: readFileSync(file, "utf8") });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      }
    }
  return files;
}

/** Code without its comments, so that an `import` quoted in a comment is not taken for one. */
export function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
}

/**
 * The module specifiers a file imports or re-exports statically: `import … from`, `import type … from`,
 * `export … from`, and bare `import "…"`.
 */
export function importSpecifiers(text: string): string[] {
  const code = withoutComments(text);
  const found: string[] = [];
  for (const match of code.matchAll(/\b(?:import|export)\b[^;'"]*?\bfrom\s*["']([^"']+)["']/g))
    found.push(match[1] as string);
  for (const match of code.matchAll(/\bimport\s*["']([^"']+)["']/g)) found.push(match[1] as string);
  return found;
}
