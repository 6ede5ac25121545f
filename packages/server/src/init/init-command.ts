import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { loadTables } from "@portico/engine";
import type { SheetObjectDef } from "@portico/protocol";
import { loadConfigFile } from "../config/load-config.js";
import { sdkDefineUrl } from "../sdk/locate-sdk.js";
import { withVisitorAnalytics } from "../visits/visitor-analytics.js";
import { chooseSheet } from "./choose-sheet.js";
import { INIT_PROXY, INIT_SHEET, initConfigYaml } from "./init-config-yaml.js";
import { sqliteTableToCsv } from "./sqlite-table-csv.js";

export const INIT_USAGE = `portico init (--csv FILE | --sqlite FILE --table T) [--origin URL] [--app ID] [--port N]
             [--config portico.yaml] [--force]
  Writes a working configuration with a first dashboard chosen from the data, then prints the
  <portico-embed> snippet. Asks for what is missing when run in a terminal.
`;

/** The page origin used when none is given and nobody can be asked. */
const DEFAULT_ORIGIN = "http://localhost:8080";
const DEFAULT_PORT = 4000;

export interface InitIo {
  out(text: string): void;
  err(text: string): void;
  /** Asks a question on a terminal; absent when stdin is not one (then nothing is asked). */
  ask?: (question: string) => Promise<string>;
  /** The SDK version the snippet loads from the server (`/sdk/<version>/define.js`); absent: none installed. */
  sdkVersion: string | undefined;
}

/** An origin exactly as a browser sends it: scheme, host and port only. */
function parseOrigin(text: string): string | undefined {
  try {
    const url = new URL(text);
    return (url.protocol === "http:" || url.protocol === "https:") && text.replace(/\/$/, "") === url.origin
      ? url.origin
      : undefined;
  } catch {
    return undefined;
  }
}

/** An app id from a table name: the config's id alphabet, lowercase. */
function appIdOf(name: string): string {
  const id = name
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, "-")
    .replace(/^[^a-z0-9]+|-+$/g, "");
  return id === "" ? "app" : id;
}

function titleOf(name: string): string {
  const words = name.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function describeSheet(objects: SheetObjectDef[]): string {
  const count = (type: string) => objects.filter((o) => o.type === type).length;
  const parts = [`${count("kpi")} KPI${count("kpi") === 1 ? "" : "s"}`];
  for (const o of objects)
    if (o.type === "bar" || o.type === "line") parts.push(`${o.type} chart "${o.title}"`);
  if (count("filterpane") > 0) parts.push("a filter pane");
  parts.push("a table");
  return parts.join(", ");
}

/**
 * `portico init`: a working `portico.yaml` from a CSV file or a SQLite table, then the snippet to paste
 * into a page. Never overwrites a file without `--force`. Exit 0 when written, 1 otherwise.
 */
export async function initCommand(args: string[], io: InitIo): Promise<number> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        csv: { type: "string" },
        sqlite: { type: "string" },
        table: { type: "string" },
        origin: { type: "string" },
        app: { type: "string" },
        port: { type: "string" },
        config: { type: "string", default: "portico.yaml" },
        force: { type: "boolean", default: false },
      },
    }));
  } catch (error) {
    io.err(`portico init: ${(error as Error).message}\n\n${INIT_USAGE}`);
    return 1;
  }
  const fail = (message: string) => {
    io.err(`portico init: ${message}\n`);
    return 1;
  };
  let csv = values.csv as string | undefined;
  let sqlite = values.sqlite as string | undefined;
  let table = values.table as string | undefined;
  let originText = values.origin as string | undefined;
  const force = values.force === true;
  const configFile = path.resolve(values.config as string);
  if (existsSync(configFile) && !force) return fail(`${configFile} exists; pass --force to overwrite it`);

  if (csv === undefined && sqlite === undefined && io.ask) {
    const file = (await io.ask("Data file (a .csv, or a SQLite database): ")).trim();
    if (/\.(db|sqlite3?)$/i.test(file)) sqlite = file;
    else csv = file;
  }
  if (sqlite !== undefined && table === undefined && io.ask) table = (await io.ask("Table: ")).trim();
  if ((csv === undefined) === (sqlite === undefined))
    return fail(`give exactly one of --csv FILE or --sqlite FILE --table T\n\n${INIT_USAGE}`);
  if (sqlite !== undefined && !table) return fail("--sqlite needs --table T");
  if (originText === undefined && io.ask)
    originText =
      (await io.ask(`Origin of the page that will embed the dashboard [${DEFAULT_ORIGIN}]: `)).trim() ||
      DEFAULT_ORIGIN;
  const origin = parseOrigin(originText ?? DEFAULT_ORIGIN);
  if (origin === undefined)
    return fail(`--origin must be an origin such as ${DEFAULT_ORIGIN} (scheme, host, port; no path)`);
  if (values.app !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(values.app as string))
    return fail("--app must start with a letter or digit and use only A-Za-z0-9_.-");
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) return fail("--port must be an integer 1-65535");

  const configDir = path.dirname(configFile);
  await mkdir(configDir, { recursive: true });
  let dataFile: string;
  let tableName: string;
  let note: string;
  if (sqlite !== undefined) {
    tableName = table as string;
    dataFile = path.join(configDir, `${appIdOf(tableName)}.csv`);
    if (existsSync(dataFile) && !force) return fail(`${dataFile} exists; pass --force to overwrite it`);
    const rows = await sqliteTableToCsv(path.resolve(sqlite), tableName, dataFile);
    io.out(`Copied ${rows} rows of ${sqlite} table "${tableName}" to ${dataFile}\n`);
    note = `the SQLite table "${tableName}" of ${path.basename(sqlite)} (copied to ${path.basename(dataFile)})`;
  } else {
    dataFile = path.resolve(csv as string);
    if (!existsSync(dataFile)) return fail(`${csv} does not exist`);
    tableName = path.basename(dataFile).replace(/\.[^.]+$/, "");
    note = path.basename(dataFile);
  }
  // Table sources must lie inside the data directory: the config's folder unless the data lives elsewhere.
  const inside = !path.relative(configDir, dataFile).startsWith("..");
  const dataDir = inside ? undefined : path.dirname(dataFile);
  const source = `./${path
    .relative(dataDir ?? configDir, dataFile)
    .split(path.sep)
    .join("/")}`;

  const model = await loadTables([{ name: tableName, source }], { baseDir: dataDir ?? configDir });
  const objects = chooseSheet(model.fields());
  const appId = (values.app as string | undefined) ?? appIdOf(tableName);
  await writeFile(
    configFile,
    initConfigYaml({
      appId,
      appName: titleOf(tableName),
      origin,
      port,
      table: { name: tableName, source },
      ...(dataDir !== undefined ? { dataDir } : {}),
      objects,
      sourceNote: note,
    }),
  );
  // What init writes must start: a problem here is a bug of init, reported before anyone runs serve.
  await loadConfigFile(configFile, [withVisitorAnalytics]);

  const server = `http://127.0.0.1:${port}`;
  const relative = path.relative(process.cwd(), configFile) || configFile;
  io.out(
    `Wrote ${relative}: app "${appId}", sheet "${INIT_SHEET}" with ${describeSheet(objects)}.

Start the server:

  npx portico serve --config ${relative}

Then put this into a page served from ${origin}:

  ${io.sdkVersion === undefined ? '<script type="module">import "@portico/embed/define";</script> <!-- through your bundler -->' : `<script type="module" src="${sdkDefineUrl(server, io.sdkVersion)}"></script>`}
  <portico-embed server="${server}" proxy="${INIT_PROXY}" app="${appId}" sheet="${INIT_SHEET}" auto-resize></portico-embed>

Check the set-up any time: npx portico doctor --proxy ${INIT_PROXY} --app ${appId} --config ${relative}
`,
  );
  return 0;
}
