import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { describeStorageContract } from "../testing/storage-contract.js";
import type { KyselyStorage } from "./kysely-storage.js";
import { openSqliteStorage } from "./sqlite-storage.js";

const dir = mkdtempSync(path.join(tmpdir(), "portico-storage-"));
const file = path.join(dir, "data", "portico.db");

describeStorageContract(
  "SQLite",
  () => openSqliteStorage(file),
  async () => rmSync(dir, { recursive: true, force: true }),
);

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
      await expect(storage.insertRows("used_tickets", ["jti", "expires_at"], [["raw-1", 1]])).rejects.toThrow(
        "inside another transaction",
      );
      await sql`rollback`.execute(storage.db);
      await storage.insertRows("used_tickets", ["jti", "expires_at"], [["raw-2", 1]]);
      const rows = await storage.db.selectFrom("used_tickets").select("jti").execute();
      expect(rows.map((r) => r.jti)).toEqual(["raw-2"]);
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
      const read = storage.findSessionByTokenHash("hash-x").finally(() => {
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
      await storage.insertRows(
        "used_tickets",
        ["jti", "expires_at"],
        [
          ["a", 1],
          ["b", 2],
          ["c", 3],
        ],
      );
      const seen: string[] = [];
      let written = false;
      let insert: Promise<void> | undefined;
      for await (const row of storage.db.selectFrom("used_tickets").select("jti").orderBy("jti").stream()) {
        seen.push(row.jti);
        if (!insert)
          insert = storage.insertRows("used_tickets", ["jti", "expires_at"], [["d", 4]]).then(() => {
            written = true;
          });
        await new Promise((r) => setTimeout(r, 5));
        expect(written).toBe(false);
      }
      await insert;
      expect(seen).toEqual(["a", "b", "c"]);
      const rows = await storage.db.selectFrom("used_tickets").select("jti").orderBy("jti").execute();
      expect(rows.map((r) => r.jti)).toEqual(["a", "b", "c", "d"]);
    });
  });
});
