// Test support (excluded from the build): a throwaway PostgreSQL cluster in a temp dir on a free port,
// from the server binaries (PG_BIN, initdb on PATH, or /usr/lib/postgresql/*/bin; CI installs them).
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { openStorage } from "../storage/open-storage.js";
import type { PostgresStorageOptions } from "../storage/postgres-storage.js";
import type { Storage } from "../storage/storage.js";

export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
  /** `pg_ctl restart -m fast`: every connection is terminated, the server is back when this resolves. */
  restart(): void;
  /** Stops every process of the cluster (SIGSTOP): connections stay open and nothing answers. */
  freeze(): void;
  /** Lets a frozen cluster run again (SIGCONT). */
  thaw(): void;
}

function postgresBin(): string {
  const candidates = [
    process.env.PG_BIN,
    ...(existsSync("/usr/lib/postgresql")
      ? readdirSync("/usr/lib/postgresql")
          .sort((a, b) => Number(b) - Number(a))
          .map((v) => `/usr/lib/postgresql/${v}/bin`)
      : []),
    "/usr/local/bin",
    "/usr/bin",
  ];
  for (const dir of candidates) if (dir && existsSync(path.join(dir, "initdb"))) return dir;
  throw new Error(
    "PostgreSQL server binaries are missing: `apt-get install -y postgresql`, or set PG_BIN to the directory holding initdb and pg_ctl",
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** initdb refuses to run as root: run the cluster as the `postgres` system user then. */
function asClusterUser(file: string, args: string[]): void {
  if (process.getuid?.() === 0)
    execFileSync("runuser", ["-u", "postgres", "--", file, ...args], { stdio: "pipe" });
  else execFileSync(file, args, { stdio: "pipe" });
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBin();
  const dir = await mkdtemp(path.join(tmpdir(), "portico-pg-"));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, "data");
  const port = await freePort();
  asClusterUser(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "-A", "trust", "--no-sync"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  asClusterUser(path.join(bin, "pg_ctl"), [
    "-D",
    data,
    "-l",
    path.join(dir, "log"),
    "-w",
    "-o",
    options,
    "start",
  ]);
  const ctl = (...args: string[]) => asClusterUser(path.join(bin, "pg_ctl"), ["-D", data, ...args]);
  /** The postmaster and every process it started. */
  const processes = () => {
    const postmaster = readFileSync(path.join(data, "postmaster.pid"), "utf8").split("\n")[0]!.trim();
    const children = execFileSync("pgrep", ["-P", postmaster]).toString().trim().split("\n").filter(Boolean);
    return [postmaster, ...children];
  };
  const signal = (name: string) => {
    for (const pid of processes()) {
      try {
        process.kill(Number(pid), name);
      } catch {
        // A backend that ended meanwhile.
      }
    }
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    restart: () => ctl("-l", path.join(dir, "log"), "-w", "-m", "fast", "-o", options, "restart"),
    freeze: () => signal("SIGSTOP"),
    thaw: () => signal("SIGCONT"),
    async stop() {
      try {
        signal("SIGCONT");
      } catch {
        // Not running: nothing to let go.
      }
      try {
        asClusterUser(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Several server nodes over one database, for a whole test file: starts a cluster before the file's tests
 * and opens `count` storages on it, each with its own connection pool (as separate nodes have), so their
 * transactions really interleave; closes them and stops the cluster after. The array is filled in
 * `beforeAll`: read it inside tests.
 */
export function postgresNodes(count = 2, options: PostgresStorageOptions = {}): Storage[] {
  const nodes: Storage[] = [];
  let pg: TestPostgres | undefined;
  beforeAll(async () => {
    pg = await startPostgres();
    for (let i = 0; i < count; i++) nodes.push(await openStorage(pg.url, options));
  }, 60_000);
  afterAll(async () => {
    for (const node of nodes.splice(0)) await node.close();
    await pg?.stop();
  });
  return nodes;
}
