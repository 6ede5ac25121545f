// The accessibility tests' city (test/a11y-*.test.ts): a spending app with every kind of sheet object — a
// KPI, bars, a donut, a line, a filter pane on two fields and a paged table — and the built-in Visitor
// analytics app for PORTAL\alice, made RootAdmin here. Eight departments, so the bar chart reads as the
// issue's example does: "8 bars, highest Finance $11.2M, lowest Library $4.15M".
import type { SheetObjectDef } from "@portico/protocol";
import { afterAll, beforeAll } from "vitest";
import { ensureFrameBuild } from "./build-bundles.js";
import { type EmbedWorld, useEmbedWorld } from "./embed-world.js";
import { e2eConfig, type PorticoTestServer, startPortico } from "./portico-server.js";

/** Each department's yearly spend, in dollars (the highest first). */
export const DEPARTMENT_SPEND: ReadonlyArray<readonly [string, number]> = [
  ["Finance", 11_200_000],
  ["Police", 9_840_000],
  ["Transport", 8_760_000],
  ["Parks", 7_320_000],
  ["Housing", 6_600_000],
  ["Health", 5_880_000],
  ["Water", 5_040_000],
  ["Library", 4_150_000],
];
export const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
export const FUNDS = ["General", "Capital"];

/** Department x month x fund rows; a department's twelve months and two funds add up to its spend. */
export const CITY_CSV = [
  "Department,Month,Fund,Spend,Payments",
  ...DEPARTMENT_SPEND.flatMap(([department, spend], d) =>
    MONTHS.flatMap((month, m) =>
      FUNDS.map((fund, f) => {
        // General carries 3/4 of a department's spend; months alternate a little around the mean.
        const share = (f === 0 ? 0.75 : 0.25) / 12;
        const wobble = m % 2 === 0 ? 1 + (d + 1) / 100 : 1 - (d + 1) / 100;
        return `${department},${month},${fund},${(spend * share * wobble).toFixed(2)},${10 + d + m + f}`;
      }),
    ),
  ),
].join("\n");

const at = (col: number, row: number, width: number, height: number) => ({ col, row, width, height });
const spend = { expression: "Sum(Spend)", label: "Spend", format: "$,.3s" };

export const CITY_OBJECTS: SheetObjectDef[] = [
  { id: "total", type: "kpi", title: "Total spend", measures: [spend], position: at(0, 0, 8, 3) },
  {
    id: "by-department",
    type: "bar",
    title: "Spend by department",
    dimensions: ["Department"],
    measures: [spend],
    position: at(8, 0, 16, 8),
  },
  {
    id: "by-fund",
    type: "pie",
    title: "Spend by fund",
    dimensions: ["Fund"],
    measures: [spend],
    position: at(0, 3, 8, 8),
  },
  {
    id: "by-month",
    type: "line",
    title: "Spend by month",
    dimensions: ["Month"],
    measures: [spend],
    position: at(8, 8, 16, 8),
  },
  {
    id: "filters",
    type: "filterpane",
    title: "Filters",
    fields: ["Department", "Fund"],
    position: at(0, 11, 8, 9),
  },
  {
    id: "payments",
    type: "table",
    title: "Payments",
    dimensions: ["Department", "Month"],
    measures: [spend, { expression: "Sum(Payments)", label: "Payments" }],
    position: at(8, 16, 16, 10),
  },
];

/** Local user alice's password (test only). */
export { E2E_SECRETS } from "./portico-server.js";

/**
 * The real server with the city app on sheet `overview` (proxies `/anon`, `/partner`, `/closed` of
 * `e2eConfig`, `hostOrigins` on their allow lists), the Visitor analytics app on, and alice RootAdmin.
 */
export async function startCity(hostOrigins: string[]): Promise<PorticoTestServer> {
  const base = await e2eConfig(hostOrigins, { overviewObjects: CITY_OBJECTS });
  const yaml = `${base.replace(/(\n\s+passwordHash: .*\n)/, "$1        roles: [RootAdmin]\n").replace(
    "securityRules:\n",
    `securityRules:
  - name: RootAdmin
    resourceFilter: "*"
    actions: [read, update, exportdata]
    condition: user.roles = "RootAdmin"
    context: both
`,
  )}
visits:
  analyticsApp: true
`;
  if (!yaml.includes("roles: [RootAdmin]")) throw new Error("e2eConfig's local user has changed");
  return startPortico({ yaml, frame: await ensureFrameBuild(), files: { "spending.csv": CITY_CSV } });
}

/**
 * Registers the test file's hooks for the accessibility tests: the embed world with the real frame
 * (`useEmbedWorld`) and the city server for its host page, which starts after the world and stops with it.
 */
export function useCityWorld(): { world: EmbedWorld; city: { server: PorticoTestServer } } {
  const world = useEmbedWorld(ensureFrameBuild);
  const city = {} as { server: PorticoTestServer };
  beforeAll(async () => {
    city.server = await startCity([world.host.origin]);
  });
  afterAll(async () => {
    await city.server?.close();
  });
  return { world, city };
}
