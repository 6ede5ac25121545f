import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { INIT_USAGE } from "./init/init-command.js";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const MANIFEST = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  bin: Record<string, string>;
};

/** `npx portico ...` typed at the repository root, as the docs tell people to. */
function npxPortico(args: string[], env: Record<string, string> = {}) {
  return spawnSync("npx", ["--no-install", "portico", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    input: "",
    timeout: 60_000,
    env: { ...process.env, PORTICO_CONFIG: "", ...env },
  });
}

describe("npx portico", { timeout: 120_000 }, () => {
  it("is the package's launcher, kept in the repository (a clean clone has no dist/)", () => {
    expect(MANIFEST.bin.portico).toBe("./bin/portico.js");
    expect(realpathSync(`${ROOT}node_modules/.bin/portico`)).toBe(
      fileURLToPath(new URL("../bin/portico.js", import.meta.url)),
    );
  });

  it("answers --help from the repository root", () => {
    const r = npxPortico(["--help"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^portico <command>/);
    expect(r.stdout).toContain("init (--csv FILE | --sqlite FILE --table T)");
    // The overview names every option init takes, as its own usage does.
    const initLine = r.stdout.split("\n").find((l) => l.trim().startsWith("init ")) ?? "";
    for (const [option] of INIT_USAGE.matchAll(/--[a-z]+/g)) expect(initLine).toContain(option);
  });

  const dir = mkdtempSync(path.join(tmpdir(), "portico-npx-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("runs init, check, doctor, audit and visits export from the repository root", () => {
    const csv = path.join(dir, "loans.csv");
    writeFileSync(csv, "Day,Branch,Loans\n2024-01-03,Central,12\n2024-01-04,Riverside,7\n");
    const config = path.join(dir, "portico.yaml");
    const init = npxPortico([
      "init",
      "--csv",
      csv,
      "--origin",
      "https://library.example",
      "--config",
      config,
    ]);
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toContain('app="loans"');

    const check = npxPortico(["check", "--config", config]);
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toContain(`${config}: OK`);
    // PORTICO_CONFIG names the file when --config is absent.
    expect(npxPortico(["check"], { PORTICO_CONFIG: config }).stdout).toContain(`${config}: OK`);

    const doctor = npxPortico(["doctor", "--proxy", "anon", "--app", "loans", "--config", config]);
    expect(doctor.status, doctor.stdout + doctor.stderr).toBe(0);
    expect(doctor.stdout).toContain("Result: PASS");

    const audit = npxPortico(
      ["audit", "--user", "NONE\\anonymous", "--resource", "App_loans", "--action", "read"],
      { PORTICO_CONFIG: config },
    );
    expect(audit.status, audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/^ALLOWED: NONE\\anonymous read App_loans/);

    const visits = npxPortico(["visits", "export", "--config", config]);
    expect(visits.status, visits.stderr).toBe(0);
    expect(visits.stdout.split("\n")[0]).toMatch(/^id,time,type,proxy,/);
  });
});
