import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { fetchAnonymousTicket } from "./anonymous-ticket.js";
import { type PageUrlMode, resolveClientOptions } from "./client-options.js";
import type { EmbedError } from "./embed-error.js";

// A real HTTP server on 127.0.0.1 answering like the Portico ticket endpoint would, one proxy per case.
// (The browser-only CORS refusal path is covered end to end in test/embed-sdk.test.ts.)
let server: Server;
let base: string;
const requests: { method?: string; url?: string; cookie?: string; contentType?: string; body?: string }[] =
  [];

const routes: Record<string, (res: ServerResponse) => void> = {
  "/anon/api/v1/tickets/anonymous": (res) => {
    res.writeHead(201, { "content-type": "application/json" });
    res.end(JSON.stringify({ ticket: "eyJ.ticket", expiresAt: "2026-01-01T00:00:00Z" }));
  },
  "/closed/api/v1/tickets/anonymous": (res) => {
    res.writeHead(403, { "content-type": "application/json" });
    res.end(
      JSON.stringify({ error: { code: "ANONYMOUS_DISABLED", message: "Anonymous access is disabled" } }),
    );
  },
  "/newer/api/v1/tickets/anonymous": (res) => {
    res.writeHead(403, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "A_CODE_ADDED_LATER", message: "Newer server says no" } }));
  },
  "/forged/api/v1/tickets/anonymous": (res) => {
    res.writeHead(403, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "<b>not a code</b>", message: "x" } }));
  },
  "/empty/api/v1/tickets/anonymous": (res) => {
    res.writeHead(201, { "content-type": "application/json" });
    res.end("{}");
  },
  "/broken/api/v1/tickets/anonymous": (res) => {
    res.writeHead(502, { "content-type": "text/html" });
    res.end("<h1>Bad gateway</h1>");
  },
};

beforeAll(async () => {
  server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    for await (const chunk of req) body += String(chunk);
    requests.push({
      method: req.method,
      url: req.url,
      cookie: req.headers.cookie,
      contentType: req.headers["content-type"],
      ...(body ? { body } : {}),
    });
    const route = routes[req.url ?? ""];
    if (route) return route(res);
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const PAGE = "http://localhost:5173/";
const client = (proxy: string, pageUrl: PageUrlMode = "none") =>
  resolveClientOptions({ server: base, proxy, pageUrl }, PAGE);

async function failure(proxy: string): Promise<EmbedError> {
  try {
    await fetchAnonymousTicket(client(proxy), "http://localhost:5173");
  } catch (error) {
    return error as EmbedError;
  }
  throw new Error("expected a failure");
}

describe("fetchAnonymousTicket", () => {
  it("POSTs to the proxy's endpoint without a body (no preflight) and returns the ticket", async () => {
    expect(await fetchAnonymousTicket(client("anon"), "http://localhost:5173")).toBe("eyJ.ticket");
    expect(requests.at(-1)).toEqual({
      method: "POST",
      url: "/anon/api/v1/tickets/anonymous",
      cookie: undefined,
      contentType: undefined,
    });
  });

  it("sends the page's URL as the page-url setting allows, as text/plain (still no preflight)", async () => {
    vi.stubGlobal("location", new URL("http://localhost:5173/library/dash?token=secret#frag"));
    try {
      const sent: Array<string | undefined> = [];
      for (const mode of ["path", "full", "origin", "none"] as const) {
        const before = requests.length;
        await fetchAnonymousTicket(client("anon", mode), "http://localhost:5173");
        expect(requests.length).toBe(before + 1);
        sent.push(requests.at(-1)?.body || undefined);
        if (mode !== "none") expect(requests.at(-1)?.contentType).toBe("text/plain;charset=UTF-8");
      }
      expect(sent).toEqual([
        '{"pageUrl":"http://localhost:5173/library/dash"}',
        '{"pageUrl":"http://localhost:5173/library/dash?token=secret"}',
        '{"pageUrl":"http://localhost:5173"}',
        undefined,
      ]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it("passes the server's error code and message on", async () => {
    expect(await failure("closed")).toMatchObject({
      code: "ANONYMOUS_DISABLED",
      message: "Anonymous access is disabled",
    });
  });

  it("passes a well-formed code this SDK does not know yet; a malformed one is not trusted", async () => {
    expect(await failure("newer")).toMatchObject({
      code: "A_CODE_ADDED_LATER",
      message: "Newer server says no",
    });
    const forged = await failure("forged");
    expect(forged.code).toBe("UNAVAILABLE");
    expect(forged.message).toContain("HTTP 403");
  });

  it("names a missing proxy, an answer without a ticket and a failing gateway", async () => {
    expect((await failure("nowhere")).code).toBe("PROXY_NOT_FOUND");
    expect((await failure("empty")).code).toBe("TICKET_INVALID");
    const broken = await failure("broken");
    expect(broken.code).toBe("UNAVAILABLE");
    expect(broken.message).toContain("HTTP 502");
  });

  it("reports an unreachable server as UNAVAILABLE", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = resolveClientOptions({ server: `http://127.0.0.1:${port}`, proxy: "anon" }, PAGE);
    await expect(fetchAnonymousTicket(unreachable, "http://localhost:5173")).rejects.toMatchObject({
      code: "UNAVAILABLE",
    });
  });
});
