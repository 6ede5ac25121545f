// The real Portico server in-process for end-to-end tests: `createApp` over a real SQLite file in a fresh
// temp dir, with the visit log, listening on 127.0.0.1:0 as node.ts serves it. The clock is adjustable, so
// inactivity expiry is a jump, not a wait.
import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { GridPosition, SheetObjectDef } from "@portico/protocol";
import {
  AppDataService,
  type ConfigStore,
  createApp,
  directoryFiles,
  type FrameFiles,
  hashSecret,
  type SessionGate,
  VisitorAnalyticsData,
  VisitTracker,
} from "@portico/server";
import { parseDocument } from "yaml";
// The parts (temp dir, config store, SQLite storage, captured log, signing key) the server's own test
// harness starts from: test support of the server package, not its public API.
import { openServerParts, type ServerParts } from "../../packages/server/src/testing/server-parts.js";

export interface StartPorticoOptions {
  /** The portico.yaml text (see `e2eConfig`). */
  yaml: string;
  /** What `/{P}/embed` serves: a directory (the real frame's dist) or a file function (a test frame). */
  frame: string | FrameFiles;
  /** Extra gates that admit sessions and their requests (the server's `SessionGate` seam). */
  sessionGates?: SessionGate[];
  /** Files written next to portico.yaml before the start (e.g. the CSV sources of apps). */
  files?: Record<string, string>;
}

export interface PorticoTestServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  storage: ServerParts["storage"];
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
  let offset = 0;
  const clock = () => Date.now() + offset;
  // The server listens first: its address is its public URL (the configuration's `server.publicUrl`
  // unless the test sets one), and the app answers once it is made from that configuration.
  let listener: RequestListener = (_request, response) => response.writeHead(503).end();
  const server = createServer((request, response) => listener(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
    server.listen(0, "127.0.0.1");
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const parts = await openServerParts(withPublicUrl(options.yaml, url), {
    clock,
    logLevel: "info",
    tempPrefix: "portico-e2e-",
    ...(options.files ? { files: options.files } : {}),
  });
  const { configStore, storage, keys, logger } = parts;
  const appData = new AppDataService({ logger });
  await appData.attach(configStore);
  const frameFiles = typeof options.frame === "string" ? directoryFiles(options.frame) : options.frame;
  // The visit log as node.ts wires it: a session's start, its app open and the frame's beacons are
  // committed on the way, as in production (without it `visits/beacon` is 404).
  const visits = new VisitTracker({ storage, config: () => configStore.current, clock, logger });
  // The built-in Visitor analytics app answers from the visit log, every other app from the data service.
  const analytics = new VisitorAnalyticsData({ storage, inner: appData, clock, logger });
  const app = createApp({
    configStore,
    storage,
    keys,
    logger,
    clock,
    appData: analytics,
    frameFiles,
    visits,
    // Tests load many frames from one IP in a burst.
    rateLimit: { capacity: 10_000, refillPerSecond: 10_000 },
    ...(options.sessionGates ? { sessionGates: options.sessionGates } : {}),
  });
  // As node.ts serves it (`createPorticoServer`): the app's Node listener in front of hono.
  listener = app.nodeListener(getRequestListener(app.fetch));
  return {
    url,
    storage,
    configStore,
    advance(ms) {
      if (ms < 0) throw new Error("the server clock only moves forward");
      offset += ms;
    },
    now: clock,
    logs: parts.logLines,
    async close() {
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.queryPool.close();
      await visits.close();
      await parts.close();
    },
  };
}

/** `yaml` with `server.publicUrl` set to `url` unless it sets one (comments and the rest kept). */
function withPublicUrl(yaml: string, url: string): string {
  const doc = parseDocument(yaml);
  if (!doc.hasIn(["server", "publicUrl"])) doc.setIn(["server", "publicUrl"], url);
  return String(doc);
}

/** Plaintext credentials of `e2eConfig` (test only). */
export const E2E_SECRETS = { alicePassword: "alice-e2e-password", clientSecret: "e2e-portal-backend-secret" };

/**
 * A ticket for `PORTAL\<userId>` from the Ticket API of `proxy`, asked the way a portal's backend does
 * (the `portal-backend` ticket client of `e2eConfig`).
 */
export async function e2eUserTicket(
  server: PorticoTestServer,
  userId: string,
  proxy = "partner",
): Promise<string> {
  const response = await fetch(`${server.url}/${proxy}/api/v1/tickets`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer portal-backend:${E2E_SECRETS.clientSecret}`,
    },
    body: JSON.stringify({ userDirectory: "PORTAL", userId }),
  });
  if (response.status !== 201) throw new Error(`Ticket API: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { ticket: string }).ticket;
}

/** The rows of the `spending` app (Region x Amount): total 750, North 100, South 250, East 400. */
export const SPENDING_CSV = "Region,Amount\nNorth,100\nSouth,250\nEast,400\n";

/** `files` for `startPortico` with `e2eConfig`: the app's data source. */
export const E2E_FILES = { "spending.csv": SPENDING_CSV };

/** The KPI of the `spending` app's total, at `position` on a sheet. */
export const totalKpi = (position: GridPosition): SheetObjectDef => ({
  id: "total",
  type: "kpi",
  title: "Total",
  measures: ["Sum(Amount)"],
  position,
});

/** A filter pane on the `spending` app's Region, at `position` on a sheet. */
export const regionsPane = (position: GridPosition, title?: string): SheetObjectDef => ({
  id: "regions",
  type: "filterpane",
  ...(title ? { title } : {}),
  fields: ["Region"],
  position,
});

/** Sheet `overview` of `e2eConfig`: a text, the KPI of the total, a filter pane on Region. */
export const E2E_OVERVIEW_OBJECTS: SheetObjectDef[] = [
  {
    id: "intro",
    type: "text",
    title: "About",
    text: "City spending at a glance",
    position: { col: 0, row: 0, width: 24, height: 2 },
  },
  totalKpi({ col: 0, row: 2, width: 12, height: 3 }),
  regionsPane({ col: 12, row: 2, width: 12, height: 6 }, "Regions"),
];

/**
 * A configuration for embedding tests (and the frame bench): `/anon` (always), `/partner` (allow) and
 * `/closed` (none) admit `hostOrigins`. One app `spending` over `spending.csv` (`E2E_FILES` unless the
 * caller writes its own) with sheets `overview` (`overviewObjects`, by default `E2E_OVERVIEW_OBJECTS`,
 * written as JSON, which YAML reads) and `details`, in a stream everyone reads. `licenses` is appended as is.
 */
export async function e2eConfig(
  hostOrigins: string[],
  options: { inactivityMinutes?: number; licenses?: string; overviewObjects?: SheetObjectDef[] } = {},
) {
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
  - prefix: closed
    anonymousAccess: none
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
    tables:
      - name: spending
        source: spending.csv
    sheets:
      - id: overview
        title: Overview
        objects: ${JSON.stringify(options.overviewObjects ?? E2E_OVERVIEW_OBJECTS)}
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
${options.licenses ?? ""}`;
}

/** A licence section with no access pass left for anonymous visitors: every anonymous session is refused. */
export const NO_PASSES_LICENSES = `
licenses:
  loginAccessPasses: 0
  rules:
    - name: Anonymous visitors
      type: loginAccessPass
      condition: user.IsAnonymous()
`;
