import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { createApp, createPorticoServer } from "./app.js";
import { ConfigStore } from "./config/config-store.js";
import { AppDataService } from "./data/app-data-service.js";
import { gracefulClose } from "./graceful-close.js";
import { createLogger } from "./ops/create-logger.js";
import { Metrics } from "./ops/metrics.js";
import { readiness } from "./ops/ops-routes.js";
import { startProbeListener } from "./ops/probe-listener.js";
import { directoryFiles } from "./pages/page-routes.js";
import { locateSdk } from "./sdk/locate-sdk.js";
import { openStorage, redactUrl } from "./storage/open-storage.js";
import { FileKeyRing, publicKeyRecord } from "./tickets/keys.js";
import { VisitTracker } from "./visits/visit-tracker.js";
import { ANALYTICS_APP_ID, VisitorAnalyticsData, withVisitorAnalytics } from "./visits/visitor-analytics.js";

/** How often expired one-time ticket ids are dropped. */
const PURGE_INTERVAL_MS = 60_000;
/** In-flight requests get this long to finish on shutdown before connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

export interface StartOptions {
  configPath: string;
  /** Overrides `server.port` (0: any free port). */
  port?: number;
  host?: string;
  logger?: Logger;
  /** Apply config file edits live (default true). */
  watch?: boolean;
  /** How often to apply other nodes' admin changes from the shared storage, in ms (default 1000; 0: never). */
  followConfigChangesMs?: number;
  /** The built frame (default: the copy packed into this package, else packages/frame/dist beside it). */
  frameDir?: string;
  /**
   * The per-client request budget of the ticket, login and beacon routes (default: the server's own).
   * Tests that drive one node hard from one address lift it, as they lift the anonymous budgets.
   */
  rateLimit?: { capacity: number; refillPerSecond: number };
  /**
   * Portico's fast paths: the one switch over all of them, the SQLite storage's prepared statements
   * (`storage/sqlite-native.ts`) and the visit beacons' Node listener in front of hono
   * (`visits/beacon-listener.ts`). `false` runs every request and query through the one normal path.
   * Default: on, unless the environment has `PORTICO_FAST_PATHS=0` (the operator's switch, and the test
   * suite's second pass).
   */
  fastPaths?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  /** The probe listener's port (`server.probePort`), when there is one. */
  probePort?: number;
  configStore: ConfigStore;
  /** Stops accepting, lets in-flight requests finish, closes storage. Idempotent. */
  close(): Promise<void>;
}

/** Opens config, storage and keys, then listens. The only place (with the CLI) that touches sockets. */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const logger = options.logger ?? createLogger();
  // The built-in Visitor analytics app joins every configuration that turns it on.
  const configStore = await ConfigStore.open(options.configPath, {
    logger,
    extensions: [withVisitorAnalytics],
  });
  const state = configStore.current;
  // Every app's data is loaded before the server listens: a missing source stops the start here with
  // DATA_LOAD_FAILED naming the file, instead of failing visitors later.
  const metrics = new Metrics();
  const appData = new AppDataService({ logger, metrics });
  await appData.attach(configStore);
  const fastPaths = options.fastPaths ?? process.env.PORTICO_FAST_PATHS !== "0";
  const storage = await openStorage(state.storageUrl, {
    ...state.storageSettings,
    fastPaths,
    onConnectionError: (error) =>
      logger.warn(
        { code: (error as { code?: string }).code, message: error.message },
        "database connection lost; the next query reconnects",
      ),
    backgroundCheckpoints: true,
    onCheckpointError: (error) => logger.warn({ err: error }, "SQLite WAL checkpoint"),
  });
  configStore.useStorage(storage);
  const keys = await FileKeyRing.open(path.join(state.dataDir, "keys"), Date.now);
  for (const key of keys.list()) await storage.keys.save(publicKeyRecord(key));

  // Tickets signed by the other nodes on the same storage verify here through their public keys.
  await keys.followPeers(storage.keys);

  const frameDir = options.frameDir ?? defaultFrameDir();
  const sdk = locateSdk(import.meta.url);
  const visits = new VisitTracker({ storage, config: () => configStore.current, logger });
  // The built-in Visitor analytics app answers from the visit log; every other app from the data service.
  const analytics = new VisitorAnalyticsData({
    storage,
    inner: appData,
    logger,
    enabled: () => configStore.current.apps.has(ANALYTICS_APP_ID),
  });
  const app = createApp({
    configStore,
    storage,
    keys,
    logger,
    metrics,
    appData: analytics,
    visits,
    frameFiles: directoryFiles(frameDir),
    ...(sdk ? { sdk: { version: sdk.version, files: directoryFiles(sdk.dir) } } : {}),
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    fastPaths,
  });
  app.sessionSweeper.start();
  visits.startJobs();
  analytics.start();
  if (options.watch !== false) configStore.watch();
  // Several nodes on one PostgreSQL: an admin change on any of them reaches this one within a poll.
  if (options.followConfigChangesMs !== 0)
    await configStore.followChanges(options.followConfigChangesMs ?? 1000);

  const port = options.port ?? state.config.server.port;
  const host = options.host ?? state.config.server.host;
  const server = createPorticoServer(app, host);
  const closeServer = gracefulClose(server);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
    server.listen(port, host);
  });
  const address = server.address() as AddressInfo;
  const probePort = state.config.server.probePort;
  const probes =
    probePort === undefined
      ? undefined
      : await startProbeListener({
          port: probePort,
          host,
          check: () => readiness({ configStore, storage }),
        }).catch(async (error) => {
          await closeServer(0);
          throw error;
        });
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  logger.info(
    {
      url,
      ...(probes ? { probePort: probes.port } : {}),
      storage: redactUrl(state.storageUrl),
      config: state.configPath,
    },
    "portico listening",
  );

  const purge = setInterval(
    () => void storage.tickets.purge(Date.now()).catch(() => undefined),
    PURGE_INTERVAL_MS,
  );
  purge.unref();

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(purge);
      probes?.drain();
      configStore.close();
      appData.close();
      keys.stopFollowingPeers();
      await closeServer(SHUTDOWN_GRACE_MS);
      await probes?.close();
      // Requests still in flight hold acknowledged-to-be events: commit them before the storage goes.
      analytics.stop();
      await app.queryPool.close();
      await app.sessionSweeper.stop();
      await visits.close();
      await storage.close();
      logger.info("portico stopped");
    })();
    return closing;
  };
  return { url, port: address.port, ...(probes ? { probePort: probes.port } : {}), configStore, close };
}

/**
 * The published package carries the built frame in its own `frame/` (copied at `npm pack`); a checkout
 * serves the workspace's `packages/frame/dist`. Both paths are relative to `src/` and `dist/` alike.
 */
function defaultFrameDir(): string {
  const packed = fileURLToPath(new URL("../frame/", import.meta.url));
  return existsSync(packed) ? packed : fileURLToPath(new URL("../../frame/dist/", import.meta.url));
}
