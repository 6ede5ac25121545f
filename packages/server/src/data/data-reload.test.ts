import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { AppDetail, HypercubeResult } from "@portico/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createDataHarness,
  type DataHarness,
  dataApps,
  dataConfig,
  writeDataFiles,
} from "../testing/data-fixture.js";
import { createHarness } from "../testing/harness.js";

let h: DataHarness;
let anon: string;
beforeEach(async () => {
  h = await createDataHarness();
  anon = await h.anonymous();
});
afterEach(async () => h?.close());

const errorOf = async (res: Response) =>
  (
    (await res.json()) as {
      error: {
        code: string;
        message: string;
        details?: { issues: Array<{ path: string; message: string }> };
      };
    }
  ).error;
const total = async () => {
  const res = await h.query("anon", "sales", anon, { object: "total" });
  expect(res.status).toBe(200);
  return ((await res.json()) as HypercubeResult).totals[0];
};
const byRegion = async () => {
  const res = await h.query("anon", "sales", anon, {
    object: "by-region",
    selections: { Product: ["Apples"] },
  });
  return ((await res.json()) as HypercubeResult).rows.map((r) => [r.dimensions[0]?.value, r.measures[0]]);
};
const reload = (app: string, headers: Record<string, string> = h.admin()) =>
  h.request(`/admin/api/v1/apps/${app}/reload`, { method: "POST", headers });

describe("POST /admin/api/v1/apps/{id}/reload", () => {
  it("picks up a changed CSV without a restart, and cached results go with the old data", async () => {
    expect(await total()).toBe(42);
    expect(await byRegion()).toEqual([
      ["North", 10],
      ["South", 5],
    ]);
    await writeFile(h.files.sales, "Region,Product,Amount\nNorth,Apples,100\nEast,Apples,1\nSouth,Pears,7\n");
    // Until the reload, the data in memory (and its cached results) stays.
    expect(await total()).toBe(42);
    expect(await byRegion()).toEqual([
      ["North", 10],
      ["South", 5],
    ]);

    const res = await reload("sales");
    expect(res.status).toBe(200);
    const report = (await res.json()) as { app: string; tables: Array<{ name: string; rowCount: number }> };
    expect(report.app).toBe("sales");
    expect(report.tables).toEqual([
      { name: "sales", rowCount: 3, fields: ["Region", "Product", "Amount"] },
      { name: "regions", rowCount: 3, fields: ["Region", "Manager"] },
    ]);
    // The same requests that were cached now answer from the new data.
    expect(await total()).toBe(108);
    expect(await byRegion()).toEqual([
      ["North", 100],
      ["East", 1],
    ]);
  });

  it("requires an admin API key", async () => {
    for (const headers of [
      {},
      { authorization: `Bearer ${anon}` },
      { authorization: "Bearer ops:wrong-key" },
    ] as Array<Record<string, string>>) {
      const res = await reload("sales", headers);
      expect(res.status).toBe(401);
      expect((await errorOf(res)).code).toBe("ADMIN_UNAUTHORIZED");
    }
    // and the anonymous session cannot reach it through a proxy either
    const viaProxy = await h.request("/anon/admin/api/v1/apps/sales/reload", {
      method: "POST",
      ...h.bearer(anon),
    });
    expect(viaProxy.status).toBe(404);
  });

  it("keeps the running data when the source is gone, and says which file", async () => {
    await rm(h.files.sales);
    const res = await reload("sales");
    expect(res.status).toBe(503);
    const error = await errorOf(res);
    expect(error.code).toBe("DATA_LOAD_FAILED");
    expect(error.message).toContain("cannot read sales.csv: ENOENT");
    expect(error.message).not.toContain(h.files.dir);
    expect(await total()).toBe(42);
  });

  it("refuses data that lacks a field an object uses, keeping the running data", async () => {
    await writeFile(h.files.sales, "Region,Product,Revenue\nNorth,Apples,1\n");
    const res = await reload("sales");
    expect(res.status).toBe(503);
    const error = await errorOf(res);
    expect(error.code).toBe("DATA_LOAD_FAILED");
    expect(error.message).toContain(
      'apps[0].sheets[0].objects[0].measures[0]: line 1, column 1: unknown field "Amount"',
    );
    expect(await total()).toBe(42);
  });

  it("is 404 for an unknown app and lists what is loaded", async () => {
    expect((await reload("no-such-app")).status).toBe(404);
    const status = await h.request("/admin/api/v1/apps/data", { headers: h.admin() });
    const body = (await status.json()) as { apps: Array<{ app: string; fields: number }> };
    expect(body.apps.map((a) => [a.app, a.fields])).toEqual([
      ["sales", 4],
      ["secret", 3],
      ["quoting", 2],
    ]);
  });
});

describe("configuration changes", () => {
  const putApps = (apps: unknown) =>
    h.request("/admin/api/v1/config/apps", h.json("PUT", { apps }, h.admin()));

  it("a change to an app's tables loads the new source (relative to the data directory)", async () => {
    await writeFile(path.join(h.files.dir, "more-sales.csv"), "Region,Product,Amount\nNorth,Apples,1000\n");
    const apps = dataApps(h.files);
    apps[0]!.tables = [
      { name: "sales", source: "./more-sales.csv" },
      { name: "regions", source: h.files.regions },
    ];
    const res = await putApps(apps);
    expect(res.status).toBe(200);
    expect(await total()).toBe(1000);
  });

  it("an object referencing an unknown field is refused with its precise path; the running config stays", async () => {
    const apps = dataApps(h.files);
    apps[0]!.sheets![0]!.objects![1]!.measures = ["Sum(Amount) - Sum(Amout)"];
    apps[2]!.sheets![0]!.objects![0]!.dimensions = ["Lable"];
    const res = await putApps(apps);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.details?.issues.map((i) => i.path)).toEqual([
      "apps[0].sheets[0].objects[1].measures[0]",
      "apps[2].sheets[0].objects[0].dimensions[0]",
    ]);
    expect(error.message).toContain(
      'apps[0].sheets[0].objects[1].measures[0]: line 1, column 15: unknown field "Amout"',
    );
    expect(error.message).toContain('apps[2].sheets[0].objects[0].dimensions[0]: unknown field "Lable"');
    expect(await total()).toBe(42);
  });

  it("a bad measure expression is refused with line and column before any data is read", async () => {
    const apps = dataApps(h.files);
    apps[0]!.sheets![0]!.objects![1]!.measures = ["Sum(Amount"];
    const res = await putApps(apps);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.details?.issues[0]?.path).toBe("apps[0].sheets[0].objects[1].measures[0]");
    expect(error.details?.issues[0]?.message).toMatch(/^line 1, column 11: .+\nSum\(Amount\n {10}\^$/);
  });

  it("a new table source that cannot be read is refused, naming the file", async () => {
    const apps = dataApps(h.files);
    apps[0]!.tables![0]!.source = "./missing.csv";
    const res = await putApps(apps);
    expect(res.status).toBe(400);
    const error = await errorOf(res);
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.details?.issues[0]?.path).toBe("apps[0].tables");
    // Named relative to the data directory: an answer never tells where the server keeps its files.
    expect(error.message).toContain("cannot read missing.csv: ENOENT");
    expect(error.message).not.toContain(h.files.dir);
    expect(await total()).toBe(42);
  });

  it("a removed app's data is dropped", async () => {
    const res = await putApps(dataApps(h.files).filter((a) => a.id !== "quoting"));
    expect(res.status).toBe(200);
    const status = (await (await h.request("/admin/api/v1/apps/data", { headers: h.admin() })).json()) as {
      apps: Array<{ app: string }>;
    };
    expect(status.apps.map((a) => a.app)).toEqual(["sales", "secret"]);
  });
});

describe("start", () => {
  it("fails with DATA_LOAD_FAILED naming the missing file", async () => {
    const files = await writeDataFiles();
    await rm(files.labels);
    const error = await createHarness(await dataConfig(files), { appData: true }).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(error?.code).toBe("DATA_LOAD_FAILED");
    expect(error?.message).toContain('apps[2] (app "quoting")');
    expect(error?.message).toContain("cannot read labels.csv: ENOENT");
    expect(error?.message).not.toContain(files.dir);
    await rm(files.dir, { recursive: true, force: true });
  });

  it("fails with CONFIG_INVALID when an object names a field the tables lack", async () => {
    const files = await writeDataFiles();
    const apps = dataApps(files);
    apps[1]!.sheets![0]!.objects![0]!.dimensions = ["Product", "Colour"];
    const error = await createHarness(await dataConfig(files, apps), { appData: true }).then(
      () => undefined,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(error?.code).toBe("CONFIG_INVALID");
    expect(error?.message).toContain('apps[1].sheets[0].objects[0].dimensions[1]: unknown field "Colour"');
    await rm(files.dir, { recursive: true, force: true });
  });

  it("an app without tables has no fields and its queries answer 503 DATA_LOAD_FAILED", async () => {
    const apps = [
      ...dataApps(h.files),
      { id: "empty", name: "Empty", stream: "public", tables: [], sheets: [] },
    ];
    expect((await putApps(apps)).status).toBe(200);
    const detail = (await (await h.request("/anon/api/v1/apps/empty", h.bearer(anon))).json()) as AppDetail;
    expect(detail.fields).toEqual([]);
    const res = await h.query("anon", "empty", anon, { field: "Region" });
    expect(res.status).toBe(503);
    expect(await errorOf(res)).toEqual({ code: "DATA_LOAD_FAILED", message: "This app has no data" });
  });

  function putApps(apps: unknown) {
    return h.request("/admin/api/v1/config/apps", h.json("PUT", { apps }, h.admin()));
  }
});
