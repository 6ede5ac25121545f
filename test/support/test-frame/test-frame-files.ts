// Serves the protocol test frame through the real server's `frameFiles` seam (same origin, real CSP).
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { FrameFiles } from "@portico/server";

/** The frame's protocol version (see main.ts): this one, 1.0, a newer minor, none, another major, or a hostile one. */
export type TestFrameVariant = "current" | "v1.0" | "v1.2" | "v0" | "v2" | "hostile";

export function testFrameFiles(dir: string, variant: TestFrameVariant = "current"): FrameFiles {
  const html = `<!doctype html><html lang="en" data-variant="${variant}"><head><meta charset="utf-8"><title>Portico test frame</title>
<script type="module" src="/assets/test-frame.js"></script></head><body><pre id="state"></pre></body></html>`;
  return async (relative) => {
    if (relative === "embed.html") return new TextEncoder().encode(html);
    if (relative === "assets/test-frame.js") {
      try {
        return await readFile(path.join(dir, "test-frame.js"));
      } catch {
        return undefined;
      }
    }
    return undefined;
  };
}
