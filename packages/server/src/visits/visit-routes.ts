import { ErrorCode, type VisitBeacon } from "@portico/protocol";
import { Hono } from "hono";
import { z } from "zod";
import { AccessControl } from "../access/access-control.js";
import { buildRuleUser } from "../access/rule-user.js";
import type { ConfigState } from "../config/config-state.js";
import type { ConfigStore } from "../config/config-store.js";
import type { AppConfig } from "../config/schema.js";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "../http/app-env.js";
import { parseJson } from "../http/read-json.js";
import { isSecureRequest } from "../http/self-origin.js";
import { sessionAuth } from "../http/session-auth.js";
import type { TokenBucket } from "../http/token-bucket.js";
import type { Metrics } from "../ops/metrics.js";
import type { SessionService } from "../sessions/session-service.js";
import type { SessionRecord } from "../storage/storage.js";
import type { VisitTracker } from "./visit-tracker.js";

const idText = z.string().min(1).max(256);
export const beaconSchema = z.strictObject({
  type: z.enum(["sheetView", "export"]),
  app: idText,
  sheet: idText.optional(),
  object: idText.optional(),
  pageUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
}) satisfies z.ZodType<VisitBeacon>;

/** The keys of the beacon every frame sends; `pageUrl` (a URL to check) is left to the schema. */
const PLAIN_BEACON_KEYS = new Set(["type", "app", "sheet", "object"]);

function isIdText(value: unknown): value is string {
  return typeof value === "string" && value.length >= 1 && value.length <= 256;
}

/**
 * The beacon in `value` when it is of the plain shape every frame sends (`type`, `app`, and `sheet` or
 * `object`, nothing else) and `beaconSchema` accepts it; otherwise undefined, and the schema decides (and
 * words the error). It accepts nothing the schema refuses and returns what the schema would
 * (visit-routes.test.ts checks both on generated bodies). zod took a beacon 4 us of server CPU in the
 * running server: its generic parser goes megamorphic among the many schemas a server parses with.
 */
export function plainBeacon(value: unknown): VisitBeacon | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  if (Object.getPrototypeOf(value) !== Object.prototype) return undefined;
  const fields = value as Record<string, unknown>;
  for (const key of Object.keys(fields)) if (!PLAIN_BEACON_KEYS.has(key)) return undefined;
  const { type, app, sheet, object } = fields;
  if (type !== "sheetView" && type !== "export") return undefined;
  if (!isIdText(app)) return undefined;
  const beacon: VisitBeacon = { type, app };
  if ("sheet" in fields) {
    if (!isIdText(sheet)) return undefined;
    beacon.sheet = sheet;
  }
  if ("object" in fields) {
    if (!isIdText(object)) return undefined;
    beacon.object = object;
  }
  return beacon;
}

/** A beacon's body, parsed: `parseJson(text, beaconSchema)`, the plain shape checked by hand first. */
export function parseBeacon(text: string): VisitBeacon {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return parseJson(text, beaconSchema); // words the error
  }
  return plainBeacon(value) ?? parseJson(text, beaconSchema);
}

export interface VisitRoutesOptions {
  tracker: VisitTracker;
  configStore: ConfigStore;
  sessions: SessionService;
  metrics?: Metrics;
  /** Beacons per session: a burst, then a sustained rate. Keyed by session id alone: beacons' own buckets. */
  bucket?: TokenBucket;
}

/** What a beacon's checks read from its request besides the session and the body. */
export interface BeaconRequest {
  ip: string;
  userAgent: string | undefined;
  /** Reached us over TLS (`isSecureRequest`). */
  secure: boolean;
}

/**
 * The checks and the write of `POST visits/beacon`, in the order the route runs them: the session (by
 * `sessionAuth`), then `admit` (the rate limit), then the body (`parseBeacon`: `beaconSchema`), then
 * `record`. Shared by the hono route and the Node listener that answers the common case without hono
 * (`beacon-listener.ts`), so the two cannot disagree on what a beacon may do.
 */
export class BeaconIngest {
  constructor(private readonly o: VisitRoutesOptions) {}

  /** Per session, not per IP: visitors behind one NAT share an address, and one session must not flood the log. */
  admit(session: SessionRecord): void {
    const allowance = this.o.bucket?.take(session.id);
    if (allowance && !allowance.allowed)
      throw new PorticoError(ErrorCode.RATE_LIMITED, "Too many beacons; retry later", undefined, {
        "Retry-After": String(Math.max(1, Math.ceil(allowance.retryAfterMs / 1000))),
      });
  }

  /**
   * Only apps the session may read, and sheets and objects that exist in them, so the log cannot be
   * filled with made-up names (404 either way). Resolves once the event is committed.
   */
  async record(session: SessionRecord, beacon: VisitBeacon, request: BeaconRequest): Promise<void> {
    const app = readableApp(this.o, session, beacon.app, request);
    if (!app) throw new PorticoError(ErrorCode.APP_NOT_FOUND, "App not found");
    const sheet = beacon.sheet === undefined ? undefined : app.sheets.find((s) => s.id === beacon.sheet);
    if (beacon.sheet !== undefined && !sheet)
      throw new PorticoError(ErrorCode.OBJECT_NOT_FOUND, "No such sheet in the app");
    if (
      beacon.object !== undefined &&
      !(sheet ? [sheet] : app.sheets).some((s) => s.objects.some((obj) => obj.id === beacon.object))
    )
      throw new PorticoError(ErrorCode.OBJECT_NOT_FOUND, "No such object in the app");
    const event = this.o.tracker.sessionEvent(session, beacon.type, {
      ip: request.ip,
      userAgent: request.userAgent ?? null,
    });
    event.app = app.id;
    event.sheet = beacon.sheet ?? null;
    event.object = beacon.object ?? null;
    event.pageUrl = beacon.pageUrl ?? null;
    await this.o.tracker.record(event);
  }
}

/**
 * `POST visits/beacon`: the frame reports a sheet view or an export (see `BeaconIngest`). 204 once the
 * event is committed.
 */
export function visitRoutes(o: VisitRoutesOptions, ingest = new BeaconIngest(o)) {
  const routes = new Hono<AppEnv>();
  routes.post("/visits/beacon", sessionAuth({ sessions: o.sessions, required: true }), async (c) => {
    const session = c.get("session");
    if (!session) throw new PorticoError(ErrorCode.UNAUTHENTICATED, "A session is required");
    ingest.admit(session);
    const beacon = parseBeacon(await c.req.text());
    await ingest.record(session, beacon, {
      ip: c.get("clientIp"),
      userAgent: c.req.header("user-agent"),
      secure: isSecureRequest(c, o.configStore.current),
    });
    return c.body(null, 204);
  });
  return routes;
}

/** One rule decision for a beacon: the app (undefined: not readable) for this request environment. */
interface Decision {
  appId: string;
  ip: string;
  secure: boolean;
  userAgent: string | undefined;
  app: AppConfig | undefined;
}

/**
 * Beacon decisions of one configuration, by session id: a visitor's frame sends many beacons for the same
 * app. Looked up by the session's id (its string hash is computed once per session read) and then by
 * comparing the other inputs, not under one key joined from all of them, which cost every beacon a new
 * string, its hash and a flattening of the user agent.
 */
class Decisions {
  private readonly bySession = new Map<string, Decision[]>();
  private size = 0;

  find(sessionId: string, appId: string, request: BeaconRequest): Decision | undefined {
    const list = this.bySession.get(sessionId);
    if (list === undefined) return undefined;
    for (const d of list)
      if (
        d.appId === appId &&
        d.ip === request.ip &&
        d.secure === request.secure &&
        d.userAgent === request.userAgent
      )
        return d;
    return undefined;
  }

  add(sessionId: string, decision: Decision): void {
    if (this.size >= DECISION_CACHE_LIMIT) {
      this.bySession.clear();
      this.size = 0;
    }
    let list = this.bySession.get(sessionId);
    if (list === undefined) {
      list = [];
      this.bySession.set(sessionId, list);
    }
    list.push(decision);
    this.size++;
  }
}

const decisions = new WeakMap<ConfigState, Decisions>();
/**
 * Decisions held per configuration, over all sessions; the cache starts over past this. Each session
 * beaconing holds one or a few (~0.4 KB each with its user agent): 50,000 is ~20 MB at most, and a
 * cache that starts over sooner than its sessions come back decides nearly every beacon anew (10,000
 * until session 8, against the bench's 25,000 sessions).
 */
const DECISION_CACHE_LIMIT = 50_000;

/**
 * The app when this session may read it, decided by the rules like `GET apps/:id`. The decision depends
 * on the identity, the request environment (IP, user agent, TLS) and the configuration, so it is cached
 * under exactly those; a configuration change starts a new cache, and an ended session never gets here.
 */
function readableApp(o: VisitRoutesOptions, session: SessionRecord, appId: string, request: BeaconRequest) {
  const state = o.configStore.current;
  let cache = decisions.get(state);
  if (!cache) {
    cache = new Decisions();
    decisions.set(state, cache);
  }
  const known = cache.find(session.id, appId, request);
  if (known) return known.app;
  const { ip, userAgent, secure } = request;
  const user = buildRuleUser(session, state, { ip, userAgent, secure, context: "hub" });
  const app = new AccessControl(state, o.metrics).readableApp(user, appId);
  cache.add(session.id, { appId, ip, secure, userAgent, app });
  return app;
}
