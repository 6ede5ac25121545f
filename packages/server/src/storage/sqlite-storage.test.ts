import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import type { KyselyStorage } from "./kysely-storage.js";
import { openSqliteStorage } from "./sqlite-storage.js";
import { describeStorageContract } from "./testing/storage-contract.js";
import type { VisitRow } from "./visits-repository.js";

const dir = mkdtempSync(path.join(tmpdir(), "portico-storage-"));
const file = path.join(dir, "data", "portico.db");

describeStorageContract(
  "SQLite",
  () => openSqliteStorage(file),
  async () => rmSync(dir, { recursive: true, force: true }),
);

const kyselyOnlyDir = mkdtempSync(path.join(tmpdir(), "portico-storage-"));
describeStorageContract(
  "SQLite without fast paths",
  () => openSqliteStorage(path.join(kyselyOnlyDir, "portico.db"), { fastPaths: false }),
  async () => rmSync(kyselyOnlyDir, { recursive: true, force: true }),
);

/** A visit row told apart by its visitor key. */
function visit(key: string): VisitRow {
  return {
    time: 1,
    type: "sheetView",
    proxy: "p",
    user_directory: "NONE",
    user_id: "u",
    anonymous: 1,
    visitor_key: key,
  };
}

async function visitorKeys(storage: KyselyStorage): Promise<string[]> {
  const rows = await storage.db.selectFrom("visits").select("visitor_key").orderBy("visitor_key").execute();
  return rows.map((r) => r.visitor_key);
}

/** A fresh SQLite storage at `file` in a directory of its own, closed and removed after `use`. */
async function withStorage(file: string, use: (storage: KyselyStorage) => Promise<void>): Promise<void> {
  const other = mkdtempSync(path.join(tmpdir(), "portico-storage-"));
  const storage = await openSqliteStorage(path.join(other, file));
  try {
    await use(storage);
  } finally {
    await storage.close();
    rmSync(other, { recursive: true, force: true });
  }
}

describe("SQLite adapter", () => {
  it("runs in WAL mode with foreign keys on, creating the data directory", async () => {
    await withStorage(path.join("nested", "dir", "p.db"), async (storage) => {
      expect(
        (await sql<{ journal_mode: string }>`pragma journal_mode`.execute(storage.db)).rows[0]?.journal_mode,
      ).toBe("wal");
      expect(
        (await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(storage.db)).rows[0]?.foreign_keys,
      ).toBe(1);
    });
  });

  it("refuses a batch while a transaction begun outside Kysely's API is open, instead of nesting in it", async () => {
    await withStorage("p.db", async (storage) => {
      await sql`begin`.execute(storage.db);
      await expect(storage.visits.append([visit("raw-1")])).rejects.toThrow("inside another transaction");
      await sql`rollback`.execute(storage.db);
      await storage.visits.append([visit("raw-2")]);
      expect(await visitorKeys(storage)).toEqual(["raw-2"]);
    });
  });

  it("reads a session by token only outside another caller's open transaction, never its uncommitted rows", async () => {
    await withStorage("p.db", async (storage) => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let inserted!: () => void;
      const open = new Promise<void>((resolve) => {
        inserted = resolve;
      });
      const transaction = storage.db.transaction().execute(async (trx) => {
        await sql`insert into sessions (token_hash, id, proxy, user_directory, user_id, anonymous, created_at,
          last_active_at, expires_at, absolute_expires_at) values ('hash-x', 'x', 'anon', 'NONE', 'u', 1, 0, 0, 1, 1)`.execute(
          trx,
        );
        inserted();
        await gate;
        throw new Error("rolled back");
      });
      await open;
      let answered = false;
      const read = storage.sessions.findByTokenHash("hash-x").finally(() => {
        answered = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(answered).toBe(false); // waits for the connection, as a read through Kysely would
      release();
      await expect(transaction).rejects.toThrow("rolled back");
      expect(await read).toBeUndefined();
    });
  });

  it("waits with a batch while a query's rows are streamed, then writes it", async () => {
    await withStorage("p.db", async (storage) => {
      await storage.visits.append([visit("a"), visit("b"), visit("c")]);
      const seen: string[] = [];
      let written = false;
      let insert: Promise<void> | undefined;
      const streamed = storage.db.selectFrom("visits").select("visitor_key").orderBy("visitor_key").stream();
      for await (const row of streamed) {
        seen.push(row.visitor_key);
        if (!insert)
          insert = storage.visits.append([visit("d")]).then(() => {
            written = true;
          });
        await new Promise((r) => setTimeout(r, 5));
        expect(written).toBe(false);
      }
      await insert;
      expect(seen).toEqual(["a", "b", "c"]);
      expect(await visitorKeys(storage)).toEqual(["a", "b", "c", "d"]);
    });
  });
});
