import type { AppDetail, FieldStatesResult, HypercubeResult } from "@portico/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDataHarness,
  type DataHarness,
  dataApps,
  dataRules,
  withManagerPane,
} from "../testing/data-fixture.js";

let h: DataHarness;
let anon: string;
let alice: string;
beforeAll(async () => {
  // A readable filter pane shows Manager, so every reader may query and select on it.
  h = await createDataHarness((f) => withManagerPane(dataApps(f), "overview"));
  anon = await h.anonymous();
  alice = await h.alice();
});
afterAll(async () => h?.close());

const errorOf = async (res: Response) =>
  ((await res.json()) as { error: { code: string; message: string } }).error;
const rowsOf = (cube: HypercubeResult) =>
  cube.rows.map((r) => [...r.dimensions.map((d) => d.value), ...r.measures]);
const statesOf = (result: FieldStatesResult) =>
  Object.fromEntries(result.values.map((v) => [v.value, v.state]));

describe("POST /{P}/api/v1/apps/{id}/query", () => {
  it("sums a measure per dimension value, with totals", async () => {
    const res = await h.query("anon", "sales", anon, { object: "by-region" });
    expect(res.status).toBe(200);
    const cube = (await res.json()) as HypercubeResult;
    expect(cube.kind).toBe("hypercube");
    expect(rowsOf(cube)).toEqual([
      ["North", 30],
      ["South", 12],
    ]);
    expect(cube.totals).toEqual([42]);
  });

  it("applies selections, including through an associated table", async () => {
    const apples = (await (
      await h.query("anon", "sales", anon, { object: "by-region", selections: { Product: ["Apples"] } })
    ).json()) as HypercubeResult;
    expect(rowsOf(apples)).toEqual([
      ["North", 10],
      ["South", 5],
    ]);
    // Manager lives in the regions table: selecting Bob selects South in sales.
    const bob = (await (
      await h.query("anon", "sales", anon, { object: "total", selections: { Manager: ["Bob"] } })
    ).json()) as HypercubeResult;
    expect(bob.totals).toEqual([12]);
  });

  it("returns field states: selected, possible, excluded and alternative", async () => {
    const product = (await (
      await h.query("anon", "sales", anon, {
        field: "Product",
        selections: { Product: ["Apples"], Region: ["South"] },
      })
    ).json()) as FieldStatesResult;
    expect(product.kind).toBe("field");
    expect(statesOf(product)).toEqual({ Apples: "selected", Plums: "alternative", Pears: "excluded" });

    const region = (await (
      await h.query("anon", "sales", anon, { field: "Region", selections: { Product: ["Apples"] } })
    ).json()) as FieldStatesResult;
    expect(statesOf(region)).toEqual({ North: "possible", South: "possible", East: "excluded" });
  });

  it("GET /apps/{id} lists the fields of the loaded model", async () => {
    const res = await h.request("/anon/api/v1/apps/sales", h.bearer(anon));
    const app = (await res.json()) as AppDetail;
    expect(app.fields.map((f) => f.name).sort()).toEqual(["Amount", "Manager", "Product", "Region"]);
    expect(app.fields.find((f) => f.name === "Region")).toMatchObject({
      type: "text",
      cardinality: 3,
      tables: ["sales", "regions"],
    });
    expect(app.fields.find((f) => f.name === "Amount")?.type).toBe("number");
  });

  it("an unreadable app is 404 APP_NOT_FOUND exactly like a nonexistent one", async () => {
    const body = { object: "by-region" };
    const unreadable = await h.query("anon", "secret", anon, body);
    const missing = await h.query("anon", "no-such-app", anon, body);
    expect(unreadable.status).toBe(404);
    expect(missing.status).toBe(404);
    expect([...unreadable.headers.entries()]).toEqual([...missing.headers.entries()]);
    const text = await unreadable.text();
    expect(text).toBe(await missing.text());
    expect(JSON.parse(text).error.code).toBe("APP_NOT_FOUND");
    // Even a bad body cannot tell them apart.
    const a = await h.query("anon", "secret", anon, { nonsense: true });
    const b = await h.query("anon", "no-such-app", anon, { nonsense: true });
    expect([a.status, await a.text()]).toEqual([b.status, await b.text()]);
    expect(a.status).toBe(404);
    // The app exists, for someone allowed.
    expect((await h.query("partner", "secret", alice, body)).status).toBe(200);
  });

  it("an object on a sheet the user may not read is 404 like a missing object", async () => {
    const hidden = await h.query("anon", "sales", anon, { object: "hidden-kpi" });
    const missing = await h.query("anon", "sales", anon, { object: "no-such-object" });
    expect(hidden.status).toBe(404);
    expect((await errorOf(hidden)).code).toBe("OBJECT_NOT_FOUND");
    expect(missing.status).toBe(404);
    expect((await errorOf(missing)).code).toBe("OBJECT_NOT_FOUND");
    // The sheet is hidden from the app detail too, and readable for a logged-in user.
    const detail = (await (await h.request("/anon/api/v1/apps/sales", h.bearer(anon))).json()) as AppDetail;
    expect(detail.sheets.map((s) => s.id)).toEqual(["overview"]);
    expect((await h.query("partner", "sales", alice, { object: "hidden-kpi" })).status).toBe(200);
  });

  it("unknown fields are 404 FIELD_NOT_FOUND, also in selections", async () => {
    for (const body of [{ field: "Nope" }, { object: "by-region", selections: { Nope: ["x"] } }]) {
      const res = await h.query("anon", "sales", anon, body);
      expect(res.status).toBe(404);
      expect((await errorOf(res)).code).toBe("FIELD_NOT_FOUND");
    }
  });

  it("objects without a hypercube are refused with 400", async () => {
    for (const object of ["note", "filters"]) {
      const res = await h.query("anon", "sales", anon, { object });
      expect(res.status).toBe(400);
      expect((await errorOf(res)).code).toBe("BAD_REQUEST");
    }
  });

  it("bad request bodies are 400 VALIDATION_FAILED naming the member", async () => {
    const cases: Array<[unknown, string]> = [
      [{}, "(root)"],
      [[], "(root)"],
      [{ object: 1 }, "object"],
      [{ object: "by-region", field: "Region" }, "(root)"],
      [{ object: "by-region", selections: { Region: "North" } }, "selections.Region"],
      [{ object: "by-region", selections: { Region: [{ a: 1 }] } }, "selections.Region[0]"],
      [{ object: "by-region", page: { offset: -1, limit: 10 } }, "page.offset"],
      [{ object: "by-region", sort: { column: "x" } }, "sort.column"],
      [{ object: "by-region", selection: { Region: ["North"] } }, "(root)"],
      [{ field: "Region", search: 5 }, "search"],
    ];
    for (const [body, path] of cases) {
      const res = await h.query("anon", "sales", anon, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = await errorOf(res);
      expect(error.code, JSON.stringify(body)).toBe("VALIDATION_FAILED");
      expect(error.message.startsWith(`${path}: `), `${JSON.stringify(body)} -> ${error.message}`).toBe(true);
    }
    const notJson = await h.request(
      "/anon/api/v1/apps/sales/query",
      h.json("POST", undefined, { authorization: `Bearer ${anon}` }),
    );
    expect(notJson.status).toBe(400);
    const broken = await h.request("/anon/api/v1/apps/sales/query", {
      method: "POST",
      headers: { authorization: `Bearer ${anon}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(broken.status).toBe(400);
    expect((await errorOf(broken)).code).toBe("BAD_REQUEST");
  });

  it("requires a session", async () => {
    for (const auth of [{}, { authorization: "Bearer forged-token" }] as Array<Record<string, string>>) {
      const res = await h.request(
        "/anon/api/v1/apps/sales/query",
        h.json("POST", { object: "by-region" }, auth),
      );
      expect(res.status).toBe(401);
      expect((await errorOf(res)).code).toBe("UNAUTHENTICATED");
    }
  });
});

describe("GET|POST /{P}/api/v1/apps/{id}/objects/{objectId}/export", () => {
  const exportUrl = (prefix: string, app: string, object: string, query = "format=csv") =>
    `${h.api(prefix)}/apps/${app}/objects/${object}/export?${query}`;

  it("is 403 EXPORT_FORBIDDEN without the exportdata action", async () => {
    const res = await h.request(exportUrl("anon", "sales", "by-region"), h.bearer(anon));
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe("EXPORT_FORBIDDEN");
  });

  it("is still 404 APP_NOT_FOUND, identical to a nonexistent app, when the app is unreadable", async () => {
    const unreadable = await h.request(exportUrl("anon", "secret", "by-region"), h.bearer(anon));
    const missing = await h.request(exportUrl("anon", "no-such-app", "by-region"), h.bearer(anon));
    expect(unreadable.status).toBe(404);
    expect([...unreadable.headers.entries()]).toEqual([...missing.headers.entries()]);
    expect(await unreadable.text()).toBe(await missing.text());
    // and an object on an unreadable sheet is a 404, not a 403 that would confirm it exists
    const hidden = await h.request(exportUrl("partner", "sales", "hidden-kpi"), h.bearer(alice));
    expect(hidden.status).toBe(200);
    const hiddenAnon = await h.request(exportUrl("anon", "sales", "hidden-kpi"), h.bearer(anon));
    expect(hiddenAnon.status).toBe(404);
  });

  it("streams an RFC 4180 CSV attachment when a rule grants exportdata, under the selections", async () => {
    const res = await h.request(exportUrl("partner", "sales", "by-region"), h.bearer(alice));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="sales-by-region.csv"');
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.text()).toBe("Region,Sum(Amount)\r\nNorth,30\r\nSouth,12\r\n");

    const selections = encodeURIComponent(JSON.stringify({ Product: ["Apples"] }));
    const get = await h.request(
      exportUrl("partner", "sales", "by-region", `format=csv&selections=${selections}`),
      h.bearer(alice),
    );
    expect(await get.text()).toBe("Region,Sum(Amount)\r\nNorth,10\r\nSouth,5\r\n");
    const post = await h.request(
      exportUrl("partner", "sales", "by-region"),
      h.json("POST", { selections: { Manager: ["Ann"] } }, { authorization: `Bearer ${alice}` }),
    );
    expect(await post.text()).toBe("Region,Sum(Amount)\r\nNorth,30\r\n");
  });

  it("quotes commas, quotes and line breaks, and neutralises formulas", async () => {
    const res = await h.request(exportUrl("partner", "quoting", "labels"), h.bearer(alice));
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.startsWith("Label,Sum(Value)\r\n")).toBe(true);
    const lines = text.slice("Label,Sum(Value)\r\n".length);
    // Row order is the object's default order; compare as a set of records.
    const expected = [
      '"Smith, John",1\r\n',
      '"He said ""hi""",2\r\n',
      '"two\nlines",3\r\n',
      "'=HYPERLINK(1),4\r\n",
      "plain,5\r\n",
    ];
    for (const record of expected) expect(lines).toContain(record);
    expect(lines.length).toBe(expected.join("").length);
  });

  it("a rule change granting exportdata takes effect without a restart", async () => {
    const before = await h.request(exportUrl("anon", "sales", "total"), h.bearer(anon));
    expect(before.status).toBe(403);
    const rules = [
      ...dataRules(),
      {
        name: "Anonymous export of the total",
        resourceFilter: "App.Object_total",
        actions: ["exportdata"],
        condition: "user.IsAnonymous()",
        context: "hub",
      },
    ];
    const put = await h.request(
      "/admin/api/v1/config/securityRules",
      h.json("PUT", { securityRules: rules }, h.admin()),
    );
    expect(put.status).toBe(200);
    const after = await h.request(exportUrl("anon", "sales", "total"), h.bearer(anon));
    expect(after.status).toBe(200);
    expect(await after.text()).toBe("Sum(Amount)\r\n42\r\n");
    // only that object
    expect((await h.request(exportUrl("anon", "sales", "by-region"), h.bearer(anon))).status).toBe(403);
    await h.request(
      "/admin/api/v1/config/securityRules",
      h.json("PUT", { securityRules: dataRules() }, h.admin()),
    );
  });

  it("refuses unknown formats, bad selections and objects without data", async () => {
    const xlsx = await h.request(exportUrl("partner", "sales", "by-region", "format=xlsx"), h.bearer(alice));
    expect(xlsx.status).toBe(400);
    expect((await errorOf(xlsx)).code).toBe("VALIDATION_FAILED");
    const badJson = await h.request(
      exportUrl("partner", "sales", "by-region", "selections=%7Bnope"),
      h.bearer(alice),
    );
    expect(badJson.status).toBe(400);
    expect((await errorOf(badJson)).code).toBe("VALIDATION_FAILED");
    const badShape = await h.request(
      exportUrl("partner", "sales", "by-region"),
      h.json("POST", { selections: { Region: "North" } }, { authorization: `Bearer ${alice}` }),
    );
    expect(badShape.status).toBe(400);
    expect((await errorOf(badShape)).code).toBe("VALIDATION_FAILED");
    const unknownField = await h.request(
      exportUrl("partner", "sales", "by-region", `selections=${encodeURIComponent('{"Nope":["x"]}')}`),
      h.bearer(alice),
    );
    expect(unknownField.status).toBe(404);
    expect((await errorOf(unknownField)).code).toBe("FIELD_NOT_FOUND");
    const note = await h.request(exportUrl("partner", "sales", "note"), h.bearer(alice));
    expect(note.status).toBe(400);
  });
});
