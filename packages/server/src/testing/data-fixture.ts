// Test support for the data API (excluded from the build): small known CSV tables in a temp dir and a
// configuration whose apps load them, over the real harness (SQLite file, real engine, real rules).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PorticoConfigInput } from "../config/schema.js";
import {
  createHarness,
  type Harness,
  type HarnessOptions,
  PORTAL,
  SECRETS,
  secretHashes,
} from "./harness.js";

export type AppsInput = NonNullable<PorticoConfigInput["apps"]>;

/** Sales per region and product: North 30, South 12 (Apples 15, Pears 20, Plums 7). */
export const SALES_CSV =
  "Region,Product,Amount\nNorth,Apples,10\nNorth,Pears,20\nSouth,Apples,5\nSouth,Plums,7\n";
/** Associated with sales on Region; East has no sales. */
export const REGIONS_CSV = "Region,Manager\nNorth,Ann\nSouth,Bob\nEast,Cy\n";
/** Labels a spreadsheet or a naive CSV writer would mangle. */
export const LABELS_CSV = [
  "Label,Value",
  '"Smith, John",1',
  '"He said ""hi""",2',
  '"two\nlines",3',
  "=HYPERLINK(1),4",
  "plain,5",
  "",
].join("\n");

export const STREAM_RULE_CONDITION =
  '(resource.resourcetype = "App" and resource.stream.HasPrivilege("read")) or (resource.resourcetype = "App.Object" and resource.published = "true" and resource.app.stream.HasPrivilege("read") and (resource.id != "hidden" or !user.IsAnonymous()))';

export interface DataFixtureFiles {
  dir: string;
  sales: string;
  regions: string;
  labels: string;
}

export async function writeDataFiles(): Promise<DataFixtureFiles> {
  const dir = await mkdtemp(path.join(tmpdir(), "portico-data-"));
  const files = {
    dir,
    sales: path.join(dir, "sales.csv"),
    regions: path.join(dir, "regions.csv"),
    labels: path.join(dir, "labels.csv"),
  };
  await writeFile(files.sales, SALES_CSV);
  await writeFile(files.regions, REGIONS_CSV);
  await writeFile(files.labels, LABELS_CSV);
  return files;
}

/** The `apps` section: `sales` (public stream), `secret` (private stream), `quoting` (public). */
export function dataApps(f: DataFixtureFiles): AppsInput {
  const pos = { col: 0, row: 0, width: 6, height: 4 };
  return [
    {
      id: "sales",
      name: "Sales",
      stream: "public",
      tables: [
        { name: "sales", source: f.sales },
        { name: "regions", source: f.regions },
      ],
      sheets: [
        {
          id: "overview",
          title: "Overview",
          objects: [
            { id: "total", type: "kpi", measures: ["Sum(Amount)"], position: pos },
            {
              id: "by-region",
              type: "bar",
              title: "Sales by region",
              dimensions: ["Region"],
              measures: ["Sum(Amount)"],
              position: pos,
            },
            { id: "filters", type: "filterpane", fields: ["Region", "Product"], position: pos },
            { id: "note", type: "text", text: "Synthetic data", position: pos },
          ],
        },
        {
          id: "hidden",
          title: "Hidden",
          objects: [{ id: "hidden-kpi", type: "kpi", measures: ["Sum(Amount)"], position: pos }],
        },
      ],
    },
    {
      id: "secret",
      name: "Secret",
      stream: "private",
      tables: [{ name: "sales", source: f.sales }],
      sheets: [
        {
          id: "overview",
          title: "Overview",
          objects: [
            {
              id: "by-region",
              type: "bar",
              dimensions: ["Region"],
              measures: ["Sum(Amount)"],
              position: pos,
            },
          ],
        },
      ],
    },
    {
      id: "quoting",
      name: "Quoting",
      stream: "public",
      tables: [{ name: "labels", source: f.labels }],
      sheets: [
        {
          id: "labels",
          title: "Labels",
          objects: [
            { id: "labels", type: "table", dimensions: ["Label"], measures: ["Sum(Value)"], position: pos },
          ],
        },
      ],
    },
  ];
}

/**
 * The fixture's apps with a filter pane `managers` over `Manager` (a field no object of the fixture names)
 * on a sheet of `sales`: on `overview` every reader may query it; on `hidden` anonymous visitors may not.
 */
export function withManagerPane(apps: AppsInput, sheetId: "overview" | "hidden"): AppsInput {
  const [sales, ...rest] = apps as [AppsInput[number], ...AppsInput];
  const pos = { col: 0, row: 0, width: 6, height: 4 };
  const sheets = (sales?.sheets ?? []).map((sheet) =>
    sheet.id === sheetId
      ? {
          ...sheet,
          objects: [
            ...(sheet.objects ?? []),
            { id: "managers", type: "filterpane" as const, fields: ["Manager"], position: pos },
          ],
        }
      : sheet,
  );
  return [{ ...sales, sheets }, ...rest];
}

/** The fixture's apps with `Manager` shown only on the sheet anonymous visitors may not read. */
export function withHiddenField(apps: AppsInput): AppsInput {
  return withManagerPane(apps, "hidden");
}

/** Security rules: anonymous visitors read `public`; logged-in users read everything and may export. */
export function dataRules() {
  return [
    { name: "Stream", resourceFilter: "App*", actions: ["read"], condition: STREAM_RULE_CONDITION },
    {
      name: "Anonymous read public",
      resourceFilter: "Stream_public",
      actions: ["read"],
      condition: "user.IsAnonymous()",
      context: "hub",
    },
    {
      name: "Logged-in read all",
      resourceFilter: "Stream_*",
      actions: ["read"],
      condition: "!user.IsAnonymous()",
    },
    {
      name: "Logged-in export",
      resourceFilter: "App.Object_*",
      actions: ["exportdata"],
      condition: "!user.IsAnonymous()",
      context: "hub",
    },
  ];
}

export async function dataConfig(
  f: DataFixtureFiles,
  apps: unknown = dataApps(f),
  securityRules: unknown[] = dataRules(),
): Promise<string> {
  const h = await secretHashes();
  const config = {
    server: { port: 0, publicUrl: "http://portico.test" },
    // The tables live in the fixture's own temp dir.
    dataDir: f.dir,
    storage: "sqlite:./data/portico.db",
    admin: { apiKeys: [{ name: "ops", keyHash: h.admin }] },
    virtualProxies: [
      { prefix: "", anonymousAccess: "none" },
      { prefix: "anon", anonymousAccess: "always", hostAllowList: [PORTAL] },
      { prefix: "partner", anonymousAccess: "allow", hostAllowList: [PORTAL] },
    ],
    userDirectories: [{ name: "PORTAL", users: [{ userId: "alice", name: "Alice", passwordHash: h.alice }] }],
    streams: [
      { id: "public", name: "Public" },
      { id: "private", name: "Private" },
    ],
    apps,
    securityRules,
  };
  // JSON is YAML: no quoting surprises in rule conditions.
  return JSON.stringify(config, null, 2);
}

export interface DataHarness extends Harness {
  files: DataFixtureFiles;
  /** A session on `/anon` (anonymous). */
  anonymous(): Promise<string>;
  /** A session for PORTAL\alice on `/partner`. */
  alice(): Promise<string>;
  query(prefix: string, app: string, token: string, body: unknown): Promise<Response>;
}

/**
 * The data harness; `apps` replaces the fixture's apps, `options` adds to the harness's, and
 * `options.securityRules` replaces `dataRules()`.
 */
export async function createDataHarness(
  apps?: (f: DataFixtureFiles) => AppsInput,
  { securityRules, ...options }: Omit<HarnessOptions, "appData"> & { securityRules?: unknown[] } = {},
): Promise<DataHarness> {
  const files = await writeDataFiles();
  const h = await createHarness(
    await dataConfig(files, apps ? apps(files) : dataApps(files), securityRules ?? dataRules()),
    { ...options, appData: true },
  );
  const alice = async () => {
    const res = await h.login("partner", {
      userDirectory: "PORTAL",
      userId: "alice",
      password: SECRETS.alicePassword,
    });
    if (res.status !== 201 && res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { sessionToken: string }).sessionToken;
  };
  return {
    ...h,
    files,
    anonymous: () => h.anonymousSession("anon"),
    alice,
    query: async (prefix, app, token, body) =>
      h.request(
        `${h.api(prefix)}/apps/${app}/query`,
        h.json("POST", body, { authorization: `Bearer ${token}` }),
      ),
    async close() {
      await h.close();
      await rm(files.dir, { recursive: true, force: true });
    },
  };
}
