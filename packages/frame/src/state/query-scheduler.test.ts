import {
  MAX_BATCH_QUERIES,
  objectQuery,
  type QueriesResponse,
  type QueryRequest,
  type QueryResult,
  type SheetObjectDef,
} from "@portico/protocol";
import { describe, expect, it, vi } from "vitest";
import { FrameError } from "../errors/frame-error.js";
import { deferred, fakeApi, resultFor } from "../testing/fake-api.js";
import { OVERVIEW } from "../testing/spending-fixture.js";
import { QueryScheduler, resultKey } from "./query-scheduler.js";

function scheduler(api = fakeApi(), objects: SheetObjectDef[] = OVERVIEW.objects) {
  const loaded: Array<FrameError | undefined> = [];
  const selectionEvents: unknown[] = [];
  const queries = new QueryScheduler({
    api: api.api,
    view: {
      appId: "spending",
      objects,
      findObject: (id) => objects.find((o) => o.id === id),
    },
    onChange: vi.fn(),
    onSelections: (s) => selectionEvents.push(s),
    onLoaded: (failed) => loaded.push(failed),
  });
  return { queries, loaded, selectionEvents, ...api };
}

/** The overview sheet's queries: KPI, bar, pie, the filter pane's two fields, line, table (no text). */
const OVERVIEW_QUERIES = 7;

describe("QueryScheduler", () => {
  it("asks every object and filter-pane field of the view in one request, the selections once", async () => {
    const { queries, callsOf, loaded } = scheduler();
    queries.selections = { Region: ["North"] };
    await queries.refresh();
    expect(callsOf("queries")).toHaveLength(1);
    expect(callsOf("query")).toHaveLength(0);
    const [appId, body] = (callsOf("queries")[0]?.args ?? []) as [
      string,
      { selections: unknown; requests: unknown[] },
    ];
    expect(appId).toBe("spending");
    expect(body.selections).toEqual({ Region: ["North"] });
    expect(body.requests).toHaveLength(OVERVIEW_QUERIES);
    expect(body.requests).toContainEqual({ field: "Year", page: { offset: 0, limit: 200 } });
    expect(body.requests).toContainEqual({ object: "detail", page: { offset: 0, limit: 25 } });
    for (const request of body.requests) expect(request).not.toHaveProperty("selections");
    expect(queries.results.get(resultKey("filters", "Region"))).toMatchObject({
      object: 'Region {"Region":["North"]}',
    });
    expect(queries.results.get("total")).toMatchObject({ object: 'total {"Region":["North"]}' });
    expect(queries.results.has("about")).toBe(false);
    expect(loaded).toEqual([undefined]);
  });

  it("asks nothing that a new session's answer carried, and only once", async () => {
    const { queries, callsOf } = scheduler();
    const all = OVERVIEW.objects.flatMap((o) =>
      o.type === "text"
        ? []
        : (o.type === "filterpane" ? (o.fields ?? []) : [undefined]).map((f) => objectQuery(o, f, {})),
    );
    queries.usePrefetched(all.map((request) => ({ request, result: resultFor(request) })));
    await queries.refresh();
    expect(callsOf("queries")).toHaveLength(0);
    expect(queries.results.size).toBe(OVERVIEW_QUERIES);
    // The next load asks the server: the data may have changed since the session began.
    await queries.refresh();
    expect(callsOf("queries")).toHaveLength(1);
  });

  it("asks only what the session's answer did not carry", async () => {
    const { queries, callsOf } = scheduler();
    const kpi = objectQuery(OVERVIEW.objects[0] as SheetObjectDef, undefined, {});
    queries.usePrefetched([{ request: kpi, result: resultFor(kpi) }]);
    await queries.refresh();
    const body = callsOf("queries")[0]?.args[1] as { requests: unknown[] };
    expect(body.requests).toHaveLength(OVERVIEW_QUERIES - 1);
    expect(body.requests).not.toContainEqual({ object: "total" });
  });

  it("a request that fails shows its own error; the other objects their data", async () => {
    const { queries, loaded } = scheduler(
      fakeApi({
        queries: async (_app, body) => ({
          results: body.requests.map((r) =>
            "object" in r && r.object === "trend"
              ? { error: { code: "FORBIDDEN", message: "not yours" } }
              : { result: resultFor(r, body) },
          ),
        }),
      }),
    );
    await queries.refresh();
    const trend = queries.results.get("trend");
    expect(trend).toBeInstanceOf(FrameError);
    expect(trend).toMatchObject({ code: "FORBIDDEN", message: "not yours" });
    expect(queries.results.get("total")).not.toBeInstanceOf(FrameError);
    expect(loaded[0]).toMatchObject({ code: "FORBIDDEN" });
  });

  it("an answer with fewer outcomes, or an unknown code, is an error of those objects alone", async () => {
    const { queries } = scheduler(
      fakeApi({
        queries: async (_app, body) => ({
          results: [
            { error: { code: "<b>", message: "x" } },
            ...body.requests.slice(1, -1).map((r) => ({ result: resultFor(r) })),
          ],
        }),
      }),
    );
    await queries.refresh();
    expect(queries.results.get("total")).toMatchObject({ code: "INTERNAL" });
    expect(queries.results.get("detail")).toMatchObject({ code: "INTERNAL" });
    expect(queries.results.get("trend")).not.toBeInstanceOf(FrameError);
  });

  it("a failed request fails every object of it; a lapsed session is thrown once for the caller", async () => {
    const down = scheduler(
      fakeApi({
        queries: async () => {
          throw new FrameError("UNAVAILABLE", "down", 0);
        },
      }),
    );
    await down.queries.refresh();
    expect(
      [...down.queries.results.values()].every((r) => r instanceof FrameError && r.code === "UNAVAILABLE"),
    ).toBe(true);
    const lapsed = scheduler(
      fakeApi({
        queries: async () => {
          throw new FrameError("SESSION_EXPIRED", "gone", 401);
        },
      }),
    );
    await expect(lapsed.queries.refresh()).rejects.toMatchObject({ code: "SESSION_EXPIRED" });
    expect(lapsed.queries.results.size).toBe(0);
    expect(lapsed.loaded).toEqual([]);
  });

  it("cancels a load a newer one supersedes, and drops its answer", async () => {
    const first = deferred<QueriesResponse>();
    let signal: AbortSignal | undefined;
    const api = fakeApi();
    const { queries, loaded, handlers } = scheduler(api);
    handlers.queries = async (_app, _body, s) => {
      signal = s;
      return first.promise;
    };
    queries.selections = { Year: [2022] };
    const older = queries.refresh();
    handlers.queries = async (_app, body) => ({
      results: body.requests.map((r) => ({ result: resultFor(r, body) })),
    });
    queries.selections = { Year: [2023] };
    const newer = queries.refresh();
    expect(signal?.aborted).toBe(true);
    // The older answer arrives anyway (the server had sent it): it must not replace the newer.
    first.resolve({ results: [] });
    await Promise.all([older, newer]);
    expect(queries.results.get("total")).toMatchObject({ object: 'total {"Year":[2023]}' });
    expect(loaded).toHaveLength(1);
  });

  it("a superseded load that fails (cancelled) neither fails the objects nor throws", async () => {
    const api = fakeApi();
    const { queries, handlers } = scheduler(api);
    handlers.queries = (_app, _body, signal) =>
      new Promise((_resolve, reject) => signal?.addEventListener("abort", () => reject(signal.reason)));
    const older = queries.refresh();
    handlers.queries = async (_app, body) => ({
      results: body.requests.map((r) => ({ result: resultFor(r, body) })),
    });
    await queries.refresh();
    await expect(older).resolves.toBeUndefined();
    expect([...queries.results.values()].some((r) => r instanceof FrameError)).toBe(false);
  });

  it("splits a view larger than one batch into as few requests as the server takes", async () => {
    const many: SheetObjectDef[] = Array.from({ length: MAX_BATCH_QUERIES + 3 }, (_, i) => ({
      id: `kpi${i}`,
      type: "kpi",
      measures: ["Sum(Amount)"],
      position: { col: 0, row: i, width: 1, height: 1 },
    }));
    const { queries, callsOf } = scheduler(fakeApi(), many);
    await queries.refresh();
    expect(callsOf("queries").map((c) => (c.args[1] as { requests: unknown[] }).requests.length)).toEqual([
      MAX_BATCH_QUERIES,
      3,
    ]);
    expect(queries.results.size).toBe(MAX_BATCH_QUERIES + 3);
  });

  it("select, toggle and clear change the selections, tell, and load once each", async () => {
    const { queries, callsOf, selectionEvents } = scheduler();
    expect(await queries.select("Year", [2024, 2024])).toEqual({ Year: [2024] });
    expect(await queries.toggle("Region", "North")).toEqual({ Year: [2024], Region: ["North"] });
    expect(await queries.toggle("Region", "North")).toEqual({ Year: [2024] });
    expect(await queries.clearSelections("Year")).toEqual({});
    expect(await queries.select("Year", [2022])).toEqual({ Year: [2022] });
    expect(await queries.clearSelections()).toEqual({});
    expect(selectionEvents).toHaveLength(6);
    expect(callsOf("queries")).toHaveLength(6);
    expect(callsOf("query")).toHaveLength(0);
  });

  it("pages and sorts one table by asking for that table alone", async () => {
    const { queries, callsOf } = scheduler();
    await queries.refresh();
    await queries.setTable("detail", { offset: 25, sort: { column: 2, descending: true } });
    expect(callsOf("queries")).toHaveLength(1);
    expect(callsOf("query").map((c) => c.args[1])).toEqual([
      {
        object: "detail",
        selections: {},
        page: { offset: 25, limit: 25 },
        sort: { column: 2, descending: true },
      },
    ]);
    expect(queries.results.get("detail")).toMatchObject({ page: { offset: 25 } });
    // The table's state holds for the next load of the view.
    await queries.refresh();
    const body = callsOf("queries")[1]?.args[1] as { requests: unknown[] };
    expect(body.requests).toContainEqual({
      object: "detail",
      page: { offset: 25, limit: 25 },
      sort: { column: 2, descending: true },
    });
  });

  it("a table's page and the view's load cross: neither older answer replaces a newer one", async () => {
    const api = fakeApi();
    const { queries, handlers } = scheduler(api);
    // The view's load is out when the visitor pages the table: the load's page 1 must not win.
    const load = deferred<QueriesResponse>();
    handlers.queries = () => load.promise;
    const refreshing = queries.refresh();
    await queries.setTable("detail", { offset: 25 });
    const body = api.callsOf("queries")[0]?.args[1] as { requests: QueryRequest[] };
    load.resolve({ results: body.requests.map((r) => ({ result: resultFor(r) })) });
    await refreshing;
    expect(queries.results.get("detail")).toMatchObject({ page: { offset: 25 } });
    expect(queries.results.get("total")).not.toBeInstanceOf(FrameError);
    // The visitor pages, then selects before the page arrives: the selections' load answers for the table.
    const page = deferred<QueryResult>();
    handlers.query = () => page.promise;
    handlers.queries = async (_app, b) => ({ results: b.requests.map((r) => ({ result: resultFor(r, b) })) });
    const paging = queries.setTable("detail", { offset: 50 });
    await queries.select("Year", [2024]);
    page.resolve(resultFor({ object: "detail", page: { offset: 50, limit: 25 } }));
    await paging;
    expect(queries.results.get("detail")).toMatchObject({ object: 'detail {"Year":[2024]}' });
  });

  it("getData asks one object; exportData names the file after the object", async () => {
    const { queries, callsOf } = scheduler();
    await expect(queries.getData("filters")).resolves.toMatchObject({ object: "Year {}" });
    expect(callsOf("query")).toHaveLength(1);
    await expect(queries.getData("nope")).rejects.toMatchObject({ code: "OBJECT_NOT_FOUND" });
    await expect(queries.exportData("detail")).resolves.toEqual({
      filename: "Detail.csv",
      mimeType: "text/csv;charset=utf-8",
      content: "a,b\r\n1,2",
    });
    await expect(queries.exportData("filters")).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
