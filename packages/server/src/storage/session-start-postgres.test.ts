import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgres, type TestPostgres } from "../testing/postgres.js";
import type { KyselyStorage } from "./kysely-storage.js";
import { openPostgresStorage } from "./postgres-storage.js";
import { isStorageFailure } from "./storage-failure.js";
import { NOTHING_LEFT, POOLS, type Pool, sessionStarts, startLeftovers } from "./testing/session-starts.js";

// Two nodes on one PostgreSQL cluster: a start that fails anywhere (a clashing row, an event the database
// refuses, the database restarting mid-start) must leave no consumed pass or unit and no `sessionStart`
// event of a session that does not exist.
let pg: TestPostgres;
const nodes: KyselyStorage[] = [];
/** A user agent whose `sessionStart` the database refuses to store (see the trigger below). */
const REFUSED_AGENT = "refused-by-trigger";

beforeAll(async () => {
  pg = await startPostgres();
  for (let i = 0; i < 2; i++) nodes.push(await openPostgresStorage(pg.url));
  await sql
    .raw(
      `create function refuse_start() returns trigger language plpgsql as $$ begin raise exception 'sessionStart refused'; end $$;
       create trigger refuse_start before insert on visits for each row
         when (new.user_agent = '${REFUSED_AGENT}') execute function refuse_start();`,
    )
    .execute(nodes[0]!.db);
}, 60_000);
afterAll(async () => {
  for (const node of nodes.splice(0)) await node.close();
  await pg?.stop();
});

describe.each(Object.keys(POOLS) as Pool[])("PostgreSQL: a session start that fails (%s)", (pool) => {
  it("a session row that clashes with an existing one (same token): its licence and its start roll back", async () => {
    const [a, b] = nodes;
    const bytes = (n: number) => new Uint8Array(n).fill(pool.length);
    const first = await sessionStarts(a!, { pool, tokenBytes: bytes });
    const second = await sessionStarts(b!, { pool, tokenBytes: bytes });
    await first.start();
    await expect(second.start()).rejects.toThrow(/unique/i);
    await first.close();
    await second.close();
    expect(await startLeftovers(a!)).toMatchObject(NOTHING_LEFT);
  });

  it("a sessionStart event that cannot be written: the licence rolls back and no session exists", async () => {
    const starts = await sessionStarts(nodes[0]!, { pool });
    const before = (await startLeftovers(nodes[0]!)).sessions;
    await expect(starts.start(REFUSED_AGENT)).rejects.toThrow(/sessionStart refused/);
    await starts.close();
    expect(await startLeftovers(nodes[0]!)).toEqual({ sessions: before, ...NOTHING_LEFT });
  });
});

describe("PostgreSQL restarting in the middle of session starts on two nodes", () => {
  it("the starts it interrupts fail with a storage failure and leave nothing behind", async () => {
    let admitted = 0;
    // Once a few starts hold their allocations, the database restarts under every start in flight.
    const restartMidStart = {
      admit: async () => {
        if (++admitted === 8) pg.restart();
        return undefined;
      },
      admitRequest: () => undefined,
    };
    const starts = await Promise.all(
      nodes.map((storage) => sessionStarts(storage, { pool: "loginAccessPass", gates: [restartMidStart] })),
    );
    const results = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => starts[i % 2]!.start()));
    const failures = results.flatMap((r) => (r.status === "rejected" ? [r.reason] : []));
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) expect(isStorageFailure(failure)).toBe(true);
    for (const s of starts) await s.close();
    expect(await startLeftovers(nodes[1]!)).toMatchObject(NOTHING_LEFT);
  }, 60_000);
});
