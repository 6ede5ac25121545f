import SQLite from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { cachingStatements } from "./statement-cache.js";

describe("cachingStatements", () => {
  let database: SQLite.Database;
  afterEach(() => {
    if (database.open) database.close();
  });

  it("hands back the same prepared statement for the same SQL", () => {
    database = new SQLite(":memory:");
    const cached = cachingStatements(database);
    const a = cached.prepare("select 1 as one");
    expect(cached.prepare("select 1 as one")).toBe(a);
    expect(cached.prepare("select 2 as two")).not.toBe(a);
  });

  it("gives a fresh statement while the cached one is still iterating", () => {
    database = new SQLite(":memory:");
    database.exec("create table t (v integer); insert into t values (1), (2), (3)");
    const cached = cachingStatements(database);
    const first = cached.prepare("select v from t order by v");
    const rows = first.iterate([]);
    expect(rows.next().value).toEqual({ v: 1 });
    const second = cached.prepare("select v from t order by v");
    expect(second).not.toBe(first);
    expect(second.all([])).toEqual([{ v: 1 }, { v: 2 }, { v: 3 }]);
    expect(rows.next().value).toEqual({ v: 2 });
    rows.return?.();
    expect(cached.prepare("select v from t order by v")).toBe(first);
  });

  it("keeps at most `limit` statements, dropping the least recently used", () => {
    database = new SQLite(":memory:");
    const cached = cachingStatements(database, 2);
    const one = cached.prepare("select 1");
    const two = cached.prepare("select 2");
    expect(cached.prepare("select 1")).toBe(one); // now "select 2" is the least recently used
    cached.prepare("select 3");
    expect(cached.prepare("select 1")).toBe(one);
    expect(cached.prepare("select 2")).not.toBe(two);
  });

  it("still sees a column added after the statement was cached", () => {
    database = new SQLite(":memory:");
    database.exec("create table t (a integer); insert into t values (1)");
    const cached = cachingStatements(database);
    expect(cached.prepare("select * from t").all([])).toEqual([{ a: 1 }]);
    database.exec("alter table t add column b integer default 7");
    expect(cached.prepare("select * from t").all([])).toEqual([{ a: 1, b: 7 }]);
  });
});
