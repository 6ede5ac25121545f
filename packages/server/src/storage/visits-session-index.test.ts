import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KyselyStorage } from "./kysely-storage.js";
import { openSqliteStorage } from "./sqlite-storage.js";

let dir: string;
let storage: KyselyStorage;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portico-visits-index-"));
  storage = await openSqliteStorage(path.join(dir, "portico.db"));
});
afterAll(async () => {
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

/** SQLite's plan for a query without bound parameters. */
async function plan(query: { sql: string }): Promise<string> {
  const rows = await sql.raw<{ detail: string }>(`explain query plan ${query.sql}`).execute(storage.db);
  return rows.rows.map((r) => r.detail).join("\n");
}

describe("visits session indexes", () => {
  it("indexes only session starts and ends, not every beacon", async () => {
    const indexes = await sql<{ name: string; sql: string | null }>`
      select name, sql from sqlite_master where type = 'index' and tbl_name = 'visits'`.execute(storage.db);
    const byName = new Map(indexes.rows.map((r) => [r.name, r.sql ?? ""]));
    expect(byName.has("visits_session")).toBe(false);
    expect(byName.get("visits_session_start")).toMatch(/where\s+"?type"?\s*=\s*'sessionStart'/i);
    expect(byName.get("visits_session_end")).toMatch(/where\s+"?type"?\s*=\s*'sessionEnd'/i);
  });

  it("a session end finds its start through the partial index", async () => {
    // The query of `KyselyVisits.sessionStart`, with the session id inlined for the plan.
    const query = storage.db
      .selectFrom("visits")
      .select(["ip", "user_agent"])
      .where("session_id", "=", sql.lit("s-1"))
      .where("type", "=", sql.lit("sessionStart"))
      .compile();
    expect(await plan(query)).toContain("USING INDEX visits_session_start");
  });

  it("the summary's joins on starts and ends use the partial indexes", async () => {
    const text = `select g.id from visits g
      left join visits s on s.session_id = g.session_id and s.type = 'sessionStart'
      left join visits e on e.session_id = g.session_id and e.type = 'sessionEnd'`;
    const detail = await plan({ sql: text });
    expect(detail).toContain("visits_session_start");
    expect(detail).toContain("visits_session_end");
  });
});
