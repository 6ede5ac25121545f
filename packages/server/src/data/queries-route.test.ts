// `POST /{P}/api/v1/apps/{id}/queries`: every query of a view in one request, each answered exactly as
// `POST /apps/{id}/query` answers it alone, in order, with one session check for the whole batch.
import { MAX_BATCH_QUERIES, type QueriesResponse, type QueryRequest } from "@portico/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionGate } from "../sessions/session-gate.js";
import { createDataHarness, type DataHarness, dataApps, withHiddenField } from "../testing/data-fixture.js";

let h: DataHarness;
let anon: string;
let authentications = 0;
/** Runs on every authentication of a live session (the licence re-check's hook). */
const counting: SessionGate = {
  admit: async () => undefined,
  admitRequest() {
    authentications++;
    return undefined;
  },
};
beforeAll(async () => {
  h = await createDataHarness((f) => withHiddenField(dataApps(f)), { sessionGates: [counting] });
  anon = await h.anonymous();
});
afterAll(async () => h?.close());

async function batch(app: string, body: unknown, token = anon, prefix = "anon"): Promise<Response> {
  return h.request(
    `${h.api(prefix)}/apps/${app}/queries`,
    h.json("POST", body, { authorization: `Bearer ${token}` }),
  );
}

/** The single route's answer to `request`, as a batch outcome. */
async function alone(app: string, request: unknown) {
  const res = await h.query("anon", app, anon, request);
  const body = (await res.json()) as { error?: { code: string; message: string } };
  return res.status === 200 ? { result: body } : { error: body.error };
}

describe("POST /{P}/api/v1/apps/{id}/queries", () => {
  it("answers every request in order, each as the query route does, failures included", async () => {
    const requests: unknown[] = [
      { object: "by-region" },
      { object: "no-such-object" },
      { field: "Product", selections: { Region: ["South"] } },
      { object: "hidden-kpi" },
      { object: "note" },
      { field: "Nope" },
      { object: "total", selections: { Nope: ["x"] } },
      { object: "total" },
    ];
    const res = await batch("sales", { requests });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as QueriesResponse;
    expect(results).toHaveLength(requests.length);
    for (const [i, request] of requests.entries())
      expect(results[i], JSON.stringify(request)).toEqual(await alone("sales", request));
    expect(results.map((r) => ("error" in r ? r.error.code : r.result.kind))).toEqual([
      "hypercube",
      "OBJECT_NOT_FOUND",
      "field",
      "OBJECT_NOT_FOUND",
      "BAD_REQUEST",
      "FIELD_NOT_FOUND",
      "FIELD_NOT_FOUND",
      "hypercube",
    ]);
  });

  it("applies the batch's selections to every request without its own; a request's own win", async () => {
    const res = await batch("sales", {
      selections: { Product: ["Apples"] },
      requests: [{ object: "total" }, { object: "total", selections: { Product: ["Pears"] } }],
    });
    const { results } = (await res.json()) as QueriesResponse;
    expect(results[0]).toEqual(
      await alone("sales", { object: "total", selections: { Product: ["Apples"] } }),
    );
    expect(results[1]).toEqual(await alone("sales", { object: "total", selections: { Product: ["Pears"] } }));
    expect(
      results.map((r) => ("result" in r && r.result.kind === "hypercube" ? r.result.totals : r)),
    ).toEqual([[15], [20]]);
  });

  it("answers a field used only on a sheet the session may not read as the query route does", async () => {
    const request = { field: "Manager" };
    const { results } = (await (await batch("sales", { requests: [request] })).json()) as QueriesResponse;
    expect(results).toEqual([await alone("sales", request)]);
  });

  it("is one 404 for an unreadable or missing app, identical to the query route's", async () => {
    const body = { requests: [{ object: "by-region" }] };
    const unreadable = await batch("secret", body);
    const missing = await batch("no-such-app", body);
    const single = await h.query("anon", "secret", anon, { object: "by-region" });
    expect(unreadable.status).toBe(404);
    expect([...unreadable.headers.entries()]).toEqual([...missing.headers.entries()]);
    const text = await unreadable.text();
    expect(text).toBe(await missing.text());
    expect(text).toBe(await single.text());
    // A bad body changes nothing: the app is judged first.
    expect((await batch("secret", { requests: [] })).status).toBe(404);
  });

  it("refuses an empty batch, one over MAX_BATCH_QUERIES and a bad member, naming the path", async () => {
    const refused = async (body: unknown) => {
      const res = await batch("sales", body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      return ((await res.json()) as { error: { code: string; message: string } }).error;
    };
    expect(await refused({ requests: [] })).toMatchObject({
      code: "VALIDATION_FAILED",
      message: expect.stringMatching(/^requests: /),
    });
    const over = Array.from({ length: MAX_BATCH_QUERIES + 1 }, () => ({ object: "total" }));
    expect(await refused({ requests: over })).toMatchObject({
      code: "VALIDATION_FAILED",
      message: expect.stringMatching(/^requests: .*64/),
    });
    expect(
      await refused({ requests: [{ object: "total" }, { field: "Region", selections: { A: [{}] } }] }),
    ).toMatchObject({
      code: "VALIDATION_FAILED",
      message: expect.stringMatching(/^requests\[1\]\.selections\.A\[0\]: /),
    });
    expect(await refused({ requests: [{ object: "total", field: "Region" }] })).toMatchObject({
      message: expect.stringMatching(/^requests\[0\]: /),
    });
    expect(await refused({ request: [{ object: "total" }] })).toMatchObject({ code: "VALIDATION_FAILED" });
    const full = Array.from({ length: MAX_BATCH_QUERIES }, (): QueryRequest => ({ object: "total" }));
    expect((await batch("sales", { requests: full })).status).toBe(200);
  });

  it("authenticates the session once for the whole batch", async () => {
    const requests = [
      { object: "total" },
      { object: "by-region" },
      { field: "Region" },
      { field: "Product" },
    ];
    const before = authentications;
    expect((await batch("sales", { requests })).status).toBe(200);
    expect(authentications - before).toBe(1);
  });

  it("needs a session", async () => {
    const res = await h.request(
      "/anon/api/v1/apps/sales/queries",
      h.json("POST", { requests: [{ object: "total" }] }),
    );
    expect(res.status).toBe(401);
  });
});
