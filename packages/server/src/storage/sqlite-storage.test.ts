import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { KyselyStorage } from "./kysely-storage.js";
import { openSqliteStorage } from "./sqlite-storage.js";
import type { SessionRecord } from "./storage.js";

let dir: string;
let nodeA: KyselyStorage;
let nodeB: KyselyStorage;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portico-storage-"));
  const file = path.join(dir, "data", "portico.db");
  nodeA = await openSqliteStorage(file);
  nodeB = await openSqliteStorage(file);
});
afterAll(async () => {
  await nodeA.close();
  await nodeB.close();
  await rm(dir, { recursive: true, force: true });
});

const session = (id: string, overrides: Partial<SessionRecord> = {}): SessionRecord => ({
  id,
  tokenHash: `hash-${id}`,
  proxy: "anon",
  userDirectory: "NONE",
  userId: `anonymous-${id}`,
  anonymous: true,
  attributes: { tier: ["a", "b"] },
  origin: "http://localhost:5173",
  createdAt: 1000,
  lastActiveAt: 1000,
  expiresAt: 5000,
  absoluteExpiresAt: 9000,
  endedAt: null,
  endReason: null,
  ...overrides,
});

describe("SQLite storage", () => {
  it("runs in WAL mode and migrations are idempotent", async () => {
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(nodeA.db);
    expect(mode.rows[0]?.journal_mode).toBe("wal");
    await nodeA.migrate();
    await nodeB.migrate();
  });

  it("a ticket id redeems once, even from two connections (nodes) on the same database", async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? nodeA : nodeB).redeemTicketId("jti-1", 60_000)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await nodeA.redeemTicketId("jti-1", 60_000)).toBe(false);
    expect(await nodeB.redeemTicketId("jti-2", 60_000)).toBe(true);
    expect(await nodeA.purgeUsedTickets(60_001)).toBe(2);
  });

  it("stores sessions by token hash, shares them across nodes, and ends them once", async () => {
    await nodeA.createSession(session("s1"));
    const seen = await nodeB.findSessionByTokenHash("hash-s1");
    expect(seen).toEqual(session("s1"));
    await nodeB.touchSession("s1", 2000, 6000);
    expect(await nodeA.findSession("s1")).toMatchObject({ lastActiveAt: 2000, expiresAt: 6000 });
    await nodeA.addSessionToken("s1", "joined-hash", 2500);
    expect((await nodeB.findSessionByTokenHash("joined-hash"))?.id).toBe("s1");
    expect(await nodeA.countActiveSessions(3000)).toBe(1);
    expect(await nodeA.endSession("s1", 3000, "revoked")).toBe(true);
    expect(await nodeB.endSession("s1", 3001, "logout")).toBe(false);
    expect(await nodeA.findSession("s1")).toMatchObject({ endedAt: 3000, endReason: "revoked" });
    expect(await nodeA.countActiveSessions(3000)).toBe(0);
    expect(await nodeA.listSessions({ activeAt: 3000 })).toEqual([]);
    expect((await nodeA.listSessions({})).map((s) => s.id)).toEqual(["s1"]);
  });

  it("records config changes and signing key metadata", async () => {
    const id = await nodeA.recordConfigChange({
      changedAt: 1,
      section: "securityRules",
      actor: "admin:ops",
      content: "[]",
    });
    expect((await nodeB.listConfigChanges(id - 1)).map((c) => c.section)).toEqual(["securityRules"]);
    await nodeA.saveSigningKey({
      kid: "k1",
      algorithm: "ES256",
      publicJwk: "{}",
      createdAt: 1,
      retiredAt: null,
    });
    await nodeA.retireSigningKey("k1", 5);
    expect(await nodeB.listSigningKeys()).toEqual([
      { kid: "k1", algorithm: "ES256", publicJwk: "{}", createdAt: 1, retiredAt: 5 },
    ]);
  });
});
