import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_ANONYMOUS_LIMITS, withAnonymousLimits } from "../testing/anonymous-limits.js";
import { classicConfig, PORTAL } from "../testing/harness.js";

const CLI = fileURLToPath(new URL("../cli.ts", import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const CLIENTS = 50;

let dir: string;
let child: ChildProcess | undefined;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portico-sigterm-"));
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  await rm(dir, { recursive: true, force: true });
});

/** Starts `portico serve` on a free port and resolves with its URL once it listens. */
async function startServer(): Promise<string> {
  // Fifty clients on one address, on purpose: the anonymous session budgets are not what this measures.
  const yaml = withAnonymousLimits(await classicConfig(), NO_ANONYMOUS_LIMITS);
  await writeFile(path.join(dir, "portico.yaml"), yaml);
  child = spawn(
    process.execPath,
    ["--conditions=source", "--import", TSX, CLI, "serve", "--config", "portico.yaml", "--port", "0"],
    {
      cwd: dir,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child?.stdout?.on("data", onData);
    child?.stderr?.on("data", onData);
    child?.once("exit", (code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });
}

async function session(base: string): Promise<string> {
  const t = await fetch(`${base}/anon/api/v1/tickets/anonymous`, {
    method: "POST",
    headers: { origin: PORTAL },
  });
  const { ticket } = (await t.json()) as { ticket: string };
  const s = await fetch(`${base}/anon/api/v1/sessions`, {
    method: "POST",
    headers: { origin: PORTAL, "content-type": "application/json" },
    body: JSON.stringify({ ticket }),
  });
  if (s.status !== 201) throw new Error(`session: ${s.status}`);
  return ((await s.json()) as { sessionToken: string }).sessionToken;
}

describe("SIGTERM under load", () => {
  it("loses no acknowledged event: every 2xx beacon is in the SQLite file after the server exits", async () => {
    const base = await startServer();
    // One session per client: beacons are rate-limited per session (60 at once, then 10/s).
    const tokens: string[] = [];
    for (let c = 0; c < CLIENTS; c++) tokens.push(await session(base));
    const acknowledged: string[] = [];
    let sent = 0;
    let refused = 0;
    let stop = false;

    const client = async (c: number) => {
      for (let i = 0; !stop; i++) {
        const pageUrl = `${PORTAL}/page/${c}/${i}`;
        sent++;
        try {
          const res = await fetch(`${base}/anon/api/v1/visits/beacon`, {
            method: "POST",
            headers: {
              authorization: `Bearer ${tokens[c]}`,
              "content-type": "application/json",
            },
            body: JSON.stringify({ type: "sheetView", app: "spending", sheet: "overview", pageUrl }),
          });
          await res.arrayBuffer();
          if (res.status >= 200 && res.status < 300) acknowledged.push(pageUrl);
          else refused++;
        } catch {
          // Connection refused or cut: the server is going away. Not acknowledged, so not promised.
          refused++;
          if (child?.exitCode !== null) return;
          await new Promise((r) => setTimeout(r, 5));
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));

    // Let the load build up, then terminate mid-load.
    while (acknowledged.length < 200) await new Promise((r) => setTimeout(r, 10));
    const ackedBeforeSignal = acknowledged.length;
    const exited = once(child as ChildProcess, "exit");
    child?.kill("SIGTERM");
    const [code] = (await exited) as [number | null];
    stop = true;
    await Promise.all(clients);

    expect(code).toBe(0);
    expect(ackedBeforeSignal).toBeGreaterThanOrEqual(200);
    const db = new SQLite(path.join(dir, "data", "portico.db"), { readonly: true });
    const stored = new Set(
      (
        db.prepare("select page_url from visits where type = 'sheetView'").all() as { page_url: string }[]
      ).map((r) => r.page_url),
    );
    db.close();
    const lost = acknowledged.filter((url) => !stored.has(url));
    expect(lost).toEqual([]);
    expect(stored.size).toBeGreaterThanOrEqual(acknowledged.length);
    expect(sent).toBeGreaterThan(acknowledged.length); // some requests met the shutdown
    expect(refused).toBeGreaterThan(0);
  }, 120_000);
});
