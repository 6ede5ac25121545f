// The real Portico server in-process for end-to-end tests: `createApp` over a real SQLite file in a fresh
// temp dir, listening on 127.0.0.1:0 through @hono/node-server. The clock is adjustable, so inactivity
// expiry is a jump, not a wait.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { serve } from "@hono/node-server";
import {
  ConfigStore,
  createApp,
  createLogger,
  directoryFiles,
  type FrameFiles,
  generateSigningKey,
  hashSecret,
  MemoryKeyRing,
  openSqliteStorage,
  type SessionListener,
} from "@portico/server";

export interface StartPorticoOptions {
  /** The portico.yaml text (see `e2eConfig`). */
  yaml: string;
  /** What `/{P}/embed` serves: a directory (the real frame's dist) or a file function (a test frame). */
  frame: string | FrameFiles;
  /** Licence allocation and visit hooks (the server's `SessionListener` seam). */
  sessionListeners?: SessionListener[];
}

export interface PorticoTestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  storage: Awaited<ReturnType<typeof openSqliteStorage>>;
  configStore: ConfigStore;
  /** Moves the server's clock forward (sessions expire, tickets age); it never goes back. */
  advance(ms: number): void;
  /** The server's current time. */
  now(): number;
  /** Log lines (pino JSON) for diagnosing a failure. */
  logs: string[];
  close(): Promise<void>;
}

export async function startPortico(options: StartPorticoOptions): Promise<PorticoTestServer> {
  const dir = await mkdtemp(path.join(tmpdir(), "portico-e2e-"));
  const configPath = path.join(dir, "portico.yaml");
  await writeFile(configPath, options.yaml);
  let offset = 0;
  const clock = () => Date.now() + offset;
  const logs: string[] = [];
  const logger = createLogger({
    level: "info",
    destination: new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  });
  const configStore = await ConfigStore.open(configPath, { logger, clock });
  const storage = await openSqliteStorage(configStore.current.storageUrl.slice("sqlite:".length));
  configStore.useStorage(storage);
  const keys = new MemoryKeyRing([await generateSigningKey(clock())], clock);
  const frameFiles = typeof options.frame === "string" ? directoryFiles(options.frame) : options.frame;
  const app = createApp({
    configStore,
    storage,
    keys,
    logger,
    clock,
    frameFiles,
    // Tests load many frames from one IP in a burst.
    rateLimit: { capacity: 10_000, refillPerSecond: 10_000 },
    ...(options.sessionListeners ? { sessionListeners: options.sessionListeners } : {}),
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    storage,
    configStore,
    advance(ms) {
      if (ms < 0) throw new Error("the server clock only moves forward");
      offset += ms;
    },
    now: clock,
    logs,
    async close() {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      configStore.close();
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Plaintext credentials of `e2eConfig` (test only). */
export const E2E_SECRETS = { alicePassword: "alice-e2e-password", clientSecret: "e2e-portal-backend-secret" };

/**
 * A configuration for embedding tests: `/anon` (always) and `/partner` (allow) admit `hostOrigins`; `/closed`
 * admits none. One app `spending` with sheets `overview` and `details` in a stream anonymous visitors read.
 * Tables are optional (`dataDir` with `spending.csv`).
 */
export async function e2eConfig(hostOrigins: string[], options: { inactivityMinutes?: number } = {}) {
  const alice = await hashSecret(E2E_SECRETS.alicePassword);
  const client = await hashSecret(E2E_SECRETS.clientSecret);
  const list = JSON.stringify(hostOrigins);
  return `
server:
  port: 0
storage: sqlite:./data/portico.db
virtualProxies:
  - prefix: ""
    anonymousAccess: none
    hostAllowList: []
  - prefix: anon
    anonymousAccess: always
    sessionInactivityMinutes: ${options.inactivityMinutes ?? 30}
    hostAllowList: ${list}
  - prefix: partner
    anonymousAccess: allow
    hostAllowList: ${list}
  - prefix: nopass
    anonymousAccess: always
    hostAllowList: ${list}
userDirectories:
  - name: PORTAL
    type: local
    users:
      - userId: alice
        name: Alice Example
        passwordHash: "${alice}"
ticketClients:
  - name: portal-backend
    keyHash: "${client}"
    userDirectories: [PORTAL]
streams:
  - id: budget
    name: City budget
apps:
  - id: spending
    name: City spending
    stream: budget
    sheets:
      - id: overview
        title: Overview
        objects:
          - id: intro
            type: text
            title: About
            text: City spending at a glance
            position: { col: 0, row: 0, width: 24, height: 2 }
      - id: details
        title: Details
        objects:
          - id: notes
            type: text
            title: Notes
            text: Details
            position: { col: 0, row: 0, width: 24, height: 2 }
securityRules:
  - name: Stream
    resourceFilter: App*
    actions: [read]
    condition: (resource.resourcetype = "App" and resource.stream.HasPrivilege("read")) or (resource.resourcetype = "App.Object" and resource.published = "true" and resource.app.stream.HasPrivilege("read"))
    context: both
  - name: Everyone reads the budget stream
    resourceFilter: Stream_budget
    actions: [read]
    condition: ""
    context: both
`;
}
