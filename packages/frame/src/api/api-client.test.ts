import { describe, expect, it } from "vitest";
import { FrameError } from "../errors/frame-error.js";
import { createApiClient } from "./api-client.js";

// Pure logic: the fetch function is injected; the browser tests cover real sockets.
function client(responses: Array<Response | Error>, token?: string) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const sleeps: number[] = [];
  const api = createApiClient({
    prefix: "anon",
    getToken: () => token,
    fetch: async (url, init) => {
      calls.push({ url: String(url), init: init ?? {} });
      const next = responses.shift();
      if (!next || next instanceof Error) throw next ?? new TypeError("Failed to fetch");
      return next;
    },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { api, calls, sleeps };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

describe("createApiClient", () => {
  it("sends the token as a Bearer header under the proxy prefix", async () => {
    const { api, calls } = client([json(200, { streams: [] })], "tok");
    await api.hub();
    expect(calls[0]?.url).toBe("/anon/api/v1/hub");
    const headers = calls[0]?.init.headers as Record<string, string>;
    expect(headers.authorization).toBe("Bearer tok");
  });

  it("turns the server's error body into a FrameError with its code", async () => {
    const { api } = client([json(403, { error: { code: "NO_ACCESS_PASS", message: "no pass" } })]);
    await expect(api.createSession("t")).rejects.toMatchObject({ code: "NO_ACCESS_PASS", status: 403 });
  });

  it("does not trust an unknown code from the wire", async () => {
    const { api } = client([json(404, { error: { code: "<script>", message: "x" } })]);
    const error = await api.app("x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FrameError);
    expect((error as FrameError).code).toBe("NOT_FOUND");
  });

  it("retries an unreachable server with growing delays, then gives up with UNAVAILABLE", async () => {
    const { api, calls, sleeps } = client([
      new TypeError("x"),
      new TypeError("x"),
      new TypeError("x"),
      new TypeError("x"),
      new TypeError("x"),
    ]);
    await expect(api.hub()).rejects.toMatchObject({ code: "UNAVAILABLE", status: 0 });
    expect(calls).toHaveLength(5);
    expect(sleeps).toEqual([250, 500, 1000, 2000]);
  });

  it("recovers when the server comes back during the back-off", async () => {
    const { api, calls } = client([new TypeError("x"), json(503, {}), json(200, { streams: [] })]);
    await expect(api.hub()).resolves.toEqual({ streams: [] });
    expect(calls).toHaveLength(3);
  });

  it("waits as long as Retry-After says when the server is busy; a longer wait is answered at once", async () => {
    const busy = new Response(JSON.stringify({ error: { code: "BUSY", message: "busy" } }), {
      status: 503,
      headers: { "content-type": "application/json", "retry-after": "1" },
    });
    const first = client([busy, json(200, { streams: [] })]);
    await expect(first.api.hub()).resolves.toEqual({ streams: [] });
    expect(first.sleeps).toEqual([1000]);
    const stopped = new Response(JSON.stringify({ error: { code: "QUERY_TIMEOUT", message: "too long" } }), {
      status: 503,
      headers: { "content-type": "application/json", "retry-after": "5" },
    });
    const second = client([stopped]);
    await expect(second.api.queries("a", { requests: [] })).rejects.toMatchObject({
      code: "QUERY_TIMEOUT",
      status: 503,
    });
    expect(second.calls).toHaveLength(1);
    expect(second.sleeps).toEqual([]);
  });

  it("pings once, without retries: any answer of the server resolves, none or a gateway's 503 rejects", async () => {
    const { api, calls, sleeps } = client([new TypeError("Failed to fetch"), json(503, {}), json(404, {})]);
    await expect(api.ping()).rejects.toThrow();
    await expect(api.ping()).rejects.toMatchObject({ code: "UNAVAILABLE" });
    await expect(api.ping()).resolves.toBeUndefined();
    expect(calls.map((c) => c.url)).toEqual(Array(3).fill("/anon/api/v1/embed-config"));
    expect(sleeps).toEqual([]);
  });

  it("beacons are best effort: a 404 is ignored", async () => {
    const { api } = client([json(404, { error: { code: "NOT_FOUND", message: "x" } })]);
    await expect(api.beacon({ type: "sheetView", app: "a", sheet: "s" })).resolves.toBeUndefined();
  });

  it("asks a view's queries in one request to the batch route", async () => {
    const results = [{ result: { kind: "hypercube" } }, { error: { code: "FORBIDDEN", message: "no" } }];
    const { api, calls } = client([json(200, { results })], "tok");
    const body = { selections: { Year: [2024] }, requests: [{ object: "a" }, { field: "Year" }] };
    await expect(api.queries("my app", body)).resolves.toEqual({ results });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe("/anon/api/v1/apps/my%20app/queries");
    expect(calls[0]?.init.method).toBe("POST");
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual(body);
  });

  it("a cancelled request fails at once with the abort, without the unreachable server's retries", async () => {
    const controller = new AbortController();
    const { api, calls, sleeps } = client([]);
    controller.abort();
    const error = await api.queries("a", { requests: [] }, controller.signal).catch((e: unknown) => e);
    expect((error as Error).name).toBe("AbortError");
    expect(calls).toHaveLength(0);
    expect(sleeps).toEqual([]);
    const late = new AbortController();
    const aborted = client([]);
    const pending = aborted.api.queries("a", { requests: [] }, late.signal);
    late.abort();
    expect(((await pending.catch((e: unknown) => e)) as Error).name).toBe("AbortError");
    expect(aborted.sleeps).toEqual([]);
  });
});
