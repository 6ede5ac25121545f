// Test support (not built): the shared harness's config, storage, keys and clock, with an app that has a
// real VisitTracker over the same SQLite file.
import { createApp } from "../app.js";
import type { SessionGate } from "../sessions/session-gate.js";
import { VisitTracker } from "../visits/visit-tracker.js";
import { VisitorAnalyticsData } from "../visits/visitor-analytics.js";
import { FAST_PATHS } from "./fast-paths.js";
import { createHarness, PORTAL, SECRETS } from "./harness.js";

export interface VisitHarnessOptions {
  sessionGates?: SessionGate[];
  windowMs?: number;
  rateLimit?: { capacity: number; refillPerSecond: number };
  /** Serve the built-in Visitor analytics app's data (no other app has data). */
  analytics?: boolean;
  /** `createApp`'s `fastPaths` (default: `FAST_PATHS`). */
  fastPaths?: boolean;
}

export type VisitHarness = Awaited<ReturnType<typeof createVisitHarness>>;

export async function createVisitHarness(yaml?: string, options: VisitHarnessOptions = {}) {
  const h = await createHarness(yaml);
  const tracker = new VisitTracker({
    storage: h.storage,
    config: () => h.configStore.current,
    clock: h.clock,
    logger: h.logger,
    ...(options.windowMs !== undefined ? { windowMs: options.windowMs } : {}),
  });
  const analytics = options.analytics
    ? new VisitorAnalyticsData({ storage: h.storage, clock: h.clock })
    : undefined;
  const app = createApp({
    configStore: h.configStore,
    storage: h.storage,
    keys: h.keys,
    logger: h.logger,
    clock: h.clock,
    visits: tracker,
    ...(analytics ? { appData: analytics } : {}),
    rateLimit: options.rateLimit ?? { capacity: 10_000, refillPerSecond: 10_000 },
    ...(options.sessionGates ? { sessionGates: options.sessionGates } : {}),
    fastPaths: options.fastPaths ?? FAST_PATHS,
  });

  const request = (url: string, init: RequestInit = {}, ip = "203.0.113.7") =>
    app.request(url, init, { incoming: { socket: { remoteAddress: ip } } });

  async function anonymousTicket(prefix: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await request(`${h.api(prefix)}/tickets/anonymous`, {
      method: "POST",
      headers: {
        origin: PORTAL,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return res;
  }

  /** A fresh anonymous session on `prefix`; returns its token. */
  async function anonymousSession(
    prefix = "anon",
    options: { ip?: string; userAgent?: string; ticketBody?: unknown; headers?: Record<string, string> } = {},
  ): Promise<string> {
    const headers = { ...(options.userAgent ? { "user-agent": options.userAgent } : {}), ...options.headers };
    const t = await anonymousTicket(prefix, options.ticketBody, headers);
    if (t.status !== 201) throw new Error(`anonymous ticket: ${t.status} ${await t.text()}`);
    const { ticket } = (await t.json()) as { ticket: string };
    const res = await request(
      `${h.api(prefix)}/sessions`,
      h.json("POST", { ticket }, { origin: PORTAL, ...headers }),
      options.ip,
    );
    if (res.status !== 201) throw new Error(`redeem: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { sessionToken: string }).sessionToken;
  }

  async function userSession(prefix: string, userDirectory: string, userId: string): Promise<string> {
    const t = await request(
      `${h.api(prefix)}/tickets`,
      h.json(
        "POST",
        { userDirectory, userId },
        { authorization: `Bearer portal-backend:${SECRETS.clientSecret}` },
      ),
    );
    if (t.status !== 201) throw new Error(`user ticket: ${t.status} ${await t.text()}`);
    const { ticket } = (await t.json()) as { ticket: string };
    const res = await request(`${h.api(prefix)}/sessions`, h.json("POST", { ticket }, { origin: PORTAL }));
    if (res.status !== 201) throw new Error(`redeem: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { sessionToken: string }).sessionToken;
  }

  const auth = (token: string, extra: Record<string, string> = {}) => ({
    authorization: `Bearer ${token}`,
    ...extra,
  });

  function beacon(
    prefix: string,
    token: string,
    body: unknown,
    ip?: string,
    headers: Record<string, string> = {},
  ) {
    return request(`${h.api(prefix)}/visits/beacon`, h.json("POST", body, auth(token, headers)), ip);
  }

  /** Every event in the log, oldest first, as the admin API returns them. */
  async function events(query = "") {
    const res = await request(`/admin/api/v1/visits?limit=1000${query}`, { headers: h.admin() });
    if (res.status !== 200) throw new Error(`visits: ${res.status} ${await res.text()}`);
    const page = (await res.json()) as { visits: import("@portico/protocol").VisitRecord[] };
    return page.visits.reverse();
  }

  return {
    ...h,
    app,
    tracker,
    analytics,
    request,
    anonymousTicket,
    anonymousSession,
    userSession,
    auth,
    beacon,
    events,
    async close() {
      await tracker.close();
      await h.close();
    },
  };
}
