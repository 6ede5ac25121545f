import {
  type AppDetail,
  type EmbedConfig,
  type ErrorCode,
  type HubResponse,
  isErrorCode,
  type QueriesRequest,
  type QueriesResponse,
  type QueryRequest,
  type QueryResult,
  type Selections,
  type SessionResponse,
} from "@portico/protocol";
import { FrameError } from "../errors/frame-error.js";
import { proxyBase } from "./proxy-prefix.js";

/** What the frame learns about its proxy before it talks to the host (`GET /{P}/api/v1/embed-config`). */
export type { EmbedConfig } from "@portico/protocol";

/** What a new session is asked to carry (see `createSession`): an app, and the view shown first. */
export interface FirstView {
  app?: string;
  view?: { sheet?: string; object?: string; selections?: Selections };
}

export type VisitBeacon = { type: "sheetView" | "export"; app: string; sheet?: string; object?: string };

export interface ApiClientOptions {
  prefix: string;
  /** The session token (Bearer); `undefined` for first-party cookie sessions. */
  getToken: () => string | undefined;
  fetch?: typeof fetch;
  /** Delays between attempts when the server is unreachable; its length is the number of retries. */
  retryDelaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
}

/** Back-off when the server cannot be reached: four retries over about four seconds, then a message. */
export const RETRY_DELAYS_MS = [250, 500, 1000, 2000] as const;

const RETRYABLE_STATUS = new Set([502, 503, 504]);
/** A `Retry-After` longer than this ends the retries: the error is shown, the visitor may retry. */
const MAX_RETRY_AFTER_MS = 2000;

export type ApiClient = ReturnType<typeof createApiClient>;

/** The frame's HTTP client for the server's `/{P}/api/v1` API: JSON in and out, errors as `FrameError` with the server's code. */
export function createApiClient(options: ApiClientOptions) {
  const base = `${proxyBase(options.prefix)}/api/v1`;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const delays = options.retryDelaysMs ?? RETRY_DELAYS_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  async function send<T>(
    method: string,
    path: string,
    body?: unknown,
    anonymous = false,
    signal?: AbortSignal,
  ): Promise<T> {
    const response = await request(method, path, body, anonymous, "application/json", signal);
    if (response.status === 204) return undefined as T;
    return (await readBody(response)) as T;
  }

  /** Non-JSON answers (CSV exports); errors still come as the JSON error body. */
  async function sendText(method: string, path: string, body?: unknown): Promise<string> {
    const response = await request(method, path, body, false, "text/csv, application/json");
    if (!response.ok) await readBody(response);
    return response.text();
  }

  async function readBody(response: Response): Promise<unknown> {
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) throw errorFromBody(response.status, parsed);
    return parsed;
  }

  async function request(
    method: string,
    path: string,
    body: unknown,
    anonymous: boolean,
    accept: string,
    signal?: AbortSignal,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept };
    const token = anonymous ? undefined : options.getToken();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    const init: RequestInit = {
      method,
      headers,
      credentials: "same-origin",
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    };
    let response: Response | undefined;
    for (let attempt = 0; ; attempt++) {
      // A cancelled request is not an unreachable server: no retry, and the caller's reason as the error.
      signal?.throwIfAborted();
      try {
        response = await doFetch(`${base}${path}`, init);
        if (!RETRYABLE_STATUS.has(response.status) || attempt >= delays.length) break;
        // The server says when to come back: sooner than the next step of the back-off waits that long
        // instead; later (a query stopped past its time budget) is not worth a visitor's wait: answer now.
        const retryAfterMs = Number(response.headers.get("retry-after") ?? 0) * 1000;
        if (retryAfterMs > MAX_RETRY_AFTER_MS) break;
        await sleep(Math.max(delays[attempt] ?? 0, retryAfterMs));
        continue;
      } catch {
        signal?.throwIfAborted();
        if (attempt >= delays.length)
          throw new FrameError("UNAVAILABLE", "The Portico server cannot be reached", 0);
      }
      await sleep(delays[attempt] ?? 0);
    }
    return response;
  }

  return {
    /** Sent without the token: it needs none (the frame asks before it has a session). */
    embedConfig: () => send<EmbedConfig>("GET", "/embed-config", undefined, true),
    /**
     * Resolves once the server answers at all (a gateway's 502-504 is not the server): one request and no
     * retries of its own, for the outage watcher's back-off, which keeps a dead server's console quiet.
     */
    ping: async (): Promise<void> => {
      const response = await doFetch(`${base}/embed-config`, {
        method: "GET",
        headers: { accept: "application/json" },
        credentials: "same-origin",
      });
      await response.body?.cancel();
      if (RETRYABLE_STATUS.has(response.status))
        throw new FrameError("UNAVAILABLE", `The server answered ${response.status}`, response.status);
    },
    /**
     * `origin`: the host page the frame pinned (the server checks it against the ticket's binding); `first`:
     * the app the frame opens next and the view it shows, which the answer then carries with that view's
     * first query results when the new session may read them (two round trips less than `app()` and
     * `query()` after).
     */
    createSession: (ticket: string, origin?: string, first?: FirstView) =>
      send<SessionResponse>("POST", "/sessions", { ticket, ...(origin ? { origin } : {}), ...first }),
    /** Portico's own pages only (the server checks `Origin`): an anonymous session without a ticket. */
    anonymousSession: (first?: FirstView) =>
      send<SessionResponse>("POST", "/sessions/anonymous", { ...first }),
    currentSession: () => send<SessionResponse>("GET", "/sessions/current"),
    /** `origin`: the host page of an embed, which the session then belongs to (see `createSession`). */
    login: (userId: string, password: string, origin?: string) =>
      send<SessionResponse>(
        "POST",
        "/sessions/login",
        origin ? { userId, password, origin } : { userId, password },
      ),
    logout: () => send<void>("DELETE", "/sessions/current"),
    joinTicket: (origin?: string) =>
      send<{ ticket: string }>("POST", "/sessions/join-ticket", origin ? { origin } : {}),
    hub: () => send<HubResponse>("GET", "/hub"),
    app: (id: string) => send<AppDetail>("GET", `/apps/${encodeURIComponent(id)}`),
    query: (appId: string, request: QueryRequest) =>
      send<QueryResult>("POST", `/apps/${encodeURIComponent(appId)}/query`, request),
    /**
     * Every query of a view in one request: the answer has one outcome per request, in order, and a
     * request that fails answers with its error while the others still answer. `signal` cancels it.
     */
    queries: (appId: string, body: QueriesRequest, signal?: AbortSignal) =>
      send<QueriesResponse>("POST", `/apps/${encodeURIComponent(appId)}/queries`, body, false, signal),
    /**
     * An object's data as CSV through the export endpoint, which checks the `exportdata` action: a
     * visitor who may only read a chart cannot download its data by assembling it from queries.
     */
    exportCsv: (appId: string, objectId: string, selections: Selections) =>
      sendText(
        "POST",
        `/apps/${encodeURIComponent(appId)}/objects/${encodeURIComponent(objectId)}/export?format=csv`,
        { selections },
      ),
    /** Visit beacons are best effort: a server without the route (404) or any failure is ignored. */
    beacon: async (beacon: VisitBeacon): Promise<void> => {
      try {
        await send<void>("POST", "/visits/beacon", beacon);
      } catch {
        // A lost beacon must never disturb the visitor.
      }
    },
  };
}

function errorFromBody(status: number, body: unknown): FrameError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (error && isErrorCode(error.code) && typeof error.message === "string")
    return new FrameError(error.code, error.message, status);
  const code: ErrorCode =
    status === 401
      ? "UNAUTHENTICATED"
      : status === 403
        ? "FORBIDDEN"
        : status === 404
          ? "NOT_FOUND"
          : status >= 500
            ? "UNAVAILABLE"
            : "BAD_REQUEST";
  return new FrameError(code, `The server answered ${status}`, status);
}
