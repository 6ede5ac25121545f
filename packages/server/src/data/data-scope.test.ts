// Data scope follows the sheet rules: a requester may query, select on, search and export only fields that
// appear in objects of sheets it may read. Any other field answers exactly like a field that does not
// exist, wherever it is named, so no answer tells a hidden field from a missing one.
import type { AppDetail, SessionResponse } from "@portico/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDataHarness,
  type DataHarness,
  dataApps,
  dataRules,
  withHiddenField,
} from "../testing/data-fixture.js";
import { SELF } from "../testing/harness.js";

/** Shown only on the sheet anonymous visitors may not read (`withHiddenField`). */
const HIDDEN = "Manager";
/** No table has it; as long as HIDDEN, so the answers' lengths cannot differ either. */
const MISSING = "Managex";

let h: DataHarness;
let anon: string;
beforeAll(async () => {
  h = await createDataHarness((f) => withHiddenField(dataApps(f)), {
    // Anonymous visitors may export here, so an export's selections are judged, not refused before.
    securityRules: [
      ...dataRules(),
      {
        name: "Anonymous export",
        resourceFilter: "App.Object_*",
        actions: ["exportdata"],
        condition: "user.IsAnonymous()",
        context: "hub",
      },
    ],
  });
  anon = await h.anonymous();
});
afterAll(async () => h?.close());

interface Answer {
  status: number;
  headers: [string, string][];
  body: string;
}

async function answerOf(res: Response, name = HIDDEN): Promise<Answer> {
  const headers = [...res.headers.entries()].filter(([key]) => key !== "date");
  return { status: res.status, headers, body: (await res.text()).replaceAll(name, "<name>") };
}

/** `send(name)` for the hidden and the missing name: one answer, the name aside. */
async function expectSameAsMissing(
  send: (name: string) => Response | Promise<Response>,
  hidden = HIDDEN,
  missing = MISSING,
) {
  const got = await answerOf(await send(hidden), hidden);
  expect(got).toEqual(await answerOf(await send(missing), missing));
  return got;
}

const api = (path: string) => `${h.api("anon")}/apps/sales${path}`;
const post = (path: string, body: unknown) =>
  h.request(api(path), h.json("POST", body, { authorization: `Bearer ${anon}` }));

describe("fields outside the readable sheets", () => {
  it("a query of a hidden field is 404 FIELD_NOT_FOUND like a missing one, searched or not", async () => {
    for (const extra of [{}, { search: "A" }, { selections: { Region: ["North"] } }]) {
      const got = await expectSameAsMissing((field) => h.query("anon", "sales", anon, { field, ...extra }));
      expect(got.status).toBe(404);
      expect(JSON.parse(got.body).error.code).toBe("FIELD_NOT_FOUND");
    }
  });

  it("a selection on a hidden field answers like one on a missing field, whatever it selects", async () => {
    for (const values of [["Ann"], ["Bob"], ["no one"], []]) {
      for (const request of [{ object: "by-region" }, { field: "Region" }]) {
        const got = await expectSameAsMissing((name) =>
          h.query("anon", "sales", anon, { ...request, selections: { [name]: values } }),
        );
        expect(got.status).toBe(404);
      }
    }
  });

  it("the batch route answers a hidden field's selections and queries like a missing field's", async () => {
    const got = await expectSameAsMissing((name) =>
      post("/queries", {
        selections: { [name]: ["Ann"] },
        requests: [
          { object: "total" },
          { field: name },
          { field: "Region", selections: { [name]: ["Bob"] } },
        ],
      }),
    );
    expect(got.status).toBe(200);
    const { results } = JSON.parse(got.body) as { results: { error?: { code: string } }[] };
    expect(results.map((r) => r.error?.code)).toEqual([
      "FIELD_NOT_FOUND",
      "FIELD_NOT_FOUND",
      "FIELD_NOT_FOUND",
    ]);
  });

  it("an export's selections (POST body and GET ?selections=) on a hidden field answer like a missing one", async () => {
    const bad = await expectSameAsMissing((name) =>
      post("/objects/by-region/export", { selections: { [name]: ["Ann"] } }),
    );
    expect(bad.status).toBe(404);
    const got = await expectSameAsMissing((name) =>
      h.request(
        api(
          `/objects/by-region/export?format=csv&selections=${encodeURIComponent(JSON.stringify({ [name]: ["Ann"] }))}`,
        ),
        h.bearer(anon),
      ),
    );
    expect(got).toEqual(bad);
    // The export itself works: only the field is out of scope.
    const ok = await post("/objects/by-region/export", { selections: { Product: ["Apples"] } });
    expect(await ok.text()).toBe("Region,Sum(Amount)\r\nNorth,10\r\nSouth,5\r\n");
  });

  it("an export of an object only on a hidden sheet is 404 like a missing object", async () => {
    const got = await expectSameAsMissing(
      (object) => post(`/objects/${object}/export`, {}),
      "hidden-kpi",
      "nosuch-kpi",
    );
    expect(got.status).toBe(404);
  });

  it("the app detail and a new session's app list only the readable fields", async () => {
    const names = (app: AppDetail | undefined) => app?.fields.map((f) => f.name).sort();
    const detail = (await (await h.request(api(""), h.bearer(anon))).json()) as AppDetail;
    expect(names(detail)).toEqual(["Amount", "Product", "Region"]);
    const created = await h.request(
      "/anon/api/v1/sessions/anonymous",
      h.json("POST", { app: "sales" }, { origin: SELF }),
    );
    expect(names(((await created.json()) as SessionResponse).app)).toEqual(["Amount", "Product", "Region"]);
    // A user who may read the hidden sheet sees the field and may query it.
    const alice = await h.alice();
    const full = (await (
      await h.request(`${h.api("partner")}/apps/sales`, h.bearer(alice))
    ).json()) as AppDetail;
    expect(names(full)).toEqual(["Amount", "Manager", "Product", "Region"]);
    expect((await h.query("partner", "sales", alice, { field: HIDDEN })).status).toBe(200);
  });

  it("a new session's first view under a hidden field's selections carries what a missing field's does", async () => {
    const firstView = async (name: string) => {
      const res = await h.request(
        "/anon/api/v1/sessions/anonymous",
        h.json(
          "POST",
          { app: "sales", view: { sheet: "overview", selections: { [name]: ["Ann"] } } },
          { origin: SELF },
        ),
      );
      expect(res.status).toBe(201);
      const body = (await res.json()) as SessionResponse;
      return { results: body.results, fields: body.app?.fields };
    };
    const hidden = await firstView(HIDDEN);
    expect(hidden).toEqual(await firstView(MISSING));
    expect(hidden.results).toEqual([]);
  });
});
