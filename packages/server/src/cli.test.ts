import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySecret } from "./crypto/secret-hash.js";

const CLI = fileURLToPath(new URL("./cli.ts", import.meta.url));
// tsx resolved from this package, since the CLI runs with a temp dir as its working directory.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
let dir: string;

function portico(args: string[], input?: string) {
  const result = spawnSync(process.execPath, ["--conditions=source", "--import", TSX, CLI, ...args], {
    cwd: dir,
    input: input ?? "",
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portico-cli-"));
  await writeFile(
    path.join(dir, "bad.yaml"),
    'virtualProxies:\n  - prefix: ""\n  - prefix: Anon\nsecurityRules:\n  - name: bad\n    resourceFilter: Stream_*\n    actions: [read]\n    condition: user.name = "a" ann x\n',
  );
  await writeFile(
    path.join(dir, "portico.yaml"),
    "streams:\n  - id: everyone\n    name: Everyone\n  - id: hidden\n    name: Hidden\napps:\n  - id: a1\n    name: A1\n    stream: everyone\n  - id: a2\n    name: A2\n    stream: hidden\n",
  );
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe("portico CLI", () => {
  it("check: exit 1 with every path-precise problem, rule syntax included", () => {
    const r = portico(["check", "--config", "bad.yaml"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("virtualProxies[1].prefix: must be lowercase a-z0-9-._~");
    expect(r.stderr).toMatch(/securityRules\[0\]\.condition: line 1, column 17: .*\n.*\n {16}\^/);
  });

  it("check: exit 0 on a valid config (default config file name, default rules)", () => {
    const r = portico(["check"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("4 security rules (defaults)");
  });

  it("check: loads rules pasted from the hub and prints what Portico does not model as warnings", async () => {
    await writeFile(
      path.join(dir, "hub.yaml"),
      [
        "streams:\n  - id: hr\n    name: HR\n",
        "securityRules:",
        "  - name: Content library content\n    resourceFilter: ContentLibrary_*\n    actions: [read]",
        '    condition: resource.ContentLibrarys.HasPrivilege("Read")\n    context: both',
        "  - name: Group\n    resourceFilter: Stream_*\n    actions: [read]",
        '    condition: user.group = "HR" and resource.category != "archive"\n    context: hub',
        "",
      ].join("\n"),
    );
    const r = portico(["check", "--config", "hub.yaml"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("2 security rules");
    expect(r.stdout).toContain(
      "warning: securityRules[0].resourceFilter: ContentLibrary_* matches nothing: Portico has no resources of this type (it has Stream, App, App.Object), so the rule never applies",
    );
    expect(r.stdout).toContain(
      'warning: securityRules[1].condition: line 1, column 23: resource.category != "archive" is always true: Portico does not model resource.category',
    );
  });

  it("hash-password reads stdin and prints a verifiable scrypt hash", async () => {
    const r = portico(["hash-password"], "correct horse\n");
    expect(r.code).toBe(0);
    const hash = r.stdout.trim();
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifySecret("correct horse", hash)).toBe(true);
    expect(await verifySecret("wrong horse", hash)).toBe(false);
  });

  it("audit explains a decision; exit 0 when allowed, 2 when denied", () => {
    const allowed = portico([
      "audit",
      "--user",
      "NONE\\anonymous1",
      "--resource",
      "App_a1",
      "--action",
      "read",
    ]);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toMatch(/^ALLOWED: NONE\\anonymous1 read App_a1 \(hub\)/);
    expect(allowed.stdout).toContain("+ Stream");
    const denied = portico(["audit", "--user", "NONE\\anonymous1", "--resource", "App_a2"]);
    expect(denied.code).toBe(2);
    expect(denied.stdout).toMatch(/^DENIED/);
    expect(portico(["audit", "--user", "nobackslash", "--resource", "App_a1"]).code).toBe(1);
  });

  it("unknown commands print usage and exit 1", () => {
    const r = portico(["frobnicate"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("unknown command");
  });
});
