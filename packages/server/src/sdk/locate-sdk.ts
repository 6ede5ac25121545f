import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** The browser build of `@portico/embed` that the server hands to pages at `/sdk/<version>/`. */
export interface SdkBuild {
  /** The package's `dist/` (define.js, element.js, index.js and their chunks). */
  dir: string;
  version: string;
}

const SDK_PACKAGE = "@portico/embed";

/**
 * Finds the installed `@portico/embed` (a dependency of the server, so it sits in a `node_modules` above
 * `from`). Looked up as a folder rather than through its `exports`: the "source" condition of a checkout
 * would point at TypeScript, and what is served is the built `dist/` (in a checkout, `npm run build`
 * writes it; until then its files answer 404). Undefined when the package is not installed.
 */
export function locateSdk(from: string): SdkBuild | undefined {
  const require = createRequire(from);
  for (const modules of require.resolve.paths(SDK_PACKAGE) ?? []) {
    const root = path.join(modules, SDK_PACKAGE);
    const manifest = path.join(root, "package.json");
    if (!existsSync(manifest)) continue;
    const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version?: unknown };
    return typeof version === "string" ? { dir: path.join(root, "dist"), version } : undefined;
  }
  return undefined;
}

/** The URL of `define.js` on a server, as a page's `<script type="module" src>`. */
export function sdkDefineUrl(serverUrl: string, version: string): string {
  return `${serverUrl.replace(/\/$/, "")}/sdk/${version}/define.js`;
}
