// A beacon about a sheet or object the session may not read answers exactly like one about a missing
// sheet or object, and records nothing: beacons must not confirm hidden ids nor log events about them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classicConfig } from "../testing/harness.js";
import { createVisitHarness, type VisitHarness } from "../testing/visit-harness.js";

/** `spending` gains a sheet `hidden` (object `hidden-kpi`) that anonymous visitors may not read. */
async function hiddenSheetConfig(): Promise<string> {
  const yaml = (await classicConfig())
    .replace(
      'resource.app.stream.HasPrivilege("read"))',
      'resource.app.stream.HasPrivilege("read") and (resource.id != "hidden" or !user.IsAnonymous()))',
    )
    .replace(
      "  - id: salaries\n",
      `      - id: hidden
        title: Hidden
        objects:
          - id: hidden-kpi
            type: kpi
            measures: ["Sum(Amount)"]
            position: { col: 0, row: 0, width: 6, height: 3 }
  - id: salaries
`,
    );
  if (!yaml.includes("hidden-kpi") || !yaml.includes('resource.id != "hidden"'))
    throw new Error("the classic config changed: adapt hiddenSheetConfig");
  return yaml;
}

let h: VisitHarness;
let anon: string;
beforeAll(async () => {
  h = await createVisitHarness(await hiddenSheetConfig());
  anon = await h.anonymousSession();
});
afterAll(async () => h?.close());

async function answer(token: string, body: unknown, prefix = "anon") {
  const res = await h.beacon(prefix, token, body);
  return { status: res.status, body: await res.text() };
}

describe("beacons about hidden sheets and objects", () => {
  it.each([
    ["a sheet view of a hidden sheet", { sheet: "hidden" }, { sheet: "made-up" }],
    ["an object on a hidden sheet", { object: "hidden-kpi" }, { object: "made-up" }],
    [
      "an object of a readable sheet named with a hidden one",
      { sheet: "hidden", object: "total" },
      { sheet: "made-up", object: "total" },
    ],
  ])("answers %s exactly like a missing one and records nothing", async (_, hidden, missing) => {
    const before = (await h.events()).length;
    const type = "object" in hidden ? "export" : "sheetView";
    const got = await answer(anon, { type, app: "spending", ...hidden });
    expect(got).toEqual(await answer(anon, { type, app: "spending", ...missing }));
    expect(got.status).toBe(404);
    expect(await h.events()).toHaveLength(before);
  });

  it("still records beacons about what the session may read, and a user who may read the sheet", async () => {
    const before = (await h.events()).length;
    expect((await answer(anon, { type: "sheetView", app: "spending", sheet: "overview" })).status).toBe(204);
    expect((await answer(anon, { type: "export", app: "spending", object: "total" })).status).toBe(204);
    const alice = await h.userSession("partner", "PORTAL", "alice");
    expect(
      (await answer(alice, { type: "sheetView", app: "spending", sheet: "hidden" }, "partner")).status,
    ).toBe(204);
    expect(
      (await answer(alice, { type: "export", app: "spending", object: "hidden-kpi" }, "partner")).status,
    ).toBe(204);
    const sheets = (await h.events()).slice(before).filter((e) => e.type !== "sessionStart");
    expect(sheets.map((e) => [e.type, e.sheet ?? e.object])).toEqual([
      ["sheetView", "overview"],
      ["export", "total"],
      ["sheetView", "hidden"],
      ["export", "hidden-kpi"],
    ]);
  });
});
