// Test support (excluded from the build): a real app over a real SQLite file in a fresh temp dir, with
// an injected clock, captured logs, and helpers for the ticket -> session flow.
import { createApp } from "../app.js";
import { hashSecret } from "../crypto/secret-hash.js";
import { AppDataService } from "../data/app-data-service.js";
import type { FrameFiles } from "../pages/page-routes.js";
import type { SessionGate } from "../sessions/session-gate.js";
import { FAST_PATHS } from "./fast-paths.js";
import { openServerParts } from "./server-parts.js";

export const PORTAL = "http://localhost:5173";
export const OTHER_PORTAL = "https://other.example";
export const EVIL = "https://evil.example";
export const SELF = "http://portico.test";

export const SECRETS = {
  alicePassword: "alice-correct-horse",
  clientSecret: "portal-backend-s3cret-value",
  adminKey: "ops-admin-key-0123456789",
};

/** The `{"error": {code, message}}` body of an error answer. */
export async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  return ((await res.json()) as { error: { code: string; message: string } }).error;
}

let hashes: Promise<{ alice: string; client: string; admin: string }> | undefined;
export function secretHashes() {
  hashes ??= (async () => ({
    alice: await hashSecret(SECRETS.alicePassword),
    client: await hashSecret(SECRETS.clientSecret),
    admin: await hashSecret(SECRETS.adminKey),
  }))();
  return hashes;
}

/** The classic set-up: default proxy `none`, `/anon` `always`, `/partner` `allow`. */
export async function classicConfig(extra = ""): Promise<string> {
  const h = await secretHashes();
  return `
server:
  port: 0
  publicUrl: ${SELF}
storage: sqlite:./data/portico.db
admin:
  apiKeys:
    - name: ops
      keyHash: "${h.admin}"
virtualProxies:
  - prefix: ""
    anonymousAccess: none
    hostAllowList: []
  - prefix: anon
    anonymousAccess: always
    sessionInactivityMinutes: 30
    sessionMaxLifetimeMinutes: 120
    hostAllowList: ["${PORTAL}", "${OTHER_PORTAL}"]
  - prefix: partner
    anonymousAccess: allow
    hostAllowList: ["${PORTAL}"]
userDirectories:
  - name: PORTAL
    type: local
    users:
      - userId: alice
        name: Alice Example
        passwordHash: "${h.alice}"
        groups: [partners]
        roles: []
      - userId: root
        name: Root
        roles: [RootAdmin]
ticketClients:
  - name: portal-backend
    keyHash: "${h.client}"
    userDirectories: [PORTAL]
streams:
  - id: everyone
    name: Everyone
  - id: budget
    name: City budget
  - id: internal
    name: Internal
apps:
  - id: spending
    name: City spending
    stream: budget
    sheets:
      - id: overview
        title: Overview
        objects:
          - id: total
            type: kpi
            measures: ["Sum(Amount)"]
            position: { col: 0, row: 0, width: 6, height: 3 }
  - id: salaries
    name: Salaries
    stream: internal
securityRules:
  - name: Stream
    resourceFilter: App*
    actions: [read]
    condition: (resource.resourcetype = "App" and resource.stream.HasPrivilege("read")) or (resource.resourcetype = "App.Object" and resource.published = "true" and resource.app.stream.HasPrivilege("read"))
    context: both
  - name: Anonymous read budget stream
    resourceFilter: Stream_budget
    actions: [read]
    condition: user.IsAnonymous()
    context: hub
  - name: Logged-in read budget and internal
    resourceFilter: Stream_budget, Stream_internal
    actions: [read, publish]
    condition: "!user.IsAnonymous()"
    context: both
${extra}`;
}

export interface HarnessOptions {
  rateLimit?: { capacity: number; refillPerSecond: number };
  frameFiles?: FrameFiles;
  /** Attach the data engine: every app's tables load before the app is created, as in `serve`. */
  appData?: boolean;
  /** Gates admitting sessions and requests after the licences (e.g. one that counts authentications). */
  sessionGates?: SessionGate[];
  /** `createApp`'s `fastPaths`; `PORTICO_FAST_PATHS=0` turns them off for a whole run. */
  fastPaths?: boolean;
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;

export async function createHarness(yaml?: string, options: HarnessOptions = {}) {
  let now = Date.parse("2026-03-02T09:00:00Z");
  const clock = () => now;
  const parts = await openServerParts(yaml ?? (await classicConfig()), {
    clock,
    logLevel: "debug",
    tempPrefix: "portico-server-",
  });
  const { dir, configPath, configStore, storage, keys, logger, logLines } = parts;
  const appData = options.appData ? new AppDataService({ logger, clock }) : undefined;
  await appData?.attach(configStore);
  const app = createApp({
    configStore,
    storage,
    keys,
    logger,
    clock,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    ...(options.frameFiles ? { frameFiles: options.frameFiles } : {}),
    ...(appData ? { appData } : {}),
    ...(options.sessionGates ? { sessionGates: options.sessionGates } : {}),
    fastPaths: options.fastPaths ?? FAST_PATHS,
  });

  /** A request as if from `ip` (the socket peer). */
  const request = (url: string, init: RequestInit = {}, ip = "203.0.113.7") =>
    app.request(url, init, { incoming: { socket: { remoteAddress: ip } } });

  const json = (method: string, body: unknown, headers: Record<string, string> = {}): RequestInit => ({
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

  const api = (prefix: string) => (prefix === "" ? "/api/v1" : `/${prefix}/api/v1`);

  /** The server's own origin, as its pages send it: `server.publicUrl`, else the requests' own host. */
  const ownOrigin = () => {
    const publicUrl = configStore.current.config.server.publicUrl;
    return publicUrl ? new URL(publicUrl).origin : "http://localhost";
  };

  /** `POST sessions/login` as Portico's own login form sends it: JSON, from the server's own origin. */
  function login(prefix: string, body: unknown, headers: Record<string, string> = {}, ip?: string) {
    return request(
      `${api(prefix)}/sessions/login`,
      json("POST", body, { origin: ownOrigin(), ...headers }),
      ip,
    );
  }

  async function anonymousTicket(prefix: string, origin: string = PORTAL): Promise<string> {
    const res = await request(`${api(prefix)}/tickets/anonymous`, { method: "POST", headers: { origin } });
    if (res.status !== 201) throw new Error(`anonymous ticket: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { ticket: string }).ticket;
  }

  function redeem(prefix: string, ticket: string, origin: string = PORTAL) {
    return request(`${api(prefix)}/sessions`, json("POST", { ticket }, { origin }));
  }

  async function anonymousSession(prefix: string, origin: string = PORTAL): Promise<string> {
    const res = await redeem(prefix, await anonymousTicket(prefix, origin), origin);
    if (res.status !== 201) throw new Error(`redeem: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { sessionToken: string }).sessionToken;
  }

  async function userTicket(
    prefix: string,
    userDirectory: string,
    userId: string,
    attributes?: Record<string, string>,
  ) {
    const res = await request(
      `${api(prefix)}/tickets`,
      json(
        "POST",
        { userDirectory, userId, ...(attributes ? { attributes } : {}) },
        { authorization: `Bearer portal-backend:${SECRETS.clientSecret}` },
      ),
    );
    if (res.status !== 201) throw new Error(`user ticket: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { ticket: string }).ticket;
  }

  const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
  const admin = (extra: Record<string, string> = {}) => ({
    authorization: `Bearer ops:${SECRETS.adminKey}`,
    ...extra,
  });

  return {
    dir,
    configPath,
    app,
    configStore,
    storage,
    keys,
    logger,
    logLines,
    appData,
    clock,
    advance(ms: number) {
      now += ms;
    },
    request,
    json,
    api,
    ownOrigin,
    login,
    anonymousTicket,
    redeem,
    anonymousSession,
    userTicket,
    bearer,
    admin,
    async close() {
      await app.queryPool.close();
      await parts.close();
    },
  };
}
