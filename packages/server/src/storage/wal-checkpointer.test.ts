import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { FAST_PATHS } from "../testing/fast-paths.js";
import type { KyselyStorage } from "./kysely-storage.js";
import { openSqliteStorage } from "./sqlite-storage.js";
import { describeStorageContract } from "./testing/storage-contract.js";
import { SAFETY_NET_PAGES, WalCheckpointer } from "./wal-checkpointer.js";

const contractDir = mkdtempSync(path.join(tmpdir(), "portico-wal-"));
describeStorageContract(
  "SQLite with background checkpoints",
  () =>
    openSqliteStorage(path.join(contractDir, "portico.db"), {
      backgroundCheckpoints: true,
      fastPaths: FAST_PATHS,
    }),
  async () => rmSync(contractDir, { recursive: true, force: true }),
);

const dirs: string[] = [];
const open: KyselyStorage[] = [];
afterEach(async () => {
  for (const storage of open.splice(0)) await storage.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function storageIn(backgroundCheckpoints: boolean) {
  const dir = mkdtempSync(path.join(tmpdir(), "portico-wal-"));
  dirs.push(dir);
  const file = path.join(dir, "portico.db");
  const storage = await openSqliteStorage(file, { backgroundCheckpoints });
  open.push(storage);
  return { file, storage };
}

/** About 1.6 MB of committed rows: ~400 pages in the WAL, far under any automatic checkpoint's threshold. */
async function writeRows(storage: KyselyStorage): Promise<void> {
  await sql`create table filler (n integer primary key, pad text not null)`.execute(storage.db);
  for (let batch = 0; batch < 20; batch++) {
    const rows = Array.from({ length: 40 }, (_, i) => sql`(${batch * 40 + i}, ${"x".repeat(2000)})`);
    await sql`insert into filler (n, pad) values ${sql.join(rows)}`.execute(storage.db);
  }
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}

describe("WAL checkpoints from a worker thread", () => {
  it("copies committed pages into the database file while the serving connection only commits", async () => {
    const { file, storage } = await storageIn(true);
    const before = statSync(file).size;
    await writeRows(storage);
    // Only a checkpoint writes pages into the database file; the serving connection's own starts at 10,000.
    expect(await until(() => statSync(file).size >= before + 1_500_000, 5000)).toBe(true);
    expect(
      (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(storage.db)).rows[0],
    ).toEqual({ wal_autocheckpoint: SAFETY_NET_PAGES });
  });

  it("without it, the same rows stay in the WAL until SQLite's own threshold (the test's control)", async () => {
    const { file, storage } = await storageIn(false);
    const before = statSync(file).size;
    await writeRows(storage);
    expect(await until(() => statSync(file).size > before, 600)).toBe(false);
  });

  it("ends with the storage: every row is there after reopening, and nothing keeps the process alive", async () => {
    const { file, storage } = await storageIn(true);
    await writeRows(storage);
    await storage.close();
    open.splice(open.indexOf(storage), 1);
    const again = await openSqliteStorage(file);
    open.push(again);
    const count = await sql<{ n: number }>`select count(*) as n from filler`.execute(again.db);
    expect(count.rows[0]?.n).toBe(800);
  });

  it("lets a process whose last work is closing the storage finish that work and exit 0", () => {
    // The worker is unreferenced while it runs; waiting for it to end must hold the process open.
    const dir = mkdtempSync(path.join(tmpdir(), "portico-wal-"));
    dirs.push(dir);
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    const module = new URL("./sqlite-storage.ts", import.meta.url).href;
    const code = `import { openSqliteStorage } from ${JSON.stringify(module)};
const storage = await openSqliteStorage(${JSON.stringify(path.join(dir, "p.db"))}, { backgroundCheckpoints: true });
await storage.close();
console.log("closed");`;
    const result = spawnSync(
      process.execPath,
      ["--conditions=source", "--import", tsx, "--input-type=module", "--eval", code],
      { encoding: "utf8", timeout: 60_000 },
    );
    expect({ status: result.status, stdout: result.stdout.trim() }).toEqual({ status: 0, stdout: "closed" });
  });

  it("reports a worker that cannot open its file, and closes anyway", async () => {
    const errors: Error[] = [];
    const checkpointer = WalCheckpointer.start(path.join(tmpdir(), "portico-no-such-dir", "missing.db"), {
      onError: (error) => errors.push(error),
    });
    expect(await until(() => errors.length > 0, 5000)).toBe(true);
    expect(errors[0]?.message).toMatch(
      /^WAL checkpoint worker stopped: Cannot open database because the directory does not exist/,
    );
    await checkpointer.close();
  });
});
