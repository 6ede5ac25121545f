import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KyselyStorage } from "./kysely-storage.js";
import { openSqliteStorage } from "./sqlite-storage.js";
import { NOTHING_LEFT, type Pool, sessionStarts, startLeftovers } from "./testing/session-starts.js";

const dir = mkdtempSync(path.join(tmpdir(), "portico-start-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A user agent whose `sessionStart` the database refuses to store (see the trigger below). */
const REFUSED_AGENT = "refused-by-trigger";

describe.each([
  ["loginAccessPass", true],
  ["analyzerCapacity", true],
  ["loginAccessPass", false],
  ["analyzerCapacity", false],
] as Array<[Pool, boolean]>)(
  "SQLite: a session start that fails (%s, fast paths %s) leaves nothing behind",
  (pool, fastPaths) => {
    let storage: KyselyStorage;
    beforeAll(async () => {
      storage = await openSqliteStorage(path.join(dir, `${pool}-${fastPaths}.db`), { fastPaths });
      await sql
        .raw(
          `create trigger refuse_start before insert on visits when new.user_agent = '${REFUSED_AGENT}' begin select raise(abort, 'sessionStart refused'); end`,
        )
        .execute(storage.db);
    });
    afterAll(() => storage.close());

    it("a session row that clashes with an existing one (same token): its licence and its start roll back", async () => {
      const starts = await sessionStarts(storage, { pool, tokenBytes: (n) => new Uint8Array(n).fill(7) });
      await starts.start();
      await expect(starts.start()).rejects.toThrow(/UNIQUE/);
      await starts.close();
      expect(await startLeftovers(storage)).toEqual({ sessions: 1, ...NOTHING_LEFT });
    });

    it("a sessionStart event that cannot be written: the licence rolls back and no session exists", async () => {
      const starts = await sessionStarts(storage, { pool });
      await expect(starts.start(REFUSED_AGENT)).rejects.toThrow(/sessionStart refused/);
      await starts.start();
      await starts.close();
      expect(await startLeftovers(storage)).toEqual({ sessions: 2, ...NOTHING_LEFT });
    });

    it("bookkeeping that fails after the commit (the purge of returned passes) neither fails nor undoes the start", async () => {
      const licences = Object.create(storage.licences) as KyselyStorage["licences"];
      licences.purgeReturnedPasses = () => Promise.reject(new Error("purge failed"));
      const failingPurge: KyselyStorage = Object.create(storage, { licences: { value: licences } });
      const starts = await sessionStarts(failingPurge, { pool });
      const before = (await startLeftovers(storage)).sessions;
      await starts.start();
      await starts.close();
      expect(await startLeftovers(storage)).toEqual({ sessions: before + 1, ...NOTHING_LEFT });
    });

    it("a gate after the licence refuses: its allocation rolls back, and the start writes nothing", async () => {
      const refusal = new Error("refused after the licence");
      const starts = await sessionStarts(storage, {
        pool,
        gates: [{ admit: () => Promise.reject(refusal), admitRequest: () => undefined }],
      });
      await expect(starts.start()).rejects.toBe(refusal);
      await starts.close();
      expect(await startLeftovers(storage)).toEqual({ sessions: 3, ...NOTHING_LEFT });
    });
  },
);
