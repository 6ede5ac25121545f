import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { ErrorCode } from "@portico/protocol";
import type { Logger } from "pino";
import type { ConfigStore } from "../config/config-store.js";
import { PorticoError } from "../errors/portico-error.js";
import { resolveClientIp, TrustedProxies } from "../http/client-ip.js";
import { errorAnswer } from "../http/error-handler.js";
import { isSecureUrl } from "../http/self-origin.js";
import { sessionTokenFrom } from "../http/session-auth.js";
import { logRequest } from "../ops/create-logger.js";
import type { Metrics } from "../ops/metrics.js";
import type { SessionService } from "../sessions/session-service.js";
import { type BeaconIngest, parseBeacon } from "./visit-routes.js";

/** `POST {P}/api/v1/visits/beacon`, prefix captured: the same paths as the app's `/:prefix{...}` mounts. */
const BEACON_PATH = /^(?:\/([a-z0-9._~-]+))?\/api\/v1\/visits\/beacon$/;

export interface BeaconListenerOptions {
  ingest: BeaconIngest;
  sessions: SessionService;
  configStore: ConfigStore;
  logger: Logger;
  metrics: Metrics;
  clock: () => number;
  /** The API's body limit: a larger beacon is left to hono, which refuses it. */
  maxBodyBytes: number;
}

/**
 * The request headers a beacon reads, from `rawHeaders`; a repeated header joined with ", " as fetch's
 * `Headers` does. One shape for every request, filled by a `switch`: a record keyed by each lower-cased
 * name cost a beacon a megamorphic keyed store and load and a string-table lookup per header.
 */
class BeaconHeaders {
  host: string | undefined = undefined;
  contentLength: string | undefined = undefined;
  transferEncoding: string | undefined = undefined;
  authorization: string | undefined = undefined;
  cookie: string | undefined = undefined;
  userAgent: string | undefined = undefined;
  xForwardedFor: string | undefined = undefined;
  forwarded: string | undefined = undefined;

  constructor(raw: readonly string[]) {
    for (let i = 0; i < raw.length; i += 2) {
      const value = raw[i + 1] as string;
      switch ((raw[i] as string).toLowerCase()) {
        case "host":
          this.host = joined(this.host, value);
          break;
        case "content-length":
          this.contentLength = joined(this.contentLength, value);
          break;
        case "transfer-encoding":
          this.transferEncoding = joined(this.transferEncoding, value);
          break;
        case "authorization":
          this.authorization = joined(this.authorization, value);
          break;
        case "cookie":
          this.cookie = joined(this.cookie, value);
          break;
        case "user-agent":
          this.userAgent = joined(this.userAgent, value);
          break;
        case "x-forwarded-for":
          this.xForwardedFor = joined(this.xForwardedFor, value);
          break;
        case "forwarded":
          this.forwarded = joined(this.forwarded, value);
          break;
      }
    }
  }
}

function joined(seen: string | undefined, value: string): string {
  return seen === undefined ? value : `${seen}, ${value}`;
}

/** The text decoder of fetch's `Request.text()`: UTF-8, a leading byte-order mark dropped. */
const utf8 = new TextDecoder();

/**
 * The body as text. A small body usually arrives with its headers, and by the time the session is checked
 * all `length` bytes wait in the stream's buffer (`complete` is set later, when the parser next runs): it
 * is read at once. Otherwise it is streamed in (four listeners and the stream's flowing machinery, ~2 us
 * more a beacon).
 */
function readBody(request: IncomingMessage, length: number): Promise<string> | string {
  if (request.readableLength === length) {
    const chunk = request.read() as Buffer | null;
    return chunk === null ? "" : utf8.decode(chunk);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.once("end", () => resolve(utf8.decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks))));
    request.once("error", reject);
    request.once("close", () => {
      if (!request.complete) reject(new Error("The client closed the connection before the body was sent"));
    });
  });
}

function answer(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body?: string,
): void {
  if (body === undefined) {
    response.writeHead(status, headers);
    response.end();
    return;
  }
  response.writeHead(status, {
    ...headers,
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
  });
  response.end(body);
}

/**
 * Visit beacons are the server's busiest request: every sheet a visitor opens sends one. This listener
 * answers `POST {P}/api/v1/visits/beacon` straight from Node's request, without building web `Request`
 * and `Response` objects or walking hono's middleware, which cost about as much again as the beacon's
 * own work (session, rate limit, body, rule check, commit). It runs the same steps in the same order as
 * the hono route (`BeaconIngest`, `sessionTokenFrom`, `resolveClientIp`, `parseBeacon`, `errorAnswer`,
 * `logRequest`) and hands every request it does not recognise as a plain beacon to `fallback` (the hono
 * listener) untouched: another method or path, an unknown proxy, no `Host`, a chunked or oversized body
 * or a malformed `Content-Length`. beacon-listener.test.ts sends the same requests both ways and
 * compares the answers and the rows.
 */
export function beaconListener(o: BeaconListenerOptions, fallback: RequestListener): RequestListener {
  return (request, response) => {
    if (request.method !== "POST") return fallback(request, response);
    const url = request.url ?? "";
    const query = url.indexOf("?");
    const path = query === -1 ? url : url.slice(0, query);
    const match = BEACON_PATH.exec(path);
    if (!match) return fallback(request, response);
    const prefix = match[1] ?? "";
    const headers = new BeaconHeaders(request.rawHeaders);
    const length = headers.contentLength;
    const bytes = Number(length);
    if (
      !o.configStore.current.proxies.has(prefix) ||
      headers.host === undefined ||
      headers.transferEncoding !== undefined ||
      length === undefined ||
      !/^\d+$/.test(length.trim()) ||
      bytes > o.maxBodyBytes
    )
      return fallback(request, response);
    void handle(o, request, response, { prefix, path, headers, length: bytes });
  };
}

async function handle(
  o: BeaconListenerOptions,
  request: IncomingMessage,
  response: ServerResponse,
  { prefix, path, headers, length }: { prefix: string; path: string; headers: BeaconHeaders; length: number },
): Promise<void> {
  const start = o.clock();
  const state = o.configStore.current;
  const { trustProxy, forwardedHeader } = state.config.server;
  const ip = resolveClientIp(
    {
      peer: request.socket.remoteAddress ?? "unknown",
      xForwardedFor: headers.xForwardedFor,
      forwarded: headers.forwarded,
    },
    TrustedProxies.of(trustProxy),
    forwardedHeader,
  );
  const userAgent = headers.userAgent;
  let status = 204;
  try {
    const token = sessionTokenFrom(headers.authorization, headers.cookie, prefix);
    if (token === undefined) throw new PorticoError(ErrorCode.UNAUTHENTICATED, "A session is required");
    const session = await o.sessions.authenticate(token, prefix, { ip, userAgent });
    o.ingest.admit(session);
    const body = readBody(request, length);
    const beacon = parseBeacon(typeof body === "string" ? body : await body);
    await o.ingest.record(session, beacon, {
      ip,
      userAgent,
      secure: isSecureUrl((request.socket as { encrypted?: boolean }).encrypted ? "https:" : "http:", state),
    });
    answer(response, 204, {});
  } catch (error) {
    // A client that left mid-body has no one to answer (the request stream itself ends destroyed either way).
    if (response.headersSent || request.socket.destroyed) return;
    const failure = errorAnswer(error, o.logger, o.metrics, { method: "POST", path });
    status = failure.status;
    answer(response, status, failure.headers, JSON.stringify(failure.body));
  }
  logRequest(o.logger, { method: "POST", path, status, ms: o.clock() - start, ip });
}
