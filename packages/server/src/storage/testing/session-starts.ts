// Test support (not built): session starts as the server makes them (the licence gate, the visit tracker,
// the session service) over a storage under test, and what a failed start may have left behind.
import { randomBytes, randomUUID } from "node:crypto";
import { parseConfigText } from "../../config/load-config.js";
import { capacityMonth } from "../../licenses/license-constants.js";
import { LicenseService } from "../../licenses/license-service.js";
import { createLogger } from "../../ops/create-logger.js";
import { Metrics } from "../../ops/metrics.js";
import type { SessionGate } from "../../sessions/session-gate.js";
import { SessionService } from "../../sessions/session-service.js";
import { generateSigningKey, MemoryKeyRing } from "../../tickets/keys.js";
import { TicketSigner } from "../../tickets/ticket-signer.js";
import { VisitTracker } from "../../visits/visit-tracker.js";
import type { Storage } from "../storage.js";

export const START_ORIGIN = "https://portal.example";
/** Each pool type, as a licence rule for anonymous users. */
export const POOLS = {
  loginAccessPass: "loginAccessPasses: 1000",
  analyzerCapacity: "analyzerCapacity: { minutesPerMonth: 600000 }",
} as const;
export type Pool = keyof typeof POOLS;

export interface StartOptions {
  pool: Pool;
  /** Gates after the licences (a test's fault injection). */
  gates?: SessionGate[];
  /** Token bytes (a test repeats them for a clashing session row). */
  tokenBytes?: (size: number) => Uint8Array;
}

/** A session service whose anonymous starts allocate from `pool` and record `sessionStart`. */
export async function sessionStarts(storage: Storage, options: StartOptions) {
  const config = parseConfigText(
    `server:
  publicUrl: http://127.0.0.1
virtualProxies:
  - prefix: anon
    anonymousAccess: always
    hostAllowList: ["${START_ORIGIN}"]
licenses:
  ${POOLS[options.pool]}
  rules:
    - { name: Anonymous, type: ${options.pool}, condition: user.IsAnonymous() }
`,
    "/tmp/portico.yaml",
  );
  const logger = createLogger({ level: "silent" });
  const licenses = new LicenseService({
    storage,
    config: () => config,
    clock: Date.now,
    uuid: randomUUID,
    logger,
  });
  const visits = new VisitTracker({ storage, config: () => config, logger });
  const sessions = new SessionService({
    storage,
    config: () => config,
    signer: new TicketSigner({
      keys: new MemoryKeyRing([await generateSigningKey(Date.now())], Date.now),
      clock: Date.now,
      uuid: randomUUID,
    }),
    clock: Date.now,
    ids: { uuid: randomUUID, randomBytes: options.tokenBytes ?? ((n) => randomBytes(n)) },
    metrics: new Metrics(),
    gates: [licenses, ...(options.gates ?? [])],
  });
  licenses.follow(sessions.events);
  visits.follow(sessions.events);
  return {
    start: (userAgent = "test") =>
      sessions.createAnonymous("anon", START_ORIGIN, { ip: "203.0.113.9", userAgent }),
    close: () => visits.close(),
  };
}

/** What `startLeftovers` finds when no failed start left anything behind. */
export const NOTHING_LEFT = { orphanPasses: 0, orphanUnits: 0, orphanStarts: 0 } as const;

/** What the storage holds about session starts, and what of it belongs to no session. */
export async function startLeftovers(storage: Storage) {
  const now = Date.now();
  const sessions = await storage.sessions.list({ limit: 100_000 });
  const ids = new Set(sessions.map((s) => s.id));
  const users = new Set(sessions.map((s) => `${s.userDirectory}\\${s.userId}`));
  const passes = await storage.licences.listPasses(now, 100_000);
  const units = (await storage.licences.capacityUsage(capacityMonth(now))).units;
  const starts = await storage.visits.listAfter({ type: "sessionStart" }, 0, 100_000);
  const allocations = await Promise.all(sessions.map((s) => storage.licences.findAllocation(s.id)));
  return {
    sessions: sessions.length,
    /** Passes consumed for an identity that has no session. */
    orphanPasses: passes.filter((p) => !users.has(`${p.userDirectory}\\${p.userId}`)).length,
    /** Capacity units beyond those the existing sessions hold. */
    orphanUnits: units - allocations.reduce((sum, a) => sum + (a?.units ?? 0), 0),
    /** `sessionStart` events of sessions that do not exist. */
    orphanStarts: starts.filter((e) => e.sessionId === null || !ids.has(e.sessionId)).length,
  };
}
