import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { ConfigState } from "../config/config-state.js";
import type { ConfigStore } from "../config/config-store.js";
import type { VirtualProxyConfig } from "../config/schema.js";
import { resolveClientIp, TrustedProxies } from "../http/client-ip.js";
import { errorAnswer } from "../http/error-handler.js";
import { isSecureUrl } from "../http/self-origin.js";
import { sessionTokenFrom } from "../http/session-auth.js";
import { logRequest } from "../ops/create-logger.js";
import type { Metrics } from "../ops/metrics.js";
import type { BeaconIngest } from "./beacon-ingest.js";

/** `POST {P}/api/v1/visits/beacon`, prefix captured: the same paths as the app's `/:prefix{...}` mounts. */
const BEACON_PATH = /^(?:\/([a-z0-9._~-]+))?\/api\/v1\/visits\/beacon$/;

export interface BeaconListenerOptions {
  ingest: BeaconIngest;
  configStore: ConfigStore;
  logger: Logger;
  metrics: Metrics;
  clock: () => number;
  /** The API's body limit: a larger beacon is left to hono, which refuses it. */
  maxBodyBytes: number;
}

/**
 * The request headers a beacon reads, from `rawHeaders`; a repeated header joined with ", " as fetch's
 * `Headers` does. One object shape for every request, filled by a `switch`, so reading a header stays a
 * monomorphic property load rather than a keyed lookup by lower-cased name.
 */
class BeaconHeaders {
  host: string | undefined = undefined;
  contentLength: string | undefined = undefined;
  transferEncoding: string | undefined = undefined;
  authorization: string | undefined = undefined;
  contentType: string | undefined = undefined;
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
        case "content-type":
          this.contentType = joined(this.contentType, value);
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
 * is read at once, without the stream's listeners and flowing machinery. Otherwise it is streamed in.
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
  // As `apiHeaders` gives every answer of the hono API.
  headers = { ...headers, "cache-control": "no-store", "x-content-type-options": "nosniff" };
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
 * Visit beacons are the server's busiest request: every sheet a visitor opens sends one. This listener is
 * a thin front for `POST {P}/api/v1/visits/beacon` that reads Node's request directly, without building
 * web `Request` and `Response` objects or walking hono's middleware (see visits/README.md for what that
 * saves). It only translates HTTP: the beacon itself is `BeaconIngest.ingest`, as for the hono route, and
 * errors and the log line go through `errorAnswer` and `logRequest`, as hono's do. Every request it does
 * not recognise as a plain beacon goes to `fallback` (the hono listener) untouched: another method or
 * path, an unknown proxy, no `Host`, no `Authorization` (a cookie beacon needs hono's origin check), a
 * chunked or oversized body or a malformed `Content-Length`.
 */
export function beaconListener(o: BeaconListenerOptions, fallback: RequestListener): RequestListener {
  return (request, response) => {
    if (request.method !== "POST") return fallback(request, response);
    const url = request.url ?? "";
    const query = url.indexOf("?");
    const path = query === -1 ? url : url.slice(0, query);
    const match = BEACON_PATH.exec(path);
    if (!match) return fallback(request, response);
    const state = o.configStore.current;
    const proxy = state.proxies.get(match[1] ?? "");
    const headers = new BeaconHeaders(request.rawHeaders);
    const length = headers.contentLength;
    const bytes = Number(length);
    if (
      proxy === undefined ||
      headers.host === undefined ||
      // Only the frame's bearer beacons: a cookie-authenticated one goes through hono's origin check.
      headers.authorization === undefined ||
      headers.transferEncoding !== undefined ||
      length === undefined ||
      !/^\d+$/.test(length.trim()) ||
      bytes > o.maxBodyBytes
    )
      return fallback(request, response);
    void handle(o, request, response, { proxy, state, path, headers, length: bytes });
  };
}

/** A request the listener answers itself: a plain beacon to a known proxy, with its body's length. */
interface BeaconRequest {
  proxy: VirtualProxyConfig;
  state: ConfigState;
  path: string;
  headers: BeaconHeaders;
  length: number;
}

async function handle(
  o: BeaconListenerOptions,
  request: IncomingMessage,
  response: ServerResponse,
  { proxy, state, path, headers, length }: BeaconRequest,
): Promise<void> {
  const start = o.clock();
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
  let status = 204;
  try {
    const secure = isSecureUrl(
      (request.socket as { encrypted?: boolean }).encrypted ? "https:" : "http:",
      state,
    );
    await o.ingest.ingest(
      { proxy, state, ip, userAgent: headers.userAgent, secure },
      sessionTokenFrom(headers.authorization, headers.cookie, proxy.prefix),
      () => readBody(request, length),
      headers.contentType,
    );
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
