import {
  type AppDetail,
  ErrorCode,
  firstQueries,
  MAX_BATCH_QUERIES,
  type PrefetchedResult,
  type QueryOutcome,
  type QueryRequest,
  type SessionResponse,
  type TicketResponse,
} from "@portico/protocol";
import { type Context, Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { z } from "zod";
import { type Requester, requesterOf } from "../access/requester.js";
import { type ConfigState, userKey } from "../config/config-state.js";
import type { ConfigStore } from "../config/config-store.js";
import type { AppQueries } from "../data/app-queries.js";
import { selectionsSchema } from "../data/query-schema.js";
import { PorticoError } from "../errors/portico-error.js";
import type { AppEnv } from "../http/app-env.js";
import { clientNetwork } from "../http/client-network.js";
import { originCheck } from "../http/origin-check.js";
import { proxyCors } from "../http/proxy-cors.js";
import { rateLimit } from "../http/rate-limit.js";
import { parseJson, readJson } from "../http/read-json.js";
import { requestSnapshot } from "../http/request-snapshot.js";
import { isSecureRequest, selfOrigin } from "../http/self-origin.js";
import { sessionAuth } from "../http/session-auth.js";
import type { TokenBucket } from "../http/token-bucket.js";
import type { Metrics } from "../ops/metrics.js";
import { verifyLocalLogin } from "../sessions/local-login.js";
import { sessionCookieName, sessionCookiePath } from "../sessions/session-cookie.js";
import { sessionOrigin } from "../sessions/session-origin.js";
import type { CreatedSession, SessionService } from "../sessions/session-service.js";
import { recordAppOpen } from "../visits/app-open-tracking.js";
import type { VisitTracker } from "../visits/visit-tracker.js";
import type { AppDataProvider } from "./app-data-provider.js";
import { readableAppDetail } from "./readable-app-detail.js";

const redeemSchema = z.strictObject({
  ticket: z.string().min(1).max(8192),
  /** First-party redemption by the frame: the host page origin it pinned (must equal the ticket's binding). */
  origin: z.string().max(2048).optional(),
  /**
   * The app the frame opens next: when the new session may read it, the answer carries it (`app`, as
   * `GET /apps/{id}` would), which saves the frame a round trip on every first load. When it may not (or
   * there is no such app) the answer simply has no `app`, and `GET /apps/{id}` gives the one 404 for both.
   */
  app: z.string().min(1).max(256).optional(),
  /**
   * With `app`, the view the frame shows first: a sheet (the first one it may read when `sheet` is absent)
   * or one object, under `selections`. The answer then carries that view's first query results
   * (`results`), each obtained exactly as `POST /apps/{id}/query` would answer this session, which saves
   * the frame another round trip.
   */
  view: z
    .strictObject({
      sheet: z.string().min(1).max(256).optional(),
      object: z.string().min(1).max(256).optional(),
      selections: selectionsSchema.optional(),
    })
    .optional(),
});

/** `POST sessions/anonymous`: a first-party page's anonymous session, with the app it opens next. */
const anonymousSessionSchema = z.strictObject({ app: redeemSchema.shape.app, view: redeemSchema.shape.view });

/** What a new session asks to see first: the app, and optionally its first view. */
type FirstView = z.infer<typeof anonymousSessionSchema>;

const loginSchema = z.strictObject({
  userDirectory: z.string().min(1).max(128).optional(),
  userId: z.string().min(1).max(256),
  password: z.string().min(1).max(1024),
  /** The embedding page, when our own frame logs the visitor in (it becomes the session's origin). */
  origin: z.string().max(2048).optional(),
});

const joinSchema = z.strictObject({ origin: z.string().max(2048).optional() });

/** `POST sessions/resume` and `sessions/leave`: the page's resume credential. */
const resumeSchema = z.strictObject({
  resume: z.string().min(1).max(4096),
  /** The page resuming, for the visit log when the resume starts a new session (as the ticket request's). */
  pageUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
});

export interface SessionRoutesOptions {
  configStore: ConfigStore;
  sessions: SessionService;
  bucket: TokenBucket;
  metrics: Metrics;
  appData?: AppDataProvider | undefined;
  /** Answers the first view's queries, as the data routes do. */
  queries: AppQueries;
  /** Records the app open of a redemption that carries its app (like `GET /apps/{id}` does). */
  visits?: VisitTracker | undefined;
}

/** Redeem, login, current session, logout, join tickets. */
export function sessionRoutes(o: SessionRoutesOptions) {
  const routes = new Hono<AppEnv>();
  const optionalSession = sessionAuth({ sessions: o.sessions, required: false });
  const requiredSession = sessionAuth({ sessions: o.sessions, required: true });

  routes.use("/sessions", proxyCors());
  routes.post("/sessions", async (c) => {
    const body = await readJson(c, redeemSchema);
    const created = await o.sessions.redeem(body.ticket, {
      proxy: c.get("proxy"),
      requestOrigin: c.req.header("origin"),
      selfOrigin: selfOrigin(c, o.configStore.current),
      embedOrigin: body.origin,
      request: {
        ip: c.get("clientIp"),
        userAgent: c.req.header("user-agent"),
        ...(body.app !== undefined
          ? { view: { app: body.app, sheet: body.view?.sheet, object: body.view?.object } }
          : {}),
      },
    });
    return respondWithSession(c, o, created, 201, await firstViewOf(c, o, created, body));
  });

  // Portico's own pages (the hub, the embed page opened directly) need no ticket to bind an embedding
  // page: the session belongs to this origin. One round trip instead of ticket + redemption. Pages on
  // other origins are refused and must redeem an anonymous ticket, which binds their origin.
  routes.post(
    "/sessions/anonymous",
    rateLimit({ bucket: o.bucket, scope: "anonymous-ticket" }),
    async (c) => {
      const proxy = c.get("proxy");
      if (proxy.anonymousAccess === "none")
        throw new PorticoError(
          ErrorCode.ANONYMOUS_DISABLED,
          "Anonymous access is disabled on this virtual proxy",
        );
      const own = selfOrigin(c, o.configStore.current);
      if (c.req.header("origin") !== own)
        throw new PorticoError(
          ErrorCode.ORIGIN_NOT_ALLOWED,
          "Only Portico's own pages start anonymous sessions directly; an embedding page redeems an anonymous ticket",
        );
      const body = await readJson(c, anonymousSessionSchema, { optional: true });
      const created = await o.sessions.createAnonymous(proxy.prefix, own, {
        ip: c.get("clientIp"),
        userAgent: c.req.header("user-agent"),
      });
      return respondWithSession(c, o, created, 201, await firstViewOf(c, o, created, body));
    },
  );

  routes.post(
    "/sessions/login",
    rateLimit({ bucket: o.bucket, scope: "login", key: clientNetwork }),
    originCheck({ configStore: o.configStore, always: true }),
    optionalSession,
    async (c) => {
      const proxy = c.get("proxy");
      if (proxy.anonymousAccess === "always")
        throw new PorticoError(ErrorCode.LOGIN_DISABLED, "This virtual proxy admits anonymous visitors only");
      const body = await readJson(c, loginSchema);
      const state = o.configStore.current;
      const user = await verifyLocalLogin(state, body);
      const previous = c.get("session");
      if (previous?.anonymous) await o.sessions.end(previous, "switched");
      const created = await o.sessions.create(
        {
          proxy: proxy.prefix,
          userDirectory: user.userDirectory,
          userId: user.userId,
          anonymous: false,
          attributes: {},
          origin: sessionOrigin(
            c.req.header("origin"),
            selfOrigin(c, state),
            body.origin,
            proxy.hostAllowList,
          ),
        },
        { ip: c.get("clientIp"), userAgent: c.req.header("user-agent") },
      );
      return respondWithSession(c, o, created, 201);
    },
  );

  routes.get("/sessions/current", requiredSession, (c) => {
    const session = c.get("session");
    if (!session) throw new PorticoError(ErrorCode.UNAUTHENTICATED, "A session is required");
    return c.json({
      id: session.id,
      user: describeUser(o.configStore.current, session),
      expiresAt: new Date(session.expiresAt).toISOString(),
      absoluteExpiresAt: new Date(session.absoluteExpiresAt).toISOString(),
      inactivityTimeoutMs: o.sessions.inactivityTimeoutMs(session.proxy),
    });
  });

  routes.delete("/sessions/current", requiredSession, async (c) => {
    const session = c.get("session");
    if (session) await o.sessions.end(session, "logout");
    const prefix = c.get("proxy").prefix;
    deleteCookie(c, sessionCookieName(prefix), { path: sessionCookiePath(prefix) });
    return c.body(null, 204);
  });

  // The embedding page itself calls these two (CORS): its Origin is what the credential is bound to.
  routes.use("/sessions/resume", proxyCors());
  routes.post("/sessions/resume", rateLimit({ bucket: o.bucket, scope: "anonymous-ticket" }), async (c) => {
    // A simple request too (text/plain, no preflight): what protects it is the credential and its Origin.
    const body = parseJson(await c.req.text(), resumeSchema);
    const resumed = await o.sessions.resume(
      body.resume,
      c.get("proxy"),
      c.req.header("origin"),
      body.pageUrl,
    );
    c.header("Cache-Control", "no-store");
    return c.json(
      {
        ticket: resumed.ticket.ticket,
        expiresAt: new Date(resumed.ticket.expiresAt).toISOString(),
        resume: resumed.resume,
      } satisfies TicketResponse,
      201,
    );
  });

  // Sent as the page goes away (`fetch` with `keepalive`), so as a simple request: a text/plain body, no
  // preflight. What protects it is the credential and the Origin it must come from, not the media type.
  routes.use("/sessions/leave", proxyCors());
  routes.post("/sessions/leave", rateLimit({ bucket: o.bucket, scope: "anonymous-ticket" }), async (c) => {
    const body = parseJson(await c.req.text(), resumeSchema);
    await o.sessions.leave(body.resume, c.get("proxy"), c.req.header("origin"));
    return c.body(null, 204);
  });

  routes.post("/sessions/join-ticket", requiredSession, async (c) => {
    const session = c.get("session");
    if (!session) throw new PorticoError(ErrorCode.UNAUTHENTICATED, "A session is required");
    const body = await readJson(c, joinSchema, { optional: true });
    // A join ticket stays with the page the session was made for: siblings on that same page only.
    const origin = session.origin ?? body.origin ?? c.req.header("origin");
    if (!origin) throw new PorticoError(ErrorCode.BAD_REQUEST, "No origin to bind the join ticket to");
    if (body.origin !== undefined && body.origin !== origin)
      throw new PorticoError(
        ErrorCode.ORIGIN_NOT_ALLOWED,
        "A join ticket can only be used on the session's own page",
      );
    const issued = await o.sessions.joinTicket(session, origin);
    return c.json(
      { ticket: issued.ticket, expiresAt: new Date(issued.expiresAt).toISOString() } satisfies TicketResponse,
      201,
    );
  });

  return routes;
}

/**
 * The app a new session asked for, with its first view's query results when asked (see `redeemSchema`).
 * An app it may read is recorded as an app open, like `GET /apps/{id}`; a missing or unreadable one is
 * left out alike.
 */
async function firstViewOf(
  c: Context<AppEnv>,
  o: SessionRoutesOptions,
  created: CreatedSession,
  first: FirstView,
): Promise<{ app?: AppDetail; results?: PrefetchedResult[] }> {
  if (first.app === undefined) return {};
  const requester = requesterOf(requestSnapshot(c, o.configStore.current), created.session);
  const app = await readableAppDetail(requester, o, first.app);
  if (!app) return {};
  if (o.visits) await recordAppOpen(o.visits, requester, app.id, first.view?.object);
  const view = first.view;
  if (!view) return { app };
  // Only sheets the session may read are in `app`, so an object elsewhere is simply not found here.
  const objects =
    view.object !== undefined
      ? app.sheets.flatMap((sheet) => sheet.objects.filter((object) => object.id === view.object))
      : (app.sheets.find((sheet) => sheet.id === (view.sheet ?? app.sheets[0]?.id))?.objects ?? []);
  const requests = firstQueries(objects, view.selections ?? {}).slice(0, MAX_BATCH_QUERIES);
  return { app, results: await prefetched(o.queries, requester, app.id, requests) };
}

/**
 * The results of `requests`, answered as `POST /apps/{id}/queries` answers them. A refused query is left
 * out, and so is every one when the answer fails as a whole: the session stands, and the frame asks for
 * what is missing and gets the data route's own answer.
 */
async function prefetched(
  queries: AppQueries,
  requester: Requester,
  appId: string,
  requests: QueryRequest[],
): Promise<PrefetchedResult[]> {
  if (requests.length === 0) return [];
  let outcomes: QueryOutcome[];
  try {
    outcomes = await queries.answer(requester, appId, requests);
  } catch {
    return [];
  }
  return requests.flatMap((request, i) => {
    const outcome = outcomes[i];
    return outcome && "result" in outcome ? [{ request, result: outcome.result }] : [];
  });
}

function describeUser(state: ConfigState, session: CreatedSession["session"]) {
  const known = state.users.get(userKey(session.userDirectory, session.userId));
  return {
    userDirectory: session.userDirectory,
    userId: session.userId,
    anonymous: session.anonymous,
    ...(known?.name !== undefined ? { name: known.name } : {}),
  };
}

function respondWithSession(
  c: Context<AppEnv>,
  o: SessionRoutesOptions,
  created: CreatedSession,
  status: 200 | 201,
  first: { app?: AppDetail; results?: PrefetchedResult[] } = {},
) {
  const state = o.configStore.current;
  const prefix = c.get("proxy").prefix;
  // First-party visits (the hub page) ride on this cookie; embeds use the token from the body instead,
  // so nothing depends on third-party cookies.
  setCookie(c, sessionCookieName(prefix), created.token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: isSecureRequest(c, state),
    path: sessionCookiePath(prefix),
  });
  const body: SessionResponse = {
    sessionToken: created.token,
    user: describeUser(state, created.session),
    expiresAt: new Date(created.session.expiresAt).toISOString(),
    inactivityTimeoutMs: o.sessions.inactivityTimeoutMs(prefix),
  };
  if (created.license) body.license = created.license;
  if (first.app) body.app = first.app;
  if (first.results) body.results = first.results;
  c.header("Cache-Control", "no-store");
  return c.json(body, status);
}
