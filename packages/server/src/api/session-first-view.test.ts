// A new session may name the view the frame shows first (`view: {sheet?, object?, selections?}` next to
// `app`): the answer then carries that view's first query results, each exactly what `POST /apps/{id}/query`
// answers the new session, and nothing the session may not read.
import {
  firstQueries,
  type HypercubeResult,
  MAX_BATCH_QUERIES,
  type SessionResponse,
} from "@portico/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppsInput, createDataHarness, type DataHarness, dataApps } from "../testing/data-fixture.js";
import { PORTAL, SELF } from "../testing/harness.js";

let h: DataHarness;
beforeAll(async () => {
  h = await createDataHarness();
});
afterAll(async () => h?.close());

/** `POST /anon/api/v1/sessions/anonymous` as Portico's own embed page sends it. */
async function anonymous(body: unknown): Promise<Response> {
  return h.request("/anon/api/v1/sessions/anonymous", h.json("POST", body, { origin: SELF }));
}

async function session(res: Response): Promise<SessionResponse> {
  expect(res.status).toBe(201);
  return (await res.json()) as SessionResponse;
}

/** Every prefetched result against the query route's own answer for the new session. */
async function expectSameAsQueryRoute(app: string, body: SessionResponse): Promise<void> {
  for (const { request, result } of body.results ?? []) {
    const direct = await h.query("anon", app, body.sessionToken, request);
    expect(direct.status, JSON.stringify(request)).toBe(200);
    expect(result, JSON.stringify(request)).toEqual(await direct.json());
  }
}

describe("a new session's first view", () => {
  it("carries the results of the sheet's first queries, as the query route answers them", async () => {
    const body = await session(await anonymous({ app: "sales", view: { sheet: "overview" } }));
    expect(body.app?.id).toBe("sales");
    const requests = (body.results ?? []).map((r) => r.request);
    // The kpi, the bar chart and the filter pane's two list boxes; the text box has no query.
    expect(requests).toEqual(firstQueries(body.app?.sheets[0]?.objects ?? [], {}));
    expect(requests).toHaveLength(4);
    await expectSameAsQueryRoute("sales", body);
  });

  it("takes the first sheet the session may read when none is named, and applies the selections", async () => {
    const selections = { Product: ["Apples"] };
    const body = await session(await anonymous({ app: "sales", view: { selections } }));
    const byRegion = body.results?.find((r) => "object" in r.request && r.request.object === "by-region");
    expect(byRegion?.request).toEqual({ object: "by-region", selections });
    const cube = byRegion?.result as HypercubeResult | undefined;
    expect(cube?.rows.map((r) => r.measures[0])).toEqual([10, 5]);
    await expectSameAsQueryRoute("sales", body);
  });

  it("answers one object's view with that object's query only", async () => {
    const body = await session(await anonymous({ app: "sales", view: { object: "filters" } }));
    expect(body.results?.map((r) => r.request)).toEqual([
      { field: "Region", selections: {}, page: { offset: 0, limit: 200 } },
      { field: "Product", selections: {}, page: { offset: 0, limit: 200 } },
    ]);
    await expectSameAsQueryRoute("sales", body);
  });

  it("carries nothing from a sheet or object the session may not read", async () => {
    for (const view of [{ sheet: "hidden" }, { object: "hidden-kpi" }, { sheet: "no-such-sheet" }]) {
      const body = await session(await anonymous({ app: "sales", view }));
      expect(body.app?.id, JSON.stringify(view)).toBe("sales");
      expect(body.results, JSON.stringify(view)).toEqual([]);
    }
  });

  it("carries no results for an unreadable app, and the same nothing for a missing one", async () => {
    const unreadable = await session(await anonymous({ app: "secret", view: { sheet: "overview" } }));
    const missing = await session(await anonymous({ app: "no-such-app", view: { sheet: "overview" } }));
    for (const body of [unreadable, missing]) {
      expect("app" in body).toBe(false);
      expect("results" in body).toBe(false);
    }
    expect(Object.keys(unreadable).sort()).toEqual(Object.keys(missing).sort());
  });

  it("leaves out a query the route would refuse, and the session stands", async () => {
    const body = await session(
      await anonymous({ app: "sales", view: { sheet: "overview", selections: { Nope: ["x"] } } }),
    );
    expect(body.results).toEqual([]);
    const refused = await h.query("anon", "sales", body.sessionToken, {
      object: "total",
      selections: { Nope: ["x"] },
    });
    expect(refused.status).toBe(404);
    expect((await h.request("/anon/api/v1/hub", h.bearer(body.sessionToken))).status).toBe(200);
  });

  it("comes with a redeemed ticket too, judged for the ticket's user", async () => {
    const ticket = await h.anonymousTicket("anon");
    const res = await h.request(
      "/anon/api/v1/sessions",
      h.json(
        "POST",
        { ticket, origin: PORTAL, app: "sales", view: { sheet: "overview" } },
        { origin: PORTAL },
      ),
    );
    const body = await session(res);
    expect(body.results).toHaveLength(4);
    await expectSameAsQueryRoute("sales", body);
  });

  it("is ignored without an app, and a malformed view is refused before the ticket is spent", async () => {
    const plain = await session(await anonymous({ view: { sheet: "overview" } }));
    expect("results" in plain).toBe(false);
    const ticket = await h.anonymousTicket("anon");
    for (const view of [
      { sheet: 5 },
      { sheet: "" },
      { bogus: true },
      "overview",
      { selections: { A: {} } },
    ]) {
      const res = await h.request(
        "/anon/api/v1/sessions",
        h.json("POST", { ticket, app: "sales", view }, { origin: PORTAL }),
      );
      expect(res.status, JSON.stringify(view)).toBe(400);
    }
    expect((await h.redeem("anon", ticket)).status).toBe(201);
  });
});

describe("a new session's first view of a large sheet", () => {
  const pos = { col: 0, row: 0, width: 6, height: 4 };
  const kpis = (n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => ({
      id: `${prefix}${i}`,
      type: "kpi" as const,
      measures: ["Sum(Amount)"],
      position: pos,
    }));
  let large: DataHarness;
  let authentications = 0;
  beforeAll(async () => {
    large = await createDataHarness(
      (f) => {
        const [sales, ...rest] = dataApps(f);
        const wide = {
          id: "wide",
          title: "Wide",
          objects: [
            ...kpis(15, "kpi-"),
            {
              id: "panes",
              type: "filterpane" as const,
              fields: ["Region", "Product", "Manager"],
              position: pos,
            },
            { id: "words", type: "text" as const, text: "Notes", position: pos },
          ],
        };
        const huge = { id: "huge", title: "Huge", objects: kpis(MAX_BATCH_QUERIES + 6, "k") };
        return [{ ...(sales as AppsInput[number]), sheets: [wide, huge] }, ...rest];
      },
      {
        sessionGates: [
          {
            admit: async () => undefined,
            admitRequest() {
              authentications++;
              return undefined;
            },
          },
        ],
      },
    );
  });
  afterAll(async () => large?.close());

  const open = (sheet: string) =>
    large.request(
      "/anon/api/v1/sessions/anonymous",
      large.json("POST", { app: "sales", view: { sheet } }, { origin: SELF }),
    );

  it("carries a result for every object and filter-pane field, with no request replayed inside", async () => {
    const before = authentications;
    const body = await session(await open("wide"));
    expect(authentications - before).toBe(0);
    const objects = body.app?.sheets.find((s) => s.id === "wide")?.objects ?? [];
    const requests = firstQueries(objects, {});
    // 15 KPIs and the filter pane's three list boxes; the text box has no query.
    expect(requests).toHaveLength(18);
    expect(body.results?.map((r) => r.request)).toEqual(requests);
    for (const { request, result } of body.results ?? []) {
      const direct = await large.query("anon", "sales", body.sessionToken, request);
      expect(result, JSON.stringify(request)).toEqual(await direct.json());
    }
  });

  it("carries at most MAX_BATCH_QUERIES results", async () => {
    const body = await session(await open("huge"));
    expect(body.results).toHaveLength(MAX_BATCH_QUERIES);
    expect(body.results?.map((r) => r.request)).toEqual(
      firstQueries(body.app?.sheets.find((s) => s.id === "huge")?.objects ?? [], {}).slice(
        0,
        MAX_BATCH_QUERIES,
      ),
    );
  });
});
