import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { NO_ACCESS_PASS_MESSAGE } from "@portico/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseConfigText } from "../config/load-config.js";
import { isPorticoError } from "../errors/portico-error.js";
import { createLogger } from "../ops/create-logger.js";
import { openSqliteStorage } from "../storage/sqlite-storage.js";
import type { SessionRecord, Storage } from "../storage/storage.js";
import { tableRows } from "../storage/testing/table-rows.js";
import { LicenseService } from "./license-service.js";

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

let dir: string;
let storage: Storage;
let now: number;
let logLines: string[];
let seq = 0;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portico-licenses-"));
  storage = await openSqliteStorage(path.join(dir, "portico.db"));
  now = Date.parse("2026-03-10T12:00:00Z");
  logLines = [];
});
afterEach(async () => {
  await storage.close();
  await rm(dir, { recursive: true, force: true });
});

/** A licence service over the real SQLite file, with the given `licenses:` YAML and the test clock. */
function service(licensesYaml: string) {
  const state = parseConfigText(`licenses:\n${licensesYaml}`, path.join(dir, "portico.yaml"));
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  return new LicenseService({
    storage,
    config: () => state,
    clock: () => now,
    uuid: () => `id-${++seq}`,
    logger: createLogger({ level: "debug", destination }),
  });
}

function session(userDirectory = "NONE", userId = `anonymous-${++seq}`): SessionRecord {
  return {
    id: `s-${++seq}`,
    tokenHash: "h",
    proxy: "anon",
    userDirectory,
    userId,
    anonymous: userDirectory === "NONE",
    attributes: {},
    origin: "https://portal.example",
    createdAt: now,
    lastActiveAt: now,
    expiresAt: now + 30 * MINUTE,
    absoluteExpiresAt: now + 480 * MINUTE,
    endedAt: null,
    endReason: null,
  };
}

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected NO_ACCESS_PASS, got success");
}

function expectNoAccessPass(error: unknown) {
  expect(isPorticoError(error) && error.code).toBe("NO_ACCESS_PASS");
  expect((error as Error).message).toBe(NO_ACCESS_PASS_MESSAGE);
}

const CAPACITY = `
  analyzerCapacity: { minutesPerMonth: 600 }
  rules:
    - { name: Anonymous capacity, type: analyzerCapacity, condition: user.IsAnonymous() }
`;

describe("analyzer capacity", () => {
  it("counts 26 active minutes as 5 units: a unit opens at a request and covers the next 6 minutes", async () => {
    const licenses = service(CAPACITY);
    const s = session();
    const start = now;
    expect(await licenses.allocate(s)).toEqual({ type: "analyzerCapacity", rule: "Anonymous capacity" });
    for (let minute = 1; minute <= 26; minute++) {
      now = start + minute * MINUTE;
      await licenses.recheck(s, now);
    }
    // Units opened at minutes 0, 6, 12, 18 and 24.
    const usage = await licenses.usage();
    expect(usage.analyzerCapacity).toMatchObject({
      unitsConsumed: 5,
      usedMinutes: 30,
      remainingMinutes: 570,
    });
  });

  it("opens the next unit exactly at the 6-minute boundary, not a millisecond before", async () => {
    const licenses = service(CAPACITY);
    const s = session();
    const start = now;
    await licenses.allocate(s);
    await licenses.recheck(s, start + 6 * MINUTE - 1);
    expect((await licenses.usage()).analyzerCapacity?.unitsConsumed).toBe(1);
    await licenses.recheck(s, start + 6 * MINUTE);
    expect((await licenses.usage()).analyzerCapacity?.unitsConsumed).toBe(2);
  });

  it("does not charge idle time: two requests two hours apart cost two units", async () => {
    const licenses = service(CAPACITY);
    const s = session();
    await licenses.allocate(s);
    await licenses.recheck(s, now + 2 * MINUTE);
    await licenses.recheck(s, now + 120 * MINUTE);
    await licenses.recheck(s, now + 121 * MINUTE);
    expect((await licenses.usage()).analyzerCapacity?.unitsConsumed).toBe(2);
  });

  it("refuses when less than a unit is left, and the pool resets on the 1st of the month (UTC)", async () => {
    const licenses = service(`
  analyzerCapacity: { minutesPerMonth: 15 }
  rules:
    - { name: Anonymous capacity, type: analyzerCapacity, condition: user.IsAnonymous() }
`);
    now = Date.parse("2026-03-31T23:40:00Z");
    await licenses.allocate(session());
    await licenses.allocate(session());
    // 12 of 15 minutes used: 3 left, less than a 6-minute unit.
    expectNoAccessPass(await refusal(licenses.allocate(session())));
    now = Date.parse("2026-03-31T23:59:59.999Z");
    expectNoAccessPass(await refusal(licenses.allocate(session())));
    now = Date.parse("2026-04-01T00:00:00Z");
    expect(await licenses.allocate(session())).toMatchObject({ type: "analyzerCapacity" });
    const usage = await licenses.usage();
    expect(usage.analyzerCapacity).toMatchObject({
      month: "2026-04",
      unitsConsumed: 1,
      resetsAt: "2026-05-01T00:00:00.000Z",
    });
  });

  it("refuses a request whose unit ran out when the pool is empty, and says so in the log", async () => {
    const licenses = service(`
  analyzerCapacity: { minutesPerMonth: 6 }
  rules:
    - { name: Anonymous capacity, type: analyzerCapacity, condition: user.IsAnonymous() }
`);
    const s = session();
    await licenses.allocate(s);
    await licenses.recheck(s, now + 5 * MINUTE);
    expectNoAccessPass(await refusal(licenses.recheck(s, now + 6 * MINUTE)));
    const log = logLines.join("");
    expect(log).toContain('rule \\"Anonymous capacity\\" (analyzerCapacity): pool exhausted');
    expect((await licenses.usage()).recentDenials).toMatchObject([{ phase: "activity", sessionId: s.id }]);
  });

  it("charges one unit when concurrent requests of one session find its unit expired", async () => {
    const licenses = service(CAPACITY);
    const s = session();
    await licenses.allocate(s);
    const later = now + 7 * MINUTE;
    // Separate service instances: no shared in-memory cache, as on two nodes over one database.
    const other = service(CAPACITY);
    await Promise.all([
      licenses.recheck(s, later),
      other.recheck(s, later),
      licenses.recheck(s, later),
      other.recheck(s, later),
    ]);
    expect((await licenses.usage()).analyzerCapacity?.unitsConsumed).toBe(2);
  });
});

const PASSES = `
  loginAccessPasses: 2
  rules:
    - { name: Portal passes, type: loginAccessPass, condition: user.userDirectory = "PORTAL" }
    - { name: Anonymous passes, type: loginAccessPass, condition: user.IsAnonymous() }
`;

describe("login access passes", () => {
  it("lets an identity's new sessions reuse its pass for 60 minutes", async () => {
    const licenses = service(PASSES);
    expect(await licenses.allocate(session("PORTAL", "bob"))).toEqual({
      type: "loginAccessPass",
      rule: "Portal passes",
    });
    now += 30 * MINUTE;
    await licenses.allocate(session("PORTAL", "bob"));
    // Identities compare case-insensitively, like the hub's users.
    now += 29 * MINUTE;
    await licenses.allocate(session("portal", "BOB"));
    expect((await licenses.usage()).loginAccessPasses).toMatchObject({ used: 1, remaining: 1, inUse: 1 });
  });

  it("consumes a second pass on the first activity after 60 minutes, which new sessions then reuse", async () => {
    const licenses = service(PASSES);
    const start = now;
    const s = session("PORTAL", "bob");
    await licenses.allocate(s);
    await licenses.recheck(s, start + 59 * MINUTE);
    expect((await licenses.usage()).loginAccessPasses?.used).toBe(1);
    now = start + 60 * MINUTE;
    await licenses.recheck(s, now);
    expect((await licenses.usage()).loginAccessPasses).toMatchObject({ used: 2, inUse: 1, inQuarantine: 1 });
    now += 10 * MINUTE;
    await licenses.allocate(session("PORTAL", "bob"));
    expect((await licenses.usage()).loginAccessPasses?.used).toBe(2);
  });

  it("returns a used pass to the pool 28 days after it was consumed", async () => {
    const licenses = service(`
  loginAccessPasses: 1
  rules:
    - { name: Anonymous passes, type: loginAccessPass, condition: user.IsAnonymous() }
`);
    const consumedAt = now;
    await licenses.allocate(session());
    now = consumedAt + 61 * MINUTE;
    expectNoAccessPass(await refusal(licenses.allocate(session())));
    const usage = await licenses.usage();
    expect(usage.loginAccessPasses).toMatchObject({
      used: 1,
      remaining: 0,
      inQuarantine: 1,
      nextReturnAt: new Date(consumedAt + 28 * DAY).toISOString(),
    });
    now = consumedAt + 28 * DAY - 1;
    expectNoAccessPass(await refusal(licenses.allocate(session())));
    now = consumedAt + 28 * DAY;
    expect(await licenses.allocate(session())).toMatchObject({ type: "loginAccessPass" });
    // The returned pass is history: only the new one is still stored.
    const rows = await tableRows(storage, "license_passes");
    expect(rows.map((r) => Number(r.consumed_at))).toEqual([now]);
  });

  it("gives each anonymous session its own pass (a new identity each time) until the pool is empty", async () => {
    const licenses = service(PASSES);
    await licenses.allocate(session());
    await licenses.allocate(session());
    const error = await refusal(licenses.allocate(session()));
    expectNoAccessPass(error);
    expect((error as { details: unknown }).details).toEqual({
      attempts: [
        { source: "rule", name: "Portal passes", type: "loginAccessPass", result: "conditionFalse" },
        { source: "rule", name: "Anonymous passes", type: "loginAccessPass", result: "poolExhausted" },
      ],
    });
  });

  it("never over-allocates under concurrent allocations (100 at once for a pool of 10)", async () => {
    const licenses = service(`
  loginAccessPasses: 10
  rules:
    - { name: Anonymous passes, type: loginAccessPass, condition: user.IsAnonymous() }
`);
    const results = await Promise.allSettled(Array.from({ length: 100 }, () => licenses.allocate(session())));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(10);
    for (const r of results) if (r.status === "rejected") expectNoAccessPass(r.reason);
    expect((await licenses.usage()).loginAccessPasses?.used).toBe(10);
  });
});

describe("allocation order", () => {
  it("uses a named user's own allocation first, and never one for an anonymous user", async () => {
    const licenses = service(`
  loginAccessPasses: 5
  allocations:
    - { userDirectory: PORTAL, userId: alice, type: professional }
  rules:
    - { name: Everyone, type: loginAccessPass, condition: "" }
`);
    expect(await licenses.allocate(session("PORTAL", "Alice"))).toEqual({ type: "professional" });
    expect(await licenses.allocate(session())).toEqual({ type: "loginAccessPass", rule: "Everyone" });
    expect((await licenses.usage()).loginAccessPasses?.used).toBe(1);
  });

  it("falls through to the next rule whose condition holds when a pool is exhausted", async () => {
    const licenses = service(`
  analyzerCapacity: { minutesPerMonth: 6 }
  loginAccessPasses: 5
  rules:
    - { name: Partners, type: loginAccessPass, condition: user.environment.partner = "yes" }
    - { name: Capacity first, type: analyzerCapacity, condition: user.IsAnonymous() }
    - { name: Passes after, type: loginAccessPass, condition: user.IsAnonymous() }
`);
    expect(await licenses.allocate(session())).toEqual({ type: "analyzerCapacity", rule: "Capacity first" });
    expect(await licenses.allocate(session())).toEqual({ type: "loginAccessPass", rule: "Passes after" });
    const explained = await licenses.explain({
      userDirectory: "NONE",
      userId: "anonymous-x",
      anonymous: true,
      attributes: {},
    });
    expect(explained.attempts.map((a) => `${a.name}: ${a.result}`)).toEqual([
      "Partners: conditionFalse",
      "Capacity first: poolExhausted",
      "Passes after: granted",
    ]);
    // explain() consumed nothing.
    expect((await licenses.usage()).loginAccessPasses?.used).toBe(1);
  });

  it("enforces nothing without a licenses section", async () => {
    const state = parseConfigText("{}", path.join(dir, "portico.yaml"));
    const licenses = new LicenseService({
      storage,
      config: () => state,
      clock: () => now,
      uuid: () => "x",
      logger: createLogger({ level: "silent" }),
    });
    expect(await licenses.allocate(session())).toBeUndefined();
    await licenses.recheck(session(), now);
    expect((await licenses.usage()).enforced).toBe(false);
  });
});

describe("licence events", () => {
  it("publishes each allocation made and each refusal; a covered request publishes nothing", async () => {
    const licenses = service(`
  analyzerCapacity: { minutesPerMonth: 6 }
  rules:
    - { name: Anonymous capacity, type: analyzerCapacity, condition: user.IsAnonymous() }
`);
    const heard: string[] = [];
    licenses.events.on("allocated", ({ phase, license, coveredUntil }) => {
      heard.push(`${phase}:${license.type}:${coveredUntil - now}`);
    });
    licenses.events.on("denied", ({ phase, attempts }) => {
      heard.push(`denied:${phase}:${attempts.map((a) => a.result).join(",")}`);
    });
    const s = session();
    await licenses.allocate(s);
    expect(licenses.admitRequest(s, now + MINUTE)).toBeUndefined();
    expectNoAccessPass(await refusal(licenses.allocate(session())));
    expect(heard).toEqual([
      `sessionStart:analyzerCapacity:${6 * MINUTE}`,
      "denied:sessionStart:poolExhausted",
    ]);
  });
});

describe("burn rate", () => {
  const HOUR = 60 * MINUTE;
  const warnings = () => logLines.filter((line) => line.includes("runs dry"));

  it("reports the capacity consumed over the last hour and when the pool runs dry before its reset, warning once", async () => {
    const licenses = service(CAPACITY);
    const start = now;
    for (let i = 0; i < 5; i++) await licenses.allocate(session());
    // 30 minutes an hour with 570 left: dry in 19 hours, long before the pool resets on 1 April.
    expect((await licenses.usage()).analyzerCapacity).toMatchObject({
      burnRatePerHour: 30,
      projectedExhaustion: "2026-03-11T07:00:00.000Z",
      resetsAt: "2026-04-01T00:00:00.000Z",
    });
    // Warned at the first check already: one unit an hour (594 minutes left) runs dry in 99 hours.
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain(
      "licence pool analyzerCapacity runs dry at 2026-03-14T15:00:00.000Z at the current rate (6 minutes per hour over the last hour), before it resets at 2026-04-01T00:00:00.000Z",
    );
    expect(JSON.parse(warnings()[0] as string)).toMatchObject({ level: 40 });

    // Not once per request, nor once per check: once for the period (the month).
    for (let minute = 1; minute <= 30; minute++) {
      now = start + minute * MINUTE;
      await licenses.allocate(session());
    }
    expect(warnings()).toHaveLength(1);

    // An hour without consumption: no rate, nothing runs dry.
    now = start + 31 * MINUTE + HOUR;
    expect((await licenses.usage()).analyzerCapacity).toMatchObject({
      burnRatePerHour: 0,
      projectedExhaustion: null,
    });
  });

  it("a rate that lasts until the reset projects nothing and warns nothing", async () => {
    const licenses = service(`
  analyzerCapacity: { minutesPerMonth: 100000 }
  rules:
    - { name: Anonymous capacity, type: analyzerCapacity, condition: user.IsAnonymous() }
`);
    await licenses.allocate(session());
    expect((await licenses.usage()).analyzerCapacity).toMatchObject({
      burnRatePerHour: 6,
      projectedExhaustion: null,
    });
    expect(warnings()).toEqual([]);
  });

  it("warns again in the next period, and counts only passes consumed (a reused one is free)", async () => {
    const licenses = service(PASSES.replace("loginAccessPasses: 2", "loginAccessPasses: 10"));
    const returning = session("NONE", "anonymous-returning");
    await licenses.allocate(returning);
    await licenses.allocate({ ...returning, id: "s-again" });
    for (let i = 0; i < 3; i++) await licenses.allocate(session());
    // 4 passes an hour with 6 left: dry in 90 minutes, and none returns for 28 days.
    expect((await licenses.usage()).loginAccessPasses).toMatchObject({
      remaining: 6,
      burnRatePerHour: 4,
      projectedExhaustion: "2026-03-10T13:30:00.000Z",
    });
    // Warned at the first check: one pass an hour with 9 left runs dry in 9 hours.
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]).toContain("licence pool loginAccessPass runs dry at 2026-03-10T21:00:00.000Z");
    expect(warnings()[0]).toContain("(1 passes per hour over the last hour), before passes return");

    // The next day is the next period for passes: one more warning, then none that day.
    now += DAY;
    await licenses.allocate(session());
    expect(warnings()).toHaveLength(2);
    now += 2 * MINUTE;
    await licenses.allocate(session());
    expect(warnings()).toHaveLength(2);
  });
});
