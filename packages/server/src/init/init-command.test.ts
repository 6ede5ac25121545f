import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// The `portico` command as `npx portico` runs it in a checkout: the package's bin, through its launcher.
const BIN = fileURLToPath(new URL("../../bin/portico.js", import.meta.url));
let dir: string;

function portico(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    input: "",
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, PORTICO_CONFIG: "", ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const SALES_CSV = [
  "Date,Region,Product,Amount,Quantity,OrderId",
  "2024-01-03,North,Apples,120.5,3,1001",
  "2024-02-10,South,Pears,80,2,1002",
  "2024-03-15,East,Apples,200,5,1003",
  "2024-03-20,North,Plums,55.25,1,1004",
].join("\n");

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portico-init-"));
  await writeFile(path.join(dir, "sales.csv"), `${SALES_CSV}\n`);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe("portico init", { timeout: 120_000 }, () => {
  it("--csv writes a config that `check` accepts and `doctor` passes, and prints the snippet", () => {
    const init = portico(["init", "--csv", "sales.csv", "--origin", "http://localhost:5173"]);
    expect(init.stderr).toBe("");
    expect(init.code).toBe(0);
    expect(init.stdout).toContain("npx portico serve --config portico.yaml");
    expect(init.stdout).toMatch(
      /<script type="module" src="http:\/\/127\.0\.0\.1:4000\/sdk\/\d+\.\d+\.\d+[^/]*\/define\.js"><\/script>/,
    );
    expect(init.stdout).toContain(
      '<portico-embed server="http://127.0.0.1:4000" proxy="anon" app="sales" sheet="overview" auto-resize></portico-embed>',
    );
    const check = portico(["check"]);
    expect(check.code, check.stderr).toBe(0);
    const doctor = portico(["doctor", "--proxy", "anon", "--app", "sales"]);
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
    expect(doctor.stdout).toContain("Result: PASS");
  });

  it("never overwrites a file without --force", async () => {
    const file = path.join(dir, "portico.yaml");
    await writeFile(file, "# mine\n");
    const again = portico(["init", "--csv", "sales.csv"]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("pass --force to overwrite it");
    expect(await readFile(file, "utf8")).toBe("# mine\n");
    expect(portico(["init", "--csv", "sales.csv", "--force"]).code).toBe(0);
    expect(await readFile(file, "utf8")).toContain('hostAllowList: ["http://localhost:8080"]');
  });

  it("--sqlite --table copies the table beside the config; PORTICO_CONFIG names the file for every command", async () => {
    const db = new Database(path.join(dir, "shop.db"));
    db.exec("CREATE TABLE orders (day TEXT, region TEXT, total REAL)");
    const insert = db.prepare("INSERT INTO orders VALUES (?, ?, ?)");
    for (const [day, region, total] of [
      ["2024-05-01", "North", 10],
      ["2024-05-02", "South", 20.5],
      ["2024-05-03", "North", null],
    ])
      insert.run(day, region, total);
    db.close();
    const env = { PORTICO_CONFIG: "shop/portico.yaml" };
    const init = portico(["init", "--sqlite", "shop.db", "--table", "orders"], env);
    expect(init.code, init.stderr).toBe(0);
    expect(await readFile(path.join(dir, "shop", "orders.csv"), "utf8")).toBe(
      "day,region,total\r\n2024-05-01,North,10\r\n2024-05-02,South,20.5\r\n2024-05-03,North,\r\n",
    );
    expect(portico(["check"], env).stdout).toContain("shop/portico.yaml: OK");
    expect(portico(["doctor", "--proxy", "anon", "--app", "orders"], env).code).toBe(0);
    const missing = portico(["init", "--sqlite", "shop.db", "--table", "nope", "--config", "x/p.yaml"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('has no table "nope" (it has orders)');
  });

  it("data outside the config's folder becomes the data directory (table sources must lie inside it)", () => {
    const r = portico([
      "init",
      "--csv",
      "sales.csv",
      "--config",
      "elsewhere/portico.yaml",
      "--app",
      "outside",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(portico(["check", "--config", "elsewhere/portico.yaml"]).code).toBe(0);
    expect(
      portico(["doctor", "--proxy", "anon", "--app", "outside", "--config", "elsewhere/portico.yaml"]).code,
    ).toBe(0);
  });

  it("asks nothing without a terminal: a missing source is a usage error", () => {
    const r = portico(["init", "--config", "other.yaml"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("give exactly one of --csv FILE or --sqlite FILE --table T");
    expect(existsSync(path.join(dir, "other.yaml"))).toBe(false);
    expect(
      portico(["init", "--csv", "sales.csv", "--origin", "http://x.test/page", "--config", "o.yaml"]).code,
    ).toBe(1);
  });

  const hasScript = spawnSync("sh", ["-c", "command -v script"]).status === 0;
  it.skipIf(!hasScript)(
    "asks for the data file and the origin on a terminal (answers typed ahead included)",
    async () => {
      // util-linux `script` gives the command a pseudo-terminal; both answers arrive before the first prompt.
      const r = spawnSync(
        "script",
        ["-qec", `${process.execPath} ${BIN} init --config asked.yaml`, "/dev/null"],
        {
          cwd: dir,
          input: "sales.csv\rhttp://localhost:9997\r",
          encoding: "utf8",
          timeout: 60_000,
          env: { ...process.env, PORTICO_CONFIG: "" },
        },
      );
      expect(r.stdout).toContain("Data file (a .csv, or a SQLite database): ");
      expect(r.stdout).toContain(
        "Origin of the page that will embed the dashboard [http://localhost:8080]: ",
      );
      expect(await readFile(path.join(dir, "asked.yaml"), "utf8")).toContain(
        'hostAllowList: ["http://localhost:9997"]',
      );
    },
  );
});
