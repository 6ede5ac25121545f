import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "./database.js";
import { kyselyRowInserter, type RowInserter } from "./row-inserter.js";
import { sqliteFastPaths } from "./sqlite-native.js";

// Both ways a batch is written, on one table of their own: what the visit log's `append` relies on.
const inserters: Record<string, (db: Kysely<Database>, native: SQLite.Database) => RowInserter> = {
  "Kysely (multi-row INSERTs)": (db) => kyselyRowInserter(db, "sqlite"),
  "SQLite native": (db, native) => sqliteFastPaths(db, native).insertRows,
};

describe.each(Object.entries(inserters))("%s row inserter", (_name, make) => {
  const columns = ["jti", "expires_at"];
  const rows = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => [`${prefix}${String(i).padStart(4, "0")}`, 1_000 + i]);
  let db: Kysely<Database>;
  let insert: RowInserter;
  beforeAll(async () => {
    const native = new SQLite(":memory:");
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database: native }) });
    await sql`create table used_tickets (jti text primary key, expires_at bigint not null)`.execute(db);
    insert = make(db, native);
  });
  afterAll(() => db.destroy());
  const committed = async (prefix: string) =>
    (
      await db
        .selectFrom("used_tickets")
        .select("jti")
        .where("jti", "like", `${prefix}%`)
        .orderBy("jti")
        .execute()
    ).map((r) => r.jti);

  it("commits every row of a batch larger than one statement", async () => {
    await insert("used_tickets", columns, rows("big-", 701));
    expect(await committed("big-")).toEqual(rows("big-", 701).map((r) => r[0]));
    await insert("used_tickets", columns, []);
  });

  it("a failing row fails the whole batch: none of its rows commit", async () => {
    const batch = rows("dup-", 10);
    batch.push(["dup-0003", 1]); // primary key conflict after ten good rows
    await expect(insert("used_tickets", columns, batch)).rejects.toThrow();
    expect(await committed("dup-")).toEqual([]);
  });

  it("refuses a row whose width does not match the columns, committing nothing", async () => {
    const batch: unknown[][] = rows("narrow-", 3);
    batch[1] = ["narrow-x"];
    await expect(insert("used_tickets", columns, batch)).rejects.toThrow(TypeError);
    expect(await committed("narrow-")).toEqual([]);
  });
});
