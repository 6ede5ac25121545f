import { spawnSync } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const MANIFEST = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  bin: Record<string, string>;
};

describe("npx portico", { timeout: 60_000 }, () => {
  it("is the package's launcher, kept in the repository (a clean clone has no dist/)", () => {
    expect(MANIFEST.bin.portico).toBe("./bin/portico.js");
    expect(realpathSync(`${ROOT}node_modules/.bin/portico`)).toBe(
      fileURLToPath(new URL("../bin/portico.js", import.meta.url)),
    );
  });

  it("answers --help from the repository root", () => {
    const r = spawnSync("npx", ["--no-install", "portico", "--help"], { cwd: ROOT, encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^portico <command>/);
    expect(r.stdout).toContain("init (--csv FILE | --sqlite FILE --table T)");
  });
});
