import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGES_DIR } from "../testing/source-files.js";

/**
 * The frame's controller is the one facade over its parts (`packages/frame/src/state/frame-parts.ts`):
 * a new concern (paging, checks, recovery) belongs in a part with unit tests of its own, not in the
 * facade, where only the browser tests would reach it.
 */
const MAX_LINES = 300;

describe("the frame controller", () => {
  it(`stays a facade: under ${MAX_LINES} lines`, () => {
    const file = path.join(PACKAGES_DIR, "frame", "src", "state", "frame-controller.ts");
    const lines = readFileSync(file, "utf8").trimEnd().split("\n").length;
    expect(lines).toBeLessThan(MAX_LINES);
  });
});
