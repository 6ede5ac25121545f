import type {
  AppDetail,
  QueriesRequest,
  QueryRequest,
  QueryResult,
  SessionResponse,
} from "@portico/protocol";
import type { ApiClient } from "../api/api-client.js";
import { spendingApp } from "./spending-fixture.js";

/** One call the fake API client received: its method and arguments. */
export type ApiCall = { method: keyof ApiClient; args: unknown[] };

/**
 * An API client for the frame's unit tests: every call is recorded; answers come from `handlers` (a
 * method's handler may be replaced per test), by default a session with the spending app, and a result
 * per query that names what was asked.
 */
export function fakeApi(overrides: Partial<ApiClient> = {}) {
  const calls: ApiCall[] = [];
  const app = testApp();
  const handlers: ApiClient = {
    embedConfig: async () => ({ hostAllowList: [], anonymousAccess: "always", inactivityTimeoutMs: 60_000 }),
    ping: async () => undefined,
    createSession: async (_ticket, _origin, first) => sessionAnswer(first?.app === app.id ? app : undefined),
    anonymousSession: async (first) => sessionAnswer(first?.app === app.id ? app : undefined),
    currentSession: async () => sessionAnswer(),
    login: async () => sessionAnswer(),
    logout: async () => undefined,
    joinTicket: async () => ({ ticket: "join" }),
    hub: async () => ({ streams: [] }),
    app: async () => app,
    query: async (_appId, request) => resultFor(request),
    queries: async (_appId, body) => ({
      results: body.requests.map((r) => ({ result: resultFor(r, body) })),
    }),
    exportCsv: async () => "a,b\r\n1,2",
    beacon: async () => undefined,
    ...overrides,
  };
  const api = Object.fromEntries(
    Object.keys(handlers).map((method) => [
      method,
      (...args: unknown[]) => {
        calls.push({ method: method as keyof ApiClient, args });
        return (handlers[method as keyof ApiClient] as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as ApiClient;
  /** The calls of `method`, in order. */
  const callsOf = (method: keyof ApiClient) => calls.filter((c) => c.method === method);
  return { api, calls, callsOf, handlers, app };
}

/** The spending app with fields, as the server describes it. */
export function testApp(): AppDetail {
  return spendingApp([
    { name: "Department", type: "text", cardinality: 6, tables: ["spending"] },
    { name: "Region", type: "text", cardinality: 4, tables: ["spending"] },
    { name: "Year", type: "number", cardinality: 3, tables: ["spending"] },
  ]);
}

export function sessionAnswer(app?: AppDetail, extra: Partial<SessionResponse> = {}): SessionResponse {
  return {
    sessionToken: "token",
    user: { userDirectory: "NONE", userId: "anonymous1", anonymous: true },
    expiresAt: new Date(Date.now() + 60_000).toISOString(),
    inactivityTimeoutMs: 30 * 60_000,
    ...(app ? { app } : {}),
    ...extra,
  };
}

/** A result that says which request it answers (the object or field, and the selections it was under). */
export function resultFor(request: QueryRequest, batch?: QueriesRequest): QueryResult {
  const selections = request.selections ?? batch?.selections ?? {};
  const asked = "object" in request ? request.object : request.field;
  return {
    kind: "hypercube",
    object: `${asked} ${JSON.stringify(selections)}`,
    dimensions: [],
    measures: [],
    rows: [],
    totalRows: 0,
    totals: [1],
    page: request.page ?? { offset: 0, limit: 0 },
  };
}

/** A promise with its settle functions outside, to hold an answer back until the test lets it go. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
