// Shutdown of a real listening server (startServer, SQLite): a request in flight at close is answered in
// full with `Connection: close`, idle keep-alive sockets do not hold the shutdown, and an event
// acknowledged before it is in the database after.
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { Agent, type ClientRequest, createServer, type IncomingMessage, request } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gracefulClose } from "./graceful-close.js";
import { type RunningServer, startServer } from "./node.js";
import { createLogger } from "./ops/create-logger.js";
import { classicConfig, PORTAL, SELF } from "./testing/harness.js";

/** Far below the keep-alive timeout (5 s) that an idle socket would otherwise hold the shutdown for. */
const PROMPT_CLOSE_MS = 2_500;

let dir: string;
let server: RunningServer;
const agent = new Agent({ keepAlive: true, maxSockets: 8 });
const quiet = () => createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portico-graceful-close-"));
  await writeFile(path.join(dir, "portico.yaml"), await classicConfig());
  server = await startServer({
    configPath: path.join(dir, "portico.yaml"),
    port: 0,
    logger: quiet(),
    watch: false,
    frameDir: path.join(dir, "no-frame"),
  });
});
afterAll(async () => {
  agent.destroy();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: IncomingMessage["headers"];
  body: string;
}

/** A request on the keep-alive agent; half its body is sent at once, the rest by `finish()`. */
function send(
  method: string,
  url: string,
  headers: Record<string, string>,
  body = "",
): { answer: Promise<Answer>; finish: () => void; sent: Promise<void>; request: ClientRequest } {
  const req = request(url, {
    method,
    agent,
    headers: { ...headers, "content-length": Buffer.byteLength(body) },
  });
  const answer = new Promise<Answer>((resolve, reject) => {
    req.on("response", (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
  });
  const half = Math.floor(body.length / 2);
  req.write(body.slice(0, half));
  const sent = new Promise<void>((resolve) =>
    req.on("socket", (s) => (s.connecting ? s.once("connect", () => resolve()) : resolve())),
  );
  return { answer, sent, finish: () => req.end(body.slice(half)), request: req };
}

async function call(method: string, url: string, headers: Record<string, string>, body = "") {
  const r = send(method, url, headers, body);
  r.finish();
  return r.answer;
}

describe("closing a listening server", () => {
  it("answers the request in flight with Connection: close, drops idle sockets at once, keeps what it acknowledged", async () => {
    const json = { origin: PORTAL, "content-type": "application/json" };
    const ticket = await call("POST", `${server.url}/anon/api/v1/tickets/anonymous`, { origin: PORTAL });
    const session = await call(
      "POST",
      `${server.url}/anon/api/v1/sessions`,
      json,
      JSON.stringify({ ticket: (JSON.parse(ticket.body) as { ticket: string }).ticket }),
    );
    expect(session.status).toBe(201);
    const token = (JSON.parse(session.body) as { sessionToken: string }).sessionToken;
    const pageUrl = `${PORTAL}/acknowledged-before-close`;
    const beacon = await call(
      "POST",
      `${server.url}/anon/api/v1/visits/beacon`,
      { authorization: `Bearer ${token}`, "content-type": "application/json" },
      JSON.stringify({ type: "sheetView", app: "spending", sheet: "overview", pageUrl }),
    );
    expect(beacon.status).toBeLessThan(300);
    // Several idle keep-alive sockets.
    const idle = await Promise.all([1, 2, 3].map(() => call("GET", `${server.url}/healthz`, {})));
    expect(idle.map((a) => a.headers.connection)).toEqual(["keep-alive", "keep-alive", "keep-alive"]);

    // A request in flight when the shutdown starts: half its body is sent.
    const slow = send(
      "POST",
      `${server.url}/api/v1/sessions/login`,
      { "content-type": "application/json", origin: SELF },
      JSON.stringify({ userId: "alice", password: "wrong" }),
    );
    await slow.sent;
    await new Promise((r) => setTimeout(r, 50));
    const order: string[] = [];
    const closing = server.close().then(() => order.push("closed"));
    await new Promise((r) => setTimeout(r, 100));
    expect(order).toEqual([]); // the request in flight holds it
    slow.finish();
    const finishedAt = Date.now();
    const answer = await slow.answer;
    expect(answer.status).toBe(401);
    expect(answer.headers.connection).toBe("close");
    expect((JSON.parse(answer.body) as { error: { code: string } }).error.code).toBeTypeOf("string");
    await closing;
    expect(order).toEqual(["closed"]);
    expect(Date.now() - finishedAt).toBeLessThan(PROMPT_CLOSE_MS);

    const db = new SQLite(path.join(dir, "data", "portico.db"), { readonly: true });
    const stored = db.prepare("select count(*) as n from visits where page_url = ?").get(pageUrl) as {
      n: number;
    };
    db.close();
    expect(stored.n).toBe(1);
  }, 30_000);

  it("ends the connection after a response whose headers were already sent when closing began", async () => {
    let finishResponse: () => void = () => undefined;
    const plain = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("first half, ");
      finishResponse = () => res.end("second half");
    });
    const close = gracefulClose(plain);
    await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
    const { port } = plain.address() as AddressInfo;
    const started = send("GET", `http://127.0.0.1:${port}/`, {});
    started.finish();
    const socketClosed = new Promise<void>((resolve) =>
      started.request.on("socket", (s) => s.once("close", () => resolve())),
    );
    await once(started.request, "response");
    const order: string[] = [];
    const closing = close(10_000).then(() => order.push("closed"));
    await new Promise((r) => setTimeout(r, 50));
    expect(order).toEqual([]);
    finishResponse();
    const finishedAt = Date.now();
    expect((await started.answer).body).toBe("first half, second half");
    await socketClosed;
    await closing;
    expect(Date.now() - finishedAt).toBeLessThan(PROMPT_CLOSE_MS);
  });
});
