import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parseAst } from "rolldown/parseAst";
import { describe, expect, it } from "vitest";
import { withoutDebugLog } from "../penpal-without-debug-log.js";

// The installed penpal, as the build reads it (the ESM file its `import` export points at).
const penpalPath = createRequire(import.meta.url)
  .resolve("penpal")
  .replace(/penpal\.cjs$/, "penpal.mjs");
const penpal = readFileSync(penpalPath, "utf8");

describe("penpalWithoutDebugLog", () => {
  it("marks every log?.() statement of the installed penpal dead, and nothing else", () => {
    const out = withoutDebugLog(penpal);
    const calls = penpal.match(/^\s*log\?\.\(/gm) ?? [];
    // penpal 7 logs its handshake and calls: if this drops to 0, penpal changed and the step does nothing.
    expect(calls.length).toBeGreaterThanOrEqual(10);
    expect(out.match(/^\s*void 0 && log\?\.\(/gm)).toHaveLength(calls.length);
    expect(out.match(/^\s*log\?\.\(/gm)).toBeNull();
    // Private `#log` calls (WindowMessenger, not bundled) and everything else are left as they are.
    expect(out.replace(/void 0 && /g, "")).toBe(penpal);
    expect(() => parseAst(out)).not.toThrow();
  });

  it("leaves code that only looks alike untouched", () => {
    const source = "this.#log?.(`x`);\nconst catalog = 1;\n  mylog?.(`y`);\n";
    expect(withoutDebugLog(source)).toBe(source);
  });
});
