import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPorticoError } from "../errors/portico-error.js";
import { bodySizeLimit } from "./body-size-limit.js";

const MAX = 100;
let server: ServerType;
let port: number;

beforeAll(async () => {
  const app = new Hono();
  app.onError((error, c) =>
    isPorticoError(error) ? c.json({ code: error.code }, 413) : c.json({ code: "other" }, 500),
  );
  app.use("*", bodySizeLimit({ maxBytes: MAX }));
  app.all("/echo", async (c) => c.json({ length: (await c.req.text()).length }));
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => {
      port = info.port;
      resolve();
    });
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A raw HTTP/1.1 request over a real socket, chunked when `chunks` is given. */
function send(options: {
  method?: string;
  body?: string;
  chunks?: string[];
  headers?: Record<string, string>;
}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port, path: "/echo", method: options.method ?? "POST", headers: options.headers },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => {
          body += chunk.toString();
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    if (options.chunks) {
      for (const chunk of options.chunks) req.write(chunk);
      req.end();
    } else req.end(options.body);
  });
}

describe("bodySizeLimit", () => {
  it("lets a body up to the limit through (Content-Length)", async () => {
    const res = await send({ body: "x".repeat(MAX) });
    expect(res).toEqual({ status: 200, body: JSON.stringify({ length: MAX }) });
  });

  it("refuses a body over the limit by its Content-Length", async () => {
    const res = await send({ body: "x".repeat(MAX + 1) });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ code: "PAYLOAD_TOO_LARGE" });
  });

  it("counts a chunked body while it streams: small passes, large is refused", async () => {
    const small = await send({ chunks: ["x".repeat(40), "y".repeat(40)] });
    expect(small).toEqual({ status: 200, body: JSON.stringify({ length: 80 }) });
    const large = await send({ chunks: ["x".repeat(60), "y".repeat(60)] });
    expect(large.status).toBe(413);
    expect(JSON.parse(large.body)).toEqual({ code: "PAYLOAD_TOO_LARGE" });
  });

  it("cannot be fooled by a small Content-Length on a chunked body", async () => {
    // Node refuses both framings on one request (request smuggling) before any handler runs.
    const res = await send({
      chunks: ["x".repeat(60), "y".repeat(60)],
      headers: { "content-length": "5", "transfer-encoding": "chunked" },
    }).catch((error: unknown) => ({ status: 0, body: String(error) }));
    expect(res.status).not.toBe(200);
  });

  it("refuses a malformed Content-Length", async () => {
    const app = new Hono();
    app.onError((error, c) => c.json({ code: isPorticoError(error) ? error.code : "other" }, 413));
    app.use("*", bodySizeLimit({ maxBytes: MAX }));
    app.post("/echo", (c) => c.text("ok"));
    const res = await app.request("/echo", {
      method: "POST",
      body: "abc",
      headers: { "content-length": "3abc" },
    });
    expect(await res.json()).toEqual({ code: "BAD_REQUEST" });
  });

  it("ignores GET requests", async () => {
    expect((await send({ method: "GET" })).status).toBe(200);
  });
});
