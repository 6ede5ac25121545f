import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVisitHarness, type VisitHarness } from "../testing/visit-harness.js";

const CLI = fileURLToPath(new URL("../cli.ts", import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

let h: VisitHarness;
beforeAll(async () => {
  h = await createVisitHarness();
  await h.anonymousSession("anon", { ip: "198.51.100.1" });
  h.advance(86_400_000);
  const token = await h.anonymousSession("anon", { ip: "198.51.100.2" });
  await h.request("/anon/api/v1/apps/spending", { headers: h.auth(token) }, "198.51.100.2");
});
afterAll(async () => h.close());

function portico(args: string[]) {
  const result = spawnSync(process.execPath, ["--conditions=source", "--import", TSX, CLI, ...args], {
    cwd: path.dirname(h.configPath),
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("portico visits export", () => {
  it("writes the filtered log as CSV to stdout", () => {
    const r = portico(["visits", "export", "--config", h.configPath, "--from", "2026-03-03T00:00:00Z"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\r\n");
    expect(lines[0]?.startsWith("id,time,type,")).toBe(true);
    expect(lines.slice(1).map((l) => l.split(",")[2])).toEqual(["sessionStart", "appOpen"]);
    expect(lines.slice(1).every((l) => l.includes(",198.51.100.2,"))).toBe(true);
  });

  it("writes JSON lines, and filters by type", () => {
    const r = portico([
      "visits",
      "export",
      "--config",
      h.configPath,
      "--format",
      "jsonl",
      "--type",
      "sessionStart",
    ]);
    expect(r.code).toBe(0);
    const records = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { ip: string; type: string });
    expect(records.map((v) => [v.type, v.ip])).toEqual([
      ["sessionStart", "198.51.100.1"],
      ["sessionStart", "198.51.100.2"],
    ]);
  });

  it("refuses bad arguments with a clear message and exit 1", () => {
    const bad = portico(["visits", "export", "--config", h.configPath, "--from", "last tuesday"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--from must be an ISO 8601 time or epoch milliseconds");
    expect(portico(["visits", "export", "--format", "xml"]).stderr).toContain(
      "--format must be csv or jsonl",
    );
    expect(portico(["visits", "import"]).code).toBe(1);
  });
});
