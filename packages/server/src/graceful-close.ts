import type { IncomingMessage, Server, ServerResponse } from "node:http";

/**
 * Shutting a listening server down without losing an answer and without waiting for idle clients: from
 * `close()` on, every response is the last on its connection (`Connection: close` when its headers are
 * still to be sent; the socket ends after it when they already were), idle keep-alive sockets are closed
 * at once, and the returned promise resolves as soon as the requests in flight are answered. Otherwise a
 * keep-alive socket that just finished its response would hold the process for the keep-alive timeout,
 * and its client would send the next request to a server that is going away.
 */
export function gracefulClose(server: Server): (graceMs: number) => Promise<void> {
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  // Before the app's own listener, so a response the app writes at once already knows.
  server.prependListener("request", (_request: IncomingMessage, response: ServerResponse) => {
    if (closing) lastOnItsConnection(response);
    inFlight.add(response);
    response.once("close", () => inFlight.delete(response));
  });
  return (graceMs) =>
    new Promise<void>((resolve) => {
      closing = true;
      for (const response of inFlight) lastOnItsConnection(response);
      // Past the grace period, requests still in flight are cut rather than holding the shutdown forever.
      const force = setTimeout(() => server.closeAllConnections(), graceMs);
      force.unref();
      server.close(() => {
        clearTimeout(force);
        resolve();
      });
      server.closeIdleConnections();
    });
}

function lastOnItsConnection(response: ServerResponse): void {
  if (!response.headersSent) {
    response.shouldKeepAlive = false;
    return;
  }
  if (response.writableFinished) return;
  const socket = response.socket;
  response.once("finish", () => socket?.destroySoon());
}
