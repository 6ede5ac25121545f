import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { ErrorCode } from "@portico/protocol";

/** Paths that are never shed: an orchestrator's probes must see a busy node as alive and as what it is. */
const PROBES: ReadonlySet<string> = new Set(["/healthz", "/readyz"]);
const RETRY_AFTER_S = 1;
/** How long a turned-away request waits for its 503. */
const SHED_PAUSE_MS = 1000;

export interface LoadSheddingOptions {
  /** Requests a node works on at once (read per request); 0 or below: no limit. */
  limit: () => number;
  /** Called for each request turned away (metrics). */
  onShed?: () => void;
  /** The pause before a turned-away request gets its 503 (default 1 s). */
  pauseMs?: number;
}

/**
 * A bounded number of requests in progress per node: past it, a request is answered 503 BUSY with
 * `Retry-After`, before any routing or storage work and after a pause of about that long, so a flood costs
 * the node almost nothing per extra request and `/healthz` and `/readyz` (never shed) keep answering. A request is
 * in progress from its arrival until its response is finished or its connection closes.
 */
export function loadShedding(o: LoadSheddingOptions, next: RequestListener): RequestListener {
  let inProgress = 0;
  const body = JSON.stringify({
    error: { code: ErrorCode.BUSY, message: "The server is busy; try again shortly" },
  });
  return (request: IncomingMessage, response: ServerResponse) => {
    const limit = o.limit();
    if (limit > 0 && inProgress >= limit && !PROBES.has(pathOf(request.url))) {
      o.onShed?.();
      // Answered after a pause: a client that retries at once (most scripts do) would otherwise turn the
      // refusals themselves into the flood. The pause holds only a socket, no work.
      setTimeout(() => refuse(response), o.pauseMs ?? SHED_PAUSE_MS).unref();
      return;
    }
    inProgress++;
    let done = false;
    const release = () => {
      if (done) return;
      done = true;
      inProgress--;
    };
    response.once("finish", release);
    response.once("close", release);
    next(request, response);
  };

  function refuse(response: ServerResponse): void {
    if (response.destroyed) return;
    response.writeHead(503, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      "retry-after": String(RETRY_AFTER_S),
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
    });
    response.end(body);
  }
}

function pathOf(url: string | undefined): string {
  if (!url) return "/";
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}
