// `npm start`: builds what is needed, writes the demo's synthetic data when it is missing, then starts
// the Portico server (demo/portico.yaml, embedded SQLite) and the demo portal on their own origins.
// Ctrl-C stops both cleanly.
//
// Environment:
//   PORT            Portico's port (4000)           DEMO_PORT   the demo portal's port (5173)
//   PORTICO_BUILD   auto (default): compile TypeScript (incremental) and rebuild the frame and the demo
//                   when missing or older than their sources | missing: compile TypeScript, run the vite
//                   builds only when their output is missing (what the e2e test uses: other tests serve the
//                   frame's dist meanwhile) | never
//   PORTICO_DATA_DIR  where SQLite and the signing keys live (default demo/data, next to the config)
//   PORTICO_TICKET_CLIENT, PORTICO_ADMIN_KEY  the demo backend's credentials (default: the demo's own)
//   PORTICO_DEMO_CONFIG  the configuration to start from (default demo/portico.yaml; the tests point it at
//                   a copy they may edit)
//
// On other ports (or with PORTICO_DATA_DIR) the server runs a derived copy of the configuration in .tmp/;
// the copy is written again whenever the configuration changes, so editing demo/portico.yaml applies live
// as it does on the default ports (the server reloads its file on change).
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  unwatchFile,
  watchFile,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
process.chdir(ROOT);

const DEFAULT_PORT = 4000;
const DEFAULT_DEMO_PORT = 5173;
const DEMO_CONFIG = process.env.PORTICO_DEMO_CONFIG || "demo/portico.yaml";
/** How often the configuration is checked for edits when a derived copy must follow it. */
const CONFIG_POLL_MS = 300;
const CLI = "packages/server/dist/cli.js";
/** A child that ignores SIGTERM this long is killed. */
const STOP_GRACE_MS = 12_000;

const port = portFrom("PORT", DEFAULT_PORT);
const demoPort = portFrom("DEMO_PORT", DEFAULT_DEMO_PORT);
const buildMode = process.env.PORTICO_BUILD ?? "auto";
if (!["auto", "missing", "never"].includes(buildMode)) fail(`PORTICO_BUILD must be auto, missing or never`);

build();
generateSampleData();
const config = demoConfigFile();
const porticoUrl = `http://127.0.0.1:${port}`;
const demoOrigin = `http://localhost:${demoPort}`;

const children = [
  start("portico", "node", [CLI, "serve", "--config", config, "--port", String(port)], {}),
  start("demo", "node", ["demo/server.mjs"], {
    DEMO_PORT: String(demoPort),
    PORTICO_URL: porticoUrl,
    PORTICO_TICKET_CLIENT: process.env.PORTICO_TICKET_CLIENT ?? "portal-backend:demo-portal-secret",
    PORTICO_ADMIN_KEY: process.env.PORTICO_ADMIN_KEY ?? "ops:demo-admin-key",
  }),
];

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  unwatchFile(DEMO_CONFIG);
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  setTimeout(() => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  }, STOP_GRACE_MS).unref();
}
process.on("SIGINT", () => stop(0));
// Never leave a server behind, whatever ends this script.
process.on("exit", () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});
process.on("SIGTERM", () => stop(0));
for (const child of children)
  child.on("exit", (code, signal) => {
    // One side gone means the demo is broken: stop the other too, and say so.
    if (!stopping) console.error(`npm start: ${child.name} stopped (${signal ?? `exit ${code}`})`);
    stop(stopping ? (process.exitCode ?? 0) : 1);
  });

await Promise.all([waitFor(`${porticoUrl}/readyz`), waitFor(`${demoOrigin}/`)]).then(
  () =>
    console.log(
      `\n  Portico server   ${porticoUrl}   (admin API key: ops:demo-admin-key)\n` +
        `  Console          ${porticoUrl}/qmc   (PORTAL\\admin / demo-admin-password)\n` +
        `  Demo portal      ${demoOrigin}/\n\n  Ctrl-C stops both.\n`,
    ),
  (error) => {
    console.error(`npm start: ${error.message}`);
    stop(1);
  },
);

function portFrom(name, fallback) {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 65_535)
    fail(`${name} must be a port 1-65535, got "${text}"`);
  return value;
}

function fail(message) {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: "inherit" });
  if (result.status !== 0) fail(`${cmd} ${args.join(" ")} failed`);
}

function newestMtime(target) {
  if (!existsSync(target)) return 0;
  const info = statSync(target);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target)) {
    if (entry === "node_modules" || entry === "dist") continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

/** True when `output` must be (re)built from `sources` under the current PORTICO_BUILD mode. */
function needsBuild(output, sources) {
  if (!existsSync(output)) return buildMode !== "never";
  if (buildMode !== "auto") return false;
  const built = statSync(output).mtimeMs;
  return sources.some((source) => newestMtime(source) > built);
}

function build() {
  // tsc -b is incremental: it rewrites only what changed, so it is its own freshness check.
  if (buildMode !== "never") run("npx", ["tsc", "-b", "tsconfig.build.json"]);
  if (!existsSync(CLI)) fail(`${CLI} is missing: run \`npm run build\` (or unset PORTICO_BUILD)`);
  const protocol = "packages/protocol/src";
  if (
    needsBuild("packages/frame/dist/embed.html", [
      "packages/frame/src",
      "packages/frame/embed.html",
      "packages/frame/qmc.html",
      protocol,
    ])
  )
    run("npx", ["vite", "build", "--config", "packages/frame/vite.config.ts"]);
  const demoSources = [
    "demo/src",
    "demo/public",
    "demo/index.html",
    "demo/chart.html",
    "demo/hub.html",
    "demo/partner.html",
    "demo/admin.html",
  ];
  if (needsBuild("demo/dist/index.html", [...demoSources, "packages/embed/src", protocol]))
    run("npx", ["vite", "build", "--config", "demo/vite.config.ts"]);
  for (const output of ["packages/frame/dist/embed.html", "demo/dist/index.html"])
    if (!existsSync(output)) fail(`${output} is missing: run \`npm run build\` (or unset PORTICO_BUILD)`);
}

/** The demo apps read synthetic CSVs and city.db under demo/data/; a fresh clone has none (data/ is not committed). */
function generateSampleData() {
  if (existsSync("demo/data/spending.csv") && existsSync("demo/data/city.db")) return;
  run("node", ["packages/engine/scripts/generate-sample-data.mjs", "demo/data"]);
}

/**
 * demo/portico.yaml as is on the default ports. Other ports (or another data directory) need a derived
 * copy: the public URL, the demo origin on the allow lists and the demo's folder as the data directory. The
 * copy keeps the comments and lives in .tmp/, so the committed file never changes; it is derived again on
 * every edit of the configuration (polled: editors that save by renaming are seen too), so the README's
 * "add your origin to demo/portico.yaml" works on any port.
 */
function demoConfigFile() {
  const dataDir = process.env.PORTICO_DATA_DIR;
  if (port === DEFAULT_PORT && demoPort === DEFAULT_DEMO_PORT && !dataDir && !process.env.PORTICO_DEMO_CONFIG)
    return DEMO_CONFIG;
  const data = path.resolve(dataDir ?? path.join("demo", "data"));
  mkdirSync(data, { recursive: true });
  mkdirSync(".tmp", { recursive: true });
  const file = path.join(".tmp", `portico.demo-${port}-${demoPort}.yaml`);
  writeFileSync(file, derivedConfig(readFileSync(DEMO_CONFIG, "utf8"), data));
  watchFile(DEMO_CONFIG, { interval: CONFIG_POLL_MS }, (now, before) => {
    if (now.mtimeMs === before.mtimeMs) return;
    try {
      writeFileSync(file, derivedConfig(readFileSync(DEMO_CONFIG, "utf8"), data));
      console.log(`npm start: ${DEMO_CONFIG} changed; ${file} follows it`);
    } catch (error) {
      // The server keeps its running configuration; the next good edit is taken.
      console.error(`npm start: ${DEMO_CONFIG} could not be read (${error.message}); ${file} kept`);
    }
  });
  return file;
}

/** `yaml` with this run's ports, data directory and demo origin in place of the defaults. */
function derivedConfig(yaml, data) {
  const doc = parseDocument(yaml);
  if (doc.errors.length > 0) throw new Error(doc.errors[0].message);
  const demoDir = path.resolve("demo");
  doc.setIn(["server", "port"], port);
  doc.setIn(["server", "publicUrl"], `http://127.0.0.1:${port}`);
  doc.setIn(["server", "dataDir"], data);
  doc.set("storage", `sqlite:${path.join(data, "portico.db")}`);
  const defaultOrigin = `http://localhost:${DEFAULT_DEMO_PORT}`;
  for (const proxy of doc.get("virtualProxies").items) {
    const list = proxy.get("hostAllowList");
    list?.items.forEach((item, i) => {
      if (String(item.value ?? item) === defaultOrigin) list.set(i, `http://localhost:${demoPort}`);
    });
  }
  // The copy lives in .tmp/: the demo's table sources stay where they are, in the demo's data directory.
  doc.set("dataDir", demoDir);
  return `# Generated by scripts/start.mjs from ${DEMO_CONFIG}, again on every edit of it: edit that file instead.\n${doc}`;
}

function start(name, cmd, args, env) {
  // Their own process group: a terminal's Ctrl-C reaches this script only, which stops each child once
  // (a second signal would cut the server's graceful shutdown short).
  const child = spawn(cmd, args, { stdio: "inherit", env: { ...process.env, ...env }, detached: true });
  child.name = name;
  return child;
}

async function waitFor(url, timeoutMs = 120_000) {
  const started = Date.now();
  for (;;) {
    if (stopping) throw new Error(`stopped before ${url} answered`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeoutMs)
      throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
