// The management console on two nodes of one PostgreSQL cluster, with no sticky routing: a sign-in on one
// node is a session on the other, and signing out on either ends it on both.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../node.js";
import { createLogger } from "../ops/create-logger.js";
import { consoleConfig, ROOT_PASSWORD } from "../testing/console-config.js";
import { classicConfig, SELF } from "../testing/harness.js";
import { startPostgres, type TestPostgres } from "../testing/postgres.js";

let dir: string;
let pg: TestPostgres;
const nodes: RunningServer[] = [];
const quiet = () => createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portico-console-cluster-"));
  pg = await startPostgres();
  const yaml = await consoleConfig(
    (await classicConfig()).replace("storage: sqlite:./data/portico.db", `storage: ${pg.url}`),
  );
  for (const name of ["a", "b"]) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "portico.yaml"), yaml);
    nodes.push(
      await startServer({
        configPath: path.join(dir, name, "portico.yaml"),
        port: 0,
        logger: quiet(),
        watch: false,
        frameDir: path.join(dir, "no-frame"),
      }),
    );
  }
}, 60_000);
afterAll(async () => {
  for (const node of nodes.splice(0)) await node.close();
  await pg?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe("console sessions in a cluster", () => {
  it("signs in on one node, works on the other, and signs out everywhere", async () => {
    const [a, b] = nodes as [RunningServer, RunningServer];
    const signIn = await fetch(`${a.url}/qmc/sign-in`, {
      method: "POST",
      headers: { origin: new URL(SELF).origin, "content-type": "application/json" },
      body: JSON.stringify({ userDirectory: "PORTAL", userId: "root", password: ROOT_PASSWORD }),
    });
    expect(signIn.status).toBe(201);
    const cookie = (signIn.headers.get("set-cookie") ?? "").split(";")[0] as string;
    const { csrfToken } = (await signIn.json()) as { csrfToken: string };
    const session = (node: RunningServer) =>
      fetch(`${node.url}/admin/api/v1/console/session`, { headers: { cookie } });

    const onB = await session(b);
    expect(onB.status).toBe(200);
    expect(await onB.json()).toMatchObject({ user: { userId: "root" }, csrfToken });
    const streams = await fetch(`${b.url}/admin/api/v1/config/streams`, { headers: { cookie } });
    expect(streams.status).toBe(200);
    // A change on B with the CSRF token from A's sign-in.
    const out = await fetch(`${b.url}/admin/api/v1/console/session`, {
      method: "DELETE",
      headers: { cookie, origin: new URL(SELF).origin, "x-portico-csrf": csrfToken },
    });
    expect(out.status).toBe(204);
    expect((await session(a)).status).toBe(401);
    expect((await session(b)).status).toBe(401);
  });
});
