import { createServer, type ServerResponse } from "node:http";
import { parentPort, workerData } from "node:worker_threads";
import { CHECK_CONFIG, CHECK_STORAGE, PROBE_SLOTS, type ProbeWorkerData } from "./probe-state.js";

// The probe listener's thread: answers `/healthz` and `/readyz` from what the main thread last wrote, so
// an orchestrator's probe gets its answer in milliseconds while the main event loop is saturated.
const { port, host, state, stallMs, staleMs } = workerData as ProbeWorkerData;
const read = (slot: number) => Number(Atomics.load(state, slot));

function send(response: ServerResponse, status: number, body: unknown, head: boolean): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...(status === 503 ? { "retry-after": "1" } : {}),
  });
  response.end(head ? undefined : text);
}

const server = createServer((request, response) => {
  const path = (request.url ?? "/").split("?")[0];
  const head = request.method === "HEAD";
  if (request.method !== "GET" && !head) return send(response, 405, { status: "method not allowed" }, head);
  const now = Date.now();
  const loopAgeMs = Math.max(0, now - read(PROBE_SLOTS.heartbeat));
  if (path === "/healthz") {
    // Busy is alive: only a loop that has not turned for `stallMs` (stuck) fails liveness.
    if (loopAgeMs < stallMs) return send(response, 200, { status: "ok" }, head);
    return send(response, 503, { status: "stalled", eventLoopIdleMs: loopAgeMs }, head);
  }
  if (path === "/readyz") {
    const checks = read(PROBE_SLOTS.checks);
    const fresh = now - read(PROBE_SLOTS.checkedAt) < staleMs;
    const result = {
      config: fresh && (BigInt(checks) & CHECK_CONFIG) !== 0n,
      storage: fresh && (BigInt(checks) & CHECK_STORAGE) !== 0n,
    };
    const ready = result.config && result.storage && read(PROBE_SLOTS.closing) === 0;
    return send(response, ready ? 200 : 503, { status: ready ? "ready" : "not ready", checks: result }, head);
  }
  send(response, 404, { status: "not found" }, head);
});
// Probes hold no connection open for long; a slow client must not hold a socket either.
server.headersTimeout = 5000;
server.requestTimeout = 5000;
server.keepAliveTimeout = 5000;

server.once("error", (error) => parentPort?.postMessage({ type: "error", message: error.message }));
server.listen(port, host, () => {
  const address = server.address();
  parentPort?.postMessage({
    type: "listening",
    port: typeof address === "object" && address ? address.port : port,
  });
});
parentPort?.on("message", (message: { type: string }) => {
  if (message.type === "close") {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  }
});
