import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve } from "node:path";
import { type DataModel, EngineError, loadTables, toCsv } from "@portico/engine";
import {
  type ErrorCode,
  firstQueries,
  type HubResponse,
  type QueriesRequest,
  type QueryOutcome,
  type QueryRequest,
  type Selections,
  type SessionResponse,
} from "@portico/protocol";
import { spendingApp, spendingRows } from "./spending-fixture.js";

/**
 * A test server that speaks the server's `/{P}/api/v1` HTTP contract for the frame's browser tests: real sockets, the
 * built frame (with the production CSP), and the real engine answering queries. Sessions and tickets are
 * kept in memory with knobs to provoke each failure the frame must explain (licence denial, expiry, an
 * unreachable server). The real server's end-to-end tests live in `test/`.
 */
export interface ProxyOptions {
  anonymousAccess: "none" | "allow" | "always";
  hostAllowList: string[];
  /** Test knob: leave `frame-ancestors` out, to exercise the frame's own origin check. */
  omitFrameAncestors?: boolean;
}

export interface ContractServer {
  /** `http://127.0.0.1:PORT` (the frame's origin). */
  origin: string;
  /** `http://localhost:PORT`: a second origin on the same server, for host pages. */
  hostOrigin: string;
  /** `http://localhost:OTHERPORT`: an origin on no allow list. */
  strangerOrigin: string;
  proxies: Map<string, ProxyOptions>;
  /** `sessionDelayMs`: how long a session request waits before it is answered (a slow server). */
  knobs: { denyLicense: boolean; down: boolean; inactivityTimeoutMs: number; sessionDelayMs: number };
  /** Requests seen, for assertions (`POST /anon/api/v1/sessions`, ...). */
  requests: string[];
  beacons: unknown[];
  sessions: Map<string, { proxy: string; anonymous: boolean; userId: string }>;
  /** Ends every session, as an inactivity timeout on the server would. */
  expireSessions(): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
};

export async function startContractServer(distDir: string): Promise<ContractServer> {
  const model: DataModel = await loadTables([{ name: "spending", rows: spendingRows() }]);
  const app = spendingApp(model.fields());
  const objects = app.sheets.flatMap((s) => s.objects);
  const tickets = new Map<string, { proxy: string; join?: string }>();
  const expired = new Set<string>();
  const proxies = new Map<string, ProxyOptions>();
  const requests: string[] = [];
  const beacons: unknown[] = [];
  const sessions = new Map<string, { proxy: string; anonymous: boolean; userId: string }>();
  const knobs = { denyLicense: false, down: false, inactivityTimeoutMs: 30 * 60_000, sessionDelayMs: 0 };
  const root = resolve(distDir);

  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push(`${req.method} ${url.pathname}`);
    if (knobs.down && url.pathname.includes("/api/")) {
      // An unreachable server: the connection drops without an answer.
      req.socket.destroy();
      return;
    }
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
      res.end(body === undefined ? "" : JSON.stringify(body));
    };
    const fail = (status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}) =>
      send(status, { error: { code, message } }, headers);

    const match = /^(?:\/([a-z0-9._~-]+))?\/(embed|hub|api\/v1\/.*)$/.exec(url.pathname);
    if (!match) {
      // Static files: built pages (test harness pages included) and hashed assets.
      const file = resolve(join(root, decodeURIComponent(url.pathname)));
      if (!file.startsWith(root + "/")) return fail(404, "NOT_FOUND", "Not found");
      try {
        const body = await readFile(file);
        res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
        res.end(body);
      } catch {
        fail(404, "NOT_FOUND", "Not found");
      }
      return;
    }
    const prefix = match[1] ?? "";
    const rest = match[2] ?? "";
    const proxy = proxies.get(prefix);
    if (!proxy) return fail(404, "PROXY_NOT_FOUND", "No such virtual proxy");

    if (rest === "embed" || rest === "hub") {
      const page = rest === "hub" && url.searchParams.get("login") === "1" ? "login.html" : `${rest}.html`;
      const ancestors = ["'self'", ...proxy.hostAllowList];
      const csp = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "connect-src 'self'",
        ...(proxy.omitFrameAncestors ? [] : [`frame-ancestors ${ancestors.join(" ")}`]),
      ].join("; ");
      res.writeHead(200, { "content-type": TYPES[".html"] as string, "content-security-policy": csp });
      res.end(await readFile(join(root, page)));
      return;
    }

    const path = rest.slice("api/v1".length);
    const body = req.method === "POST" ? await readJson(req) : undefined;
    const origin = req.headers.origin;
    const cors: Record<string, string> =
      origin && proxy.hostAllowList.includes(origin)
        ? { "access-control-allow-origin": origin, vary: "Origin" }
        : {};

    if (req.method === "OPTIONS") {
      if (!cors["access-control-allow-origin"])
        return fail(403, "ORIGIN_NOT_ALLOWED", "This origin may not call this proxy");
      return send(204, undefined, {
        ...cors,
        "access-control-allow-methods": "GET, POST, DELETE",
        "access-control-allow-headers": "Content-Type, Authorization",
      });
    }
    if (path === "/embed-config" && req.method === "GET")
      return send(200, {
        hostAllowList: proxy.hostAllowList,
        anonymousAccess: proxy.anonymousAccess,
        inactivityTimeoutMs: knobs.inactivityTimeoutMs,
      });
    if (path === "/tickets/anonymous" && req.method === "POST") {
      if (proxy.anonymousAccess === "none")
        return fail(403, "ANONYMOUS_DISABLED", "Anonymous access is disabled", cors);
      const ticket = randomUUID();
      tickets.set(ticket, { proxy: prefix });
      return send(201, { ticket, expiresAt: new Date(Date.now() + 60_000).toISOString() }, cors);
    }
    if ((path === "/sessions" || path === "/sessions/anonymous") && req.method === "POST") {
      if (knobs.sessionDelayMs > 0) await new Promise((r) => setTimeout(r, knobs.sessionDelayMs));
      let found: { proxy: string; join?: string } | undefined;
      if (path === "/sessions/anonymous") {
        // The server's own pages only: the request's Origin must be this server.
        if (proxy.anonymousAccess === "none")
          return fail(403, "ANONYMOUS_DISABLED", "Anonymous access is disabled");
        if (req.headers.origin !== `http://${req.headers.host}`)
          return fail(403, "ORIGIN_NOT_ALLOWED", "Only the server's own pages start sessions directly");
        found = { proxy: prefix };
      } else {
        const ticket = typeof body?.ticket === "string" ? body.ticket : "";
        found = tickets.get(ticket);
        tickets.delete(ticket);
      }
      if (!found || found.proxy !== prefix) return fail(401, "TICKET_INVALID", "The ticket is not valid");
      if (knobs.denyLicense)
        return fail(403, "NO_ACCESS_PASS", "You cannot access the hub because you have no access pass");
      const token = found.join ?? randomUUID();
      const existing = sessions.get(token);
      const user = existing ?? { proxy: prefix, anonymous: true, userId: `anonymous${randomUUID()}` };
      sessions.set(token, user);
      const response: SessionResponse = {
        sessionToken: token,
        user: { userDirectory: "NONE", userId: user.userId, anonymous: user.anonymous },
        expiresAt: new Date(Date.now() + knobs.inactivityTimeoutMs).toISOString(),
        inactivityTimeoutMs: knobs.inactivityTimeoutMs,
        // The app the frame opens next comes along when named (every visitor here may read it), with the
        // first results of the view named.
        ...(body?.app === app.id ? { app, results: firstResults(body.view) } : {}),
      };
      return send(201, response, {
        "set-cookie": `X-Portico-Session-${prefix}=${token}; HttpOnly; SameSite=Lax; Path=/${prefix}`,
      });
    }
    if (path === "/sessions/login" && req.method === "POST") {
      if (proxy.anonymousAccess === "always")
        return fail(403, "LOGIN_DISABLED", "This virtual proxy admits anonymous visitors only");
      if (body?.userId !== "alice" || body?.password !== "correct horse")
        return fail(401, "LOGIN_FAILED", "Unknown user or wrong password");
      const token = randomUUID();
      sessions.set(token, { proxy: prefix, anonymous: false, userId: "alice" });
      const response: SessionResponse = {
        sessionToken: token,
        user: { userDirectory: "PORTAL", userId: "alice", name: "Alice Example", anonymous: false },
        expiresAt: new Date(Date.now() + knobs.inactivityTimeoutMs).toISOString(),
        inactivityTimeoutMs: knobs.inactivityTimeoutMs,
      };
      return send(201, response, {
        "set-cookie": `X-Portico-Session-${prefix}=${token}; HttpOnly; SameSite=Lax; Path=/${prefix}`,
      });
    }
    if (path === "/sessions/current" && req.method === "GET") {
      const token = /X-Portico-Session-[^=]*=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
      const current = token ? sessions.get(token) : undefined;
      if (!current) return fail(401, "UNAUTHENTICATED", "A session is required");
      return send(200, {
        id: token,
        user: {
          userDirectory: current.anonymous ? "NONE" : "PORTAL",
          userId: current.userId,
          anonymous: current.anonymous,
          ...(current.anonymous ? {} : { name: "Alice Example" }),
        },
        expiresAt: new Date(Date.now() + knobs.inactivityTimeoutMs).toISOString(),
        absoluteExpiresAt: new Date(Date.now() + 8 * 3_600_000).toISOString(),
        inactivityTimeoutMs: knobs.inactivityTimeoutMs,
      });
    }
    if (path === "/visits/beacon" && req.method === "POST") {
      beacons.push(body);
      return send(204, undefined);
    }

    // Everything below needs a session: a Bearer token (embeds) or the proxy's cookie (first party).
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const cookie = new RegExp(`X-Portico-Session-${prefix}=([^;]+)`).exec(req.headers.cookie ?? "")?.[1];
    const token = bearer ?? cookie;
    const session = token ? sessions.get(token) : undefined;
    if (!token || !session || session.proxy !== prefix)
      return token && expired.has(token)
        ? fail(401, "SESSION_EXPIRED", "The session has expired")
        : fail(401, "UNAUTHENTICATED", "A session is required");

    if (path === "/sessions/join-ticket" && req.method === "POST") {
      const ticket = randomUUID();
      tickets.set(ticket, { proxy: prefix, join: token });
      return send(201, { ticket, expiresAt: new Date(Date.now() + 60_000).toISOString() });
    }
    if (path === "/hub" && req.method === "GET") {
      const hub: HubResponse = {
        streams: [
          {
            id: "budget",
            name: "City budget",
            apps: [{ id: app.id, name: app.name, description: app.description ?? "", published: true }],
          },
          { id: "everyone", name: "Everyone", apps: [] },
        ],
      };
      return send(200, hub);
    }
    const exportMatch = /^\/apps\/([^/]+)\/objects\/([^/]+)\/export$/.exec(path);
    if (exportMatch && req.method === "POST") {
      const object = objects.find((o) => o.id === decodeURIComponent(exportMatch[2] ?? ""));
      if (decodeURIComponent(exportMatch[1] ?? "") !== app.id || !object)
        return fail(404, "NOT_FOUND", "No such object");
      const selections = (body?.selections ?? {}) as Selections;
      res.writeHead(200, { "content-type": "text/csv; charset=utf-8" });
      res.end(toCsv(model.exportRows(object, selections)));
      return;
    }
    const appMatch = /^\/apps\/([^/]+)(\/query|\/queries)?$/.exec(path);
    if (appMatch) {
      if (decodeURIComponent(appMatch[1] ?? "") !== app.id)
        return fail(404, "APP_NOT_FOUND", "App not found");
      if (!appMatch[2] && req.method === "GET") return send(200, app);
      if (appMatch[2] === "/queries" && req.method === "POST") {
        const batch = body as unknown as QueriesRequest;
        return send(200, {
          results: batch.requests.map((r) => outcome({ selections: batch.selections, ...r })),
        });
      }
      if (appMatch[2] && req.method === "POST") {
        try {
          return send(200, model.query(body as QueryRequest, objects));
        } catch (error) {
          if (error instanceof EngineError)
            return fail(
              error.code === "OBJECT_NOT_FOUND" ? 404 : 400,
              error.code as ErrorCode,
              error.message,
            );
          throw error;
        }
      }
    }
    return fail(404, "NOT_FOUND", "Not found");
  };

  /** One request of a batch: its result, or its own error. */
  const outcome = (request: QueryRequest): QueryOutcome => {
    try {
      return { result: model.query(request, objects) };
    } catch (error) {
      if (error instanceof EngineError) return { error: { code: error.code, message: error.message } };
      throw error;
    }
  };
  /** The first results of the view a session request names, as the server answers them. */
  const firstResults = (view: unknown) => {
    const {
      sheet,
      object,
      selections = {},
    } = (view ?? {}) as {
      sheet?: string;
      object?: string;
      selections?: Selections;
    };
    if (view === undefined) return [];
    const shown = object
      ? objects.filter((o) => o.id === object)
      : (app.sheets.find((s) => s.id === (sheet ?? app.sheets[0]?.id))?.objects ?? []);
    return firstQueries(shown, selections).flatMap((request) => {
      const answer = outcome(request);
      return "result" in answer ? [{ request, result: answer.result }] : [];
    });
  };

  const listen = async () => {
    const server = createServer((req, res) => {
      handler(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return server;
  };
  const main = await listen();
  const other = await listen();
  const port = (main.address() as AddressInfo).port;
  const otherPort = (other.address() as AddressInfo).port;
  const close = (s: Server) =>
    new Promise<void>((r) => {
      s.closeAllConnections();
      s.close(() => r());
    });

  return {
    origin: `http://127.0.0.1:${port}`,
    hostOrigin: `http://localhost:${port}`,
    strangerOrigin: `http://localhost:${otherPort}`,
    proxies,
    knobs,
    requests,
    beacons,
    sessions,
    expireSessions() {
      for (const token of sessions.keys()) expired.add(token);
      sessions.clear();
    },
    close: async () => {
      await close(main);
      await close(other);
    },
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
