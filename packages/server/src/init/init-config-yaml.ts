import type { SheetObjectDef } from "@portico/protocol";

export interface InitConfig {
  /** The app's id (the snippet's `app` attribute). */
  appId: string;
  appName: string;
  /** The page origin allowed to embed, e.g. `http://localhost:8080`. */
  origin: string;
  port: number;
  /** Table name and its source, relative to the data directory. */
  table: { name: string; source: string };
  /** Top-level `dataDir` when the data lives outside the config file's folder. */
  dataDir?: string;
  objects: SheetObjectDef[];
  /** Where the data came from, for the header comment. */
  sourceNote: string;
}

/** The stream the app is published to, and the prefix of the anonymous proxy. */
export const INIT_STREAM = "public";
export const INIT_PROXY = "anon";
export const INIT_SHEET = "overview";

/** A YAML scalar: JSON's double-quoted strings are valid YAML and escape everything that needs it. */
const q = (value: string) => JSON.stringify(value);

function measureYaml(measure: NonNullable<SheetObjectDef["measures"]>[number]): string {
  if (typeof measure === "string") return q(measure);
  const label = measure.label === undefined ? "" : `, label: ${q(measure.label)}`;
  return `{ expression: ${q(measure.expression)}${label} }`;
}

function objectYaml(o: SheetObjectDef, indent: string): string {
  const lines = [`- id: ${o.id}`, `  type: ${o.type}`];
  if (o.title !== undefined) lines.push(`  title: ${q(o.title)}`);
  if (o.dimensions)
    lines.push(
      `  dimensions: [${o.dimensions.map((d) => q(typeof d === "string" ? d : d.field)).join(", ")}]`,
    );
  if (o.measures) lines.push(`  measures: [${o.measures.map(measureYaml).join(", ")}]`);
  if (o.fields) lines.push(`  fields: [${o.fields.map(q).join(", ")}]`);
  if (o.topN !== undefined) lines.push(`  topN: ${o.topN}`);
  const p = o.position;
  lines.push(`  position: { col: ${p.col}, row: ${p.row}, width: ${p.width}, height: ${p.height} }`);
  return lines.map((line) => indent + line).join("\n");
}

/**
 * The commented `portico.yaml` that `portico init` writes: everything anonymous access needs (an
 * `always` proxy allowing the page's origin, a read rule on the app's stream for anonymous users, a
 * licence rule giving them analyzer capacity), so `portico doctor` passes before any edit.
 */
export function initConfigYaml(c: InitConfig): string {
  const objects = c.objects.map((o) => objectYaml(o, "          ")).join("\n");
  return `# Portico configuration written by \`portico init\` from ${c.sourceNote}.
# Paths are relative to this file. Check it with \`npx portico check\`, see why a visitor would be refused
# with \`npx portico doctor --proxy ${INIT_PROXY} --app ${c.appId}\`, start it with \`npx portico serve\`.
server:
  port: ${c.port}
  # The URL browsers use to reach this server (behind a TLS proxy: https://portico.example.com).
  publicUrl: http://127.0.0.1:${c.port}
# Sessions, visits and signing keys: SQLite beside this file (postgres://... when several nodes share them).
storage: sqlite:./data/portico.db
${c.dataDir === undefined ? "" : `# Table sources are read from this folder only.\ndataDir: ${q(c.dataDir)}\n`}virtualProxies:
  - prefix: "" # the default proxy (/): visitors must log in; nothing is anonymous there
    anonymousAccess: none
    hostAllowList: []
  - prefix: ${INIT_PROXY} # pages embed through /${INIT_PROXY}; visitors never log in
    anonymousAccess: always
    # Exact origins (scheme, host and port) of the pages allowed to embed. Add your site's origin here.
    hostAllowList: [${q(c.origin)}]
streams:
  - id: ${INIT_STREAM}
    name: Public
apps:
  - id: ${c.appId}
    name: ${q(c.appName)}
    stream: ${INIT_STREAM}
    tables:
      - name: ${q(c.table.name)}
        source: ${q(c.table.source)}
    sheets:
      # Chosen from the data's fields: edit titles, fields and measures freely (docs/configuration.md).
      - id: ${INIT_SHEET}
        title: Overview
        objects:
${objects}
securityRules:
  # An app, and each published object in it, is readable wherever its stream is.
  - name: Stream
    resourceFilter: App*
    actions: [read]
    condition: (resource.resourcetype = "App" and resource.stream.HasPrivilege("read")) or (resource.resourcetype = "App.Object" and resource.published = "true" and resource.app.stream.HasPrivilege("read"))
    context: both
  # Anonymous visitors read the ${INIT_STREAM} stream in the hub (the embedded content) and nothing else.
  - name: Anonymous read ${INIT_STREAM}
    resourceFilter: Stream_${INIT_STREAM}
    actions: [read]
    condition: user.IsAnonymous()
    context: hub
  - name: Logged-in read and publish ${INIT_STREAM}
    resourceFilter: Stream_${INIT_STREAM}
    actions: [read, publish]
    condition: "!user.IsAnonymous()"
    context: both
  - name: RootAdmin
    resourceFilter: "*"
    actions: [create, read, update, delete, export, publish, changeowner, changerole, exportdata, accessoffline, distribute, duplicate, approve]
    condition: user.roles = "RootAdmin"
    context: both
licenses:
  # Anonymous visitors never get a named licence: they use capacity, here analyzer minutes (6-minute units
  # while a session is active; the pool resets on the 1st, UTC).
  analyzerCapacity:
    minutesPerMonth: 100000
  rules:
    - name: Anonymous visitors on analyzer capacity
      type: analyzerCapacity
      condition: user.IsAnonymous()
visits:
  ip: truncate # full | truncate | hash | none
  retentionDays: 90
`;
}
