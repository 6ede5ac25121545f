import { afterEach, describe, expect, it } from "vitest";
import { classicConfig, PORTAL } from "../testing/harness.js";
import { createVisitHarness, type VisitHarness } from "../testing/visit-harness.js";

let h: VisitHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The frame's redemption of a fresh anonymous ticket, naming the view it opens first. */
async function redeemOpening(v: VisitHarness, view: Record<string, unknown>) {
  const ticket = ((await (await v.anonymousTicket("anon")).json()) as { ticket: string }).ticket;
  return v.request("/anon/api/v1/sessions", v.json("POST", { ticket, ...view }, { origin: PORTAL }));
}

describe("what visit records say about the view and the denial", () => {
  it("a single-object embed's app open names the object", async () => {
    h = await createVisitHarness();
    const res = await redeemOpening(h, { app: "spending", view: { object: "total" } });
    expect(res.status).toBe(201);
    const [open] = await h.events("&type=appOpen");
    expect(open).toMatchObject({ app: "spending", object: "total" });
  });

  it("a licence denial names the app and view the page opened and the rules tried, and why each failed", async () => {
    h = await createVisitHarness(
      await classicConfig(`
licenses:
  loginAccessPasses: 0
  rules:
    - { name: Anonymous passes, type: loginAccessPass, condition: user.IsAnonymous() }
`),
    );
    const res = await redeemOpening(h, { app: "spending", view: { sheet: "overview" } });
    expect(res.status).toBe(403);
    const [denied] = await h.events("&type=denied");
    expect(denied).toMatchObject({
      denialCode: "NO_ACCESS_PASS",
      denialKind: "licence",
      app: "spending",
      sheet: "overview",
      object: null,
      denialDetail: 'rule "Anonymous passes" (loginAccessPass): pool exhausted',
    });
    // The CSV export carries it too.
    const csv = await (
      await h.request("/admin/api/v1/visits/export?type=denied", { headers: h.admin() })
    ).text();
    expect(csv.split("\n")[0]).toContain("denialDetail");
    expect(csv).toContain("pool exhausted");
  });

  it("a rule denial says no security rule lets the visitor read the app", async () => {
    h = await createVisitHarness();
    const token = await h.anonymousSession("anon");
    const res = await h.request("/anon/api/v1/apps/salaries", { headers: h.auth(token) });
    expect(res.status).toBe(404);
    const [denied] = await h.events("&type=denied");
    expect(denied?.denialDetail).toMatch(/^no security rule lets NONE\\anonymous[0-9a-f-]{36} read the app/);
  });
});
