import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type RequestListener, type Server } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { ErrorCode } from "@portico/protocol";
import { Hono } from "hono";
import { RegExpRouter } from "hono/router/reg-exp-router";
import { SmartRouter } from "hono/router/smart-router";
import { TrieRouter } from "hono/router/trie-router";
import type { Logger } from "pino";
import { adminAuth } from "./admin/admin-auth.js";
import { adminRoutes } from "./admin/admin-routes.js";
import type { AppDataProvider } from "./api/app-data-provider.js";
import { hubRoutes } from "./api/hub-routes.js";
import { sessionRoutes } from "./api/session-routes.js";
import { ticketRoutes } from "./api/ticket-routes.js";
import type { ConfigStore } from "./config/config-store.js";
import { consoleOrAdminAuth } from "./console/console-auth.js";
import { consoleRoutes, consoleSessionRoutes } from "./console/console-routes.js";
import { ConsoleSessions } from "./console/console-sessions.js";
import { CredentialVerifier } from "./crypto/credential-verifier.js";
import { AppQueries } from "./data/app-queries.js";
import { dataAdminRoutes } from "./data/data-admin-routes.js";
import { dataRoutes } from "./data/data-routes.js";
import { QueryPool } from "./data/query-pool.js";
import { doctorRoutes } from "./doctor/doctor-routes.js";
import { apiHeaders } from "./http/api-headers.js";
import type { AppEnv } from "./http/app-env.js";
import { bodySizeLimit } from "./http/body-size-limit.js";
import { CachedRouter } from "./http/cached-router.js";
import { clientIp } from "./http/client-ip.js";
import { CredentialFailures } from "./http/credential-failures.js";
import { embedConfigRoutes } from "./http/embed-config-route.js";
import { createErrorHandler } from "./http/error-handler.js";
import { loadShedding } from "./http/load-shedding.js";
import { originCheck } from "./http/origin-check.js";
import { requestLog } from "./http/request-log.js";
import { resolveProxy } from "./http/resolve-proxy.js";
import { TokenBucket } from "./http/token-bucket.js";
import { licenseRoutes } from "./licenses/license-routes.js";
import { LicenseService } from "./licenses/license-service.js";
import { Metrics } from "./ops/metrics.js";
import { opsRoutes } from "./ops/ops-routes.js";
import { assetRoutes, type FrameFiles, pageRoutes } from "./pages/page-routes.js";
import { type SdkFiles, sdkRoutes } from "./sdk/sdk-routes.js";
import { AnonymousBudget } from "./sessions/anonymous-budget.js";
import type { SessionEvents } from "./sessions/session-events.js";
import type { SessionGate } from "./sessions/session-gate.js";
import { type Ids, SessionService } from "./sessions/session-service.js";
import { SessionSweeper } from "./sessions/session-sweeper.js";
import type { Storage } from "./storage/storage.js";
import { type KeyRing, MemoryKeyRing } from "./tickets/keys.js";
import { TicketSigner } from "./tickets/ticket-signer.js";
import { appOpenTracking } from "./visits/app-open-tracking.js";
import { BeaconIngest } from "./visits/beacon-ingest.js";
import { beaconListener } from "./visits/beacon-listener.js";
import { OriginRefusals } from "./visits/origin-refusals.js";
import { ruleDenialTracking } from "./visits/rule-denial-tracking.js";
import { visitAdminRoutes } from "./visits/visit-admin-routes.js";
import { visitRoutes } from "./visits/visit-routes.js";
import type { VisitTracker } from "./visits/visit-tracker.js";

/** Requests per client IP on the anonymous ticket and login endpoints: a burst, then a sustained rate. */
export const DEFAULT_RATE_LIMIT = { capacity: 60, refillPerSecond: 10 };
const API_BODY_LIMIT_BYTES = 64 * 1024;
/** Time a client has to send a request's headers, and the whole request (bodies are at most a few MB). */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const ADMIN_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

export interface AppDeps {
  configStore: ConfigStore;
  storage: Storage;
  keys: KeyRing;
  logger: Logger;
  clock?: () => number;
  ids?: Ids;
  rateLimit?: { capacity: number; refillPerSecond: number };
  /** The loaded app data (`AppDataService`); without it app details carry `fields: []` and queries 503. */
  appData?: AppDataProvider;
  /** The frame's built pages and assets (packages/frame/dist); without it the pages answer 503. */
  frameFiles?: FrameFiles;
  /** The SDK's browser build, served at `/sdk/<version>/`; without it those URLs answer 404. */
  sdk?: SdkFiles;
  /** What else admits sessions and their requests, after the licences (tests refuse through one). */
  sessionGates?: SessionGate[];
  metrics?: Metrics;
  /** Licence allocation; made from storage and config when absent. It is the first gate of every session. */
  licenses?: LicenseService;
  /** The visit log; without it nothing is recorded and `visits/beacon` is 404. */
  visits?: VisitTracker;
  /**
   * The HTTP fast path in front of the one normal path (default true): visit beacons answered by a Node
   * listener in front of hono. `startServer`'s `fastPaths` sets this and the SQLite storage's alike;
   * `false` turns them off, so tests can check that both ways answer alike.
   */
  fastPaths?: boolean;
  /** Where queries run; made from `server.queries` of the configuration when absent. */
  queryPool?: QueryPool;
}

export const defaultIds: Ids = { uuid: () => randomUUID(), randomBytes: (n) => randomBytes(n) };

export interface PorticoApp extends Hono<AppEnv> {
  /**
   * The app's Node request listener in front of hono's (`fallback`: `getRequestListener(app.fetch)`):
   * with `fastPaths`, visit beacons are answered without hono (`visits/beacon-listener.ts`), everything
   * else by `fallback`. `createPorticoServer` wires it; `app.fetch` alone answers beacons through hono.
   */
  nodeListener(fallback: RequestListener): RequestListener;
  /** Ends the sessions that expired while their visitors were away; `node.ts` runs it on a timer. */
  readonly sessionSweeper: SessionSweeper;
  /** What sessions publish about their lives (`started`, `ended`, `denied`). */
  readonly sessionEvents: SessionEvents;
  /** The worker threads of the data engine; `close()` them when the server stops. */
  readonly queryPool: QueryPool;
}

/** The Portico server as a hono app. Only `node.ts` and the CLI open sockets and files around it. */
export function createApp(input: AppDeps): PorticoApp {
  const clock = input.clock ?? Date.now;
  const ids = input.ids ?? defaultIds;
  const licenses =
    input.licenses ??
    new LicenseService({
      storage: input.storage,
      config: () => input.configStore.current,
      clock,
      uuid: ids.uuid,
      logger: input.logger,
    });
  const deps = { ...input, licenses };
  const metrics = deps.metrics ?? new Metrics();
  const fastPaths = deps.fastPaths ?? true;
  const { configStore, storage, logger, visits } = deps;
  const signer = new TicketSigner({ keys: deps.keys, clock, uuid: ids.uuid });
  const anonymousBudget = new AnonymousBudget({ config: () => configStore.current, clock, metrics, logger });
  const sessions = new SessionService({
    storage,
    config: () => configStore.current,
    signer,
    clock,
    ids,
    metrics,
    // The anonymous budgets, then the licences: a start over budget consumes no unit and no pass, and a
    // refused allocation stops a session before any other gate or subscriber.
    gates: [anonymousBudget, licenses, ...(deps.sessionGates ?? [])],
    onLeft: (deadline) => sessionSweeper.sweepAt(deadline),
  });
  anonymousBudget.follow(sessions.events);
  licenses.follow(sessions.events);
  visits?.followLicences(licenses.events);
  visits?.follow(sessions.events);
  const sessionSweeper = new SessionSweeper({ storage, sessions, clock, logger });
  const bucket = new TokenBucket({ ...(deps.rateLimit ?? DEFAULT_RATE_LIMIT), clock });
  const credentials = new CredentialVerifier();
  // Each credential kind has its own budget: guesses at ticket clients never lock the operators out.
  const adminFailures = new CredentialFailures({ configStore, clock });
  const credentialFailures = new CredentialFailures({ configStore, clock });
  const requireAdmin = adminAuth({ configStore, credentials, failures: adminFailures });
  const frameFiles: FrameFiles = deps.frameFiles ?? (async () => undefined);
  const consoleSessions = new ConsoleSessions({
    config: () => configStore.current,
    clock,
    ids,
    store: storage.consoleSessions,
  });

  // Sub-apps' routes are copied into this one on mounting: its router is the only one that matches.
  const app = new Hono<AppEnv>({
    router: new CachedRouter(new SmartRouter({ routers: [new RegExpRouter(), new TrieRouter()] })),
  });
  app.onError(createErrorHandler(logger, metrics));
  app.notFound((c) => c.json({ error: { code: ErrorCode.NOT_FOUND, message: "Not found" } }, 404));
  app.use("*", async (c, next) => {
    const { trustProxy, forwardedHeader } = configStore.current.config.server;
    c.set("clientIp", clientIp(c, trustProxy, forwardedHeader));
    await next();
  });
  app.use("*", requestLog({ logger, clock }));

  app.route(
    "/",
    opsRoutes({
      configStore,
      storage,
      metrics,
      keys: deps.keys,
      clock,
      requireAdmin,
      gauges: () => queryGauges(queryPool),
    }),
  );
  // Every admin route is behind this one check (the key, or a console session with its rights), whatever
  // module adds it.
  const admin = new Hono<AppEnv>();
  admin.use("*", apiHeaders());
  admin.use("*", bodySizeLimit({ maxBytes: ADMIN_BODY_LIMIT_BYTES }));
  admin.use("*", consoleOrAdminAuth({ adminAuth: requireAdmin, sessions: consoleSessions, configStore }));
  admin.route("/", consoleSessionRoutes({ configStore, sessions: consoleSessions }));
  admin.route(
    "/",
    adminRoutes({
      configStore,
      storage,
      sessions,
      metrics,
      keys: deps.keys instanceof MemoryKeyRing ? deps.keys : undefined,
      clock,
    }),
  );
  admin.route("/", dataAdminRoutes({ appData: deps.appData, configStore }));
  if (visits) admin.route("/", visitAdminRoutes({ storage }));
  admin.route("/", licenseRoutes({ licenses: deps.licenses }));
  admin.route("/", doctorRoutes({ configStore, licenses: deps.licenses, uuid: ids.uuid }));
  app.route("/admin/api/v1", admin);
  app.route("/", sdkRoutes({ sdk: deps.sdk }));
  app.route("/", assetRoutes({ files: frameFiles }));

  // Everything under a virtual proxy: mounted at the root for the default proxy and under `/:prefix`
  // for the others. The proxy is looked up per request in the current configuration.
  const proxied = new Hono<AppEnv>();
  proxied.use("*", resolveProxy({ configStore }));
  const api = new Hono<AppEnv>();
  // Before every route and the body limit (a 413 is an API answer too), beacons included (the Node
  // listener in front of hono sets the same headers and takes only bearer beacons, which need no origin
  // check).
  api.use("*", apiHeaders());
  api.use("*", bodySizeLimit({ maxBytes: API_BODY_LIMIT_BYTES }));
  const queryPool =
    deps.queryPool ??
    new QueryPool({
      workers: configStore.current.config.server.queries.workers,
      limits: () => configStore.current.config.server.queries,
      metrics,
      logger,
      clock,
    });
  const queries = new AppQueries({ metrics, appData: deps.appData, pool: queryPool });
  let nodeListener = (fallback: RequestListener) => fallback;
  api.use("*", originCheck({ configStore }));
  if (visits) {
    api.use("/apps/:id/objects/:objectId/*", ruleDenialTracking({ tracker: visits }));
    api.use("/apps/:id", appOpenTracking({ tracker: visits }));
    // Its own buckets, keyed by session: a flood of beacons cannot crowd out the per-IP buckets of logins.
    const beaconBucket = new TokenBucket({ ...(deps.rateLimit ?? DEFAULT_RATE_LIMIT), clock });
    const ingest = new BeaconIngest({ tracker: visits, sessions, metrics, bucket: beaconBucket });
    api.route("/", visitRoutes({ configStore, ingest }));
    if (fastPaths) {
      const fast = { ingest, configStore, logger, metrics, clock, maxBodyBytes: API_BODY_LIMIT_BYTES };
      nodeListener = (fallback) => beaconListener(fast, fallback);
    }
  }
  api.route(
    "/",
    ticketRoutes({
      configStore,
      signer,
      metrics,
      bucket,
      credentials,
      credentialFailures,
      sessions,
      clock,
      originRefusals:
        visits &&
        new OriginRefusals(visits, clock, (error) =>
          logger.warn({ err: error }, "originRefused not recorded"),
        ),
    }),
  );
  api.route(
    "/",
    sessionRoutes({ configStore, sessions, bucket, metrics, appData: deps.appData, queries, visits }),
  );
  api.route("/", hubRoutes({ configStore, sessions, metrics, appData: deps.appData }));
  api.route("/", dataRoutes({ configStore, sessions, queries }));
  api.route("/", embedConfigRoutes());
  proxied.route("/api/v1", api);
  proxied.route("/", pageRoutes({ files: frameFiles }));
  proxied.route("/", consoleRoutes({ configStore, sessions: consoleSessions, files: frameFiles, bucket }));
  proxied.route("/", assetRoutes({ files: frameFiles }));
  app.route("/", proxied);
  app.route("/:prefix{[a-z0-9._~-]+}", proxied);

  // In front of everything, the beacons' fast path included: past the node's limit a request costs almost nothing.
  const inner = nodeListener;
  const shedding = (fallback: RequestListener) =>
    loadShedding(
      {
        limit: () => configStore.current.config.server.maxRequestsInProgress,
        onShed: () => metrics.inc("portico_requests_shed_total"),
      },
      inner(fallback),
    );
  return Object.assign(app, {
    nodeListener: shedding,
    sessionSweeper,
    sessionEvents: sessions.events,
    queryPool,
  });
}

/**
 * An HTTP server (not yet listening) for the app: hono's Node adapter behind `app.nodeListener`. `hostname`
 * stands in for a request without a `Host` header, as in `serve()` of @hono/node-server.
 */
export function createPorticoServer(app: PorticoApp, hostname?: string): Server {
  return createServer(
    // A request counts against `server.maxRequestsInProgress` from its headers on: one that trickles its
    // headers or body in is cut off after these, so slow clients cannot hold the node's slots for long.
    { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    app.nodeListener(getRequestListener(app.fetch, hostname ? { hostname } : {})),
  );
}

function queryGauges(pool: QueryPool) {
  const { running, queued } = pool.stats();
  return {
    portico_queries_running: { help: "Data queries running in the query workers", value: running },
    portico_queries_queued: { help: "Data queries waiting for a query worker", value: queued },
  };
}
