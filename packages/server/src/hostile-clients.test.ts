// Issue 19's hostile clients against a real listening server (node.ts), over HTTP: DNS rebinding, /metrics,
// credential guessing, login floods from one IPv6 /64, the headers of a 413, and table sources that try to
// leave the data directory.
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "./node.js";
import { createLogger } from "./ops/create-logger.js";
import { classicConfig, PORTAL, SECRETS, secretHashes } from "./testing/harness.js";

let dir: string;
let server: RunningServer;
const quiet = () => createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });

/** Writes `yaml` as `<name>.yaml` in the temp dir and starts a server on it (any free port, no frame). */
async function start(name: string, yaml: string): Promise<RunningServer> {
  const configPath = path.join(dir, `${name}.yaml`);
  await writeFile(configPath, yaml);
  return startServer({
    configPath,
    port: 0,
    logger: quiet(),
    watch: false,
    frameDir: path.join(dir, "none"),
  });
}

/** The classic configuration behind a trusted proxy on 127.0.0.1, so a test can speak for any client IP. */
async function proxiedConfig(extraServer = ""): Promise<string> {
  return (await classicConfig()).replace(
    "  port: 0\n",
    `  port: 0\n  trustProxy: ["127.0.0.1"]\n${extraServer}`,
  );
}

/** A POST or GET with exactly these headers (a `Host` of our choosing included), over a real socket. */
function raw(
  url: string,
  method: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const from = (ip: string, headers: Record<string, string> = {}) => ({ "x-forwarded-for": ip, ...headers });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portico-hostile-"));
  server = await start(
    "main",
    await proxiedConfig("  credentialFailureLimit: { failures: 3, windowMinutes: 10 }\n"),
  );
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("DNS rebinding: the self origin never comes from Host", () => {
  it("a configuration with an anonymous proxy or an allow list and no server.publicUrl does not start", async () => {
    const yaml = `server: { port: 0 }
virtualProxies:
  - prefix: ""
  - prefix: anon
    anonymousAccess: always
    hostAllowList: []
  - prefix: portal
    hostAllowList: ["${PORTAL}"]
`;
    const started = start("no-public-url", yaml);
    await expect(started).rejects.toMatchObject({ code: "CONFIG_INVALID" });
    const message = ((await started.catch((error: Error) => error)) as Error).message;
    expect(message).toContain("server.publicUrl: required");
    expect(message).toContain('virtualProxies[1] (prefix "anon") has anonymousAccess: always');
    expect(message).toContain('virtualProxies[2] (prefix "portal") has a hostAllowList');
    expect(message).not.toContain("virtualProxies[0]");
  });

  it("a page whose name points at the server (Host and Origin evil.example) gets no ticket and no session on a proxy with an empty allow list", async () => {
    const rebinding = await start(
      "rebinding",
      `server:\n  port: 0\n  publicUrl: http://portico.test\nvirtualProxies:\n  - prefix: ""\n  - prefix: anon\n    anonymousAccess: always\n    hostAllowList: []\n`,
    );
    try {
      const host = `evil.example:${rebinding.port}`;
      const headers = { host, origin: `http://${host}`, "content-type": "application/json" };
      const ticket = await raw(`${rebinding.url}/anon/api/v1/tickets/anonymous`, "POST", headers);
      expect(ticket.status, ticket.body).toBe(403);
      expect(ticket.body).toContain("ORIGIN_NOT_ALLOWED");
      const session = await raw(`${rebinding.url}/anon/api/v1/sessions/anonymous`, "POST", headers, "{}");
      expect(session.status).toBe(403);
      expect(session.body).toContain("ORIGIN_NOT_ALLOWED");
      // The configured public origin is the server's own.
      const own = await raw(`${rebinding.url}/anon/api/v1/tickets/anonymous`, "POST", {
        origin: "http://portico.test",
      });
      expect(own.status).toBe(201);
    } finally {
      await rebinding.close();
    }
  });

  it("without a public URL (no anonymous proxy, no allow list) a rebinding page cannot log in; the server's pages on this machine can", async () => {
    const local = await start(
      "local-only",
      (await classicConfig())
        .replace("  publicUrl: http://portico.test\n", "")
        .replace(/ {2}- prefix: anon[\s\S]*?(?=userDirectories:)/, ""),
    );
    try {
      const body = JSON.stringify({
        userDirectory: "PORTAL",
        userId: "alice",
        password: SECRETS.alicePassword,
      });
      const login = (headers: Record<string, string>) =>
        raw(
          `${local.url}/api/v1/sessions/login`,
          "POST",
          { "content-type": "application/json", ...headers },
          body,
        );
      const host = `evil.example:${local.port}`;
      const evil = await login({ host, origin: `http://${host}` });
      expect(evil.status, evil.body).toBe(403);
      expect(evil.body).toContain("ORIGIN_NOT_ALLOWED");
      expect((await login({ origin: `http://127.0.0.1:${local.port}` })).status).toBe(201);
      expect(
        (await login({ host: `localhost:${local.port}`, origin: `http://localhost:${local.port}` })).status,
      ).toBe(201);
    } finally {
      await local.close();
    }
  });
});

describe("/metrics", () => {
  it("needs the admin key unless server.metrics is public", async () => {
    const anonymous = await fetch(`${server.url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toContain("ADMIN_UNAUTHORIZED");
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: "Bearer ops:wrong" } });
    expect(wrong.status).toBe(401);
    const admin = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ops:${SECRETS.adminKey}` },
    });
    expect(admin.status).toBe(200);
    expect(await admin.text()).toContain("portico_sessions_active");

    const open = await start("metrics-public", await proxiedConfig("  metrics: public\n"));
    try {
      const res = await fetch(`${open.url}/metrics`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain("portico_tickets_issued_total");
    } finally {
      await open.close();
    }
  });
});

describe("credential guessing is limited per client", () => {
  const ticketRequest = (ip: string, secret: string) =>
    fetch(`${server.url}/partner/api/v1/tickets`, {
      method: "POST",
      headers: from(ip, {
        "content-type": "application/json",
        authorization: `Bearer portal-backend:${secret}`,
      }),
      body: JSON.stringify({ userDirectory: "PORTAL", userId: "alice" }),
    });

  it("Ticket API: after 3 failures a client gets 429 with Retry-After, even with the right secret; others and successes are not limited", async () => {
    for (let i = 0; i < 3; i++) expect((await ticketRequest("198.51.100.1", `guess-${i}`)).status).toBe(401);
    const limited = await ticketRequest("198.51.100.1", SECRETS.clientSecret);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await limited.text()).toContain("RATE_LIMITED");
    // Another client, and a backend that only ever sends the right secret, are never limited by it.
    for (let i = 0; i < 6; i++)
      expect((await ticketRequest("198.51.100.2", SECRETS.clientSecret)).status).toBe(201);
    // One IPv6 subscriber is one client, whatever address of its /64 it uses.
    for (let i = 1; i <= 3; i++)
      expect((await ticketRequest(`2001:db8:7:7::${i}`, "guess")).status).toBe(401);
    expect((await ticketRequest("2001:db8:7:7::99", "guess")).status).toBe(429);
  });

  it("admin API: after 3 failures a client gets 429 with Retry-After; another client with the key gets in", async () => {
    const adminRequest = (ip: string, key: string) =>
      fetch(`${server.url}/admin/api/v1/sessions`, {
        headers: from(ip, { authorization: `Bearer ops:${key}` }),
      });
    for (let i = 0; i < 3; i++) expect((await adminRequest("198.51.100.3", `guess-${i}`)).status).toBe(401);
    const limited = await adminRequest("198.51.100.3", SECRETS.adminKey);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await adminRequest("198.51.100.4", SECRETS.adminKey)).status).toBe(200);
    // A request without any credential guesses nothing and is not counted.
    for (let i = 0; i < 5; i++)
      expect(
        (await fetch(`${server.url}/admin/api/v1/sessions`, { headers: from("198.51.100.5") })).status,
      ).toBe(401);
    expect((await adminRequest("198.51.100.5", SECRETS.adminKey)).status).toBe(200);
  });
});

describe("login limits", () => {
  it("count every address of one IPv6 /64 as one client (and another /64 as another)", async () => {
    const login = (ip: string) =>
      fetch(`${server.url}/api/v1/sessions/login`, {
        method: "POST",
        headers: from(ip, { "content-type": "application/json" }),
        body: "{}",
      });
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => login(`2001:db8:1:2::${(i + 1).toString(16)}`)),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses).toContain(429);
    expect(answers.find((res) => res.status === 429)?.headers.get("retry-after")).toBeTruthy();
    // Refused for its missing Origin: past the rate limit.
    expect((await login("2001:db8:1:3::1")).status).toBe(403);
    expect((await login("198.51.100.9")).status).toBe(403);
  });
});

describe("413 answers are API answers", () => {
  it("a body over the limit answers 413 with no-store and nosniff, on a proxy's API and the admin API", async () => {
    const big = "x".repeat(65 * 1024);
    const api = await fetch(`${server.url}/anon/api/v1/sessions`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: PORTAL },
      body: JSON.stringify({ ticket: big }),
    });
    const admin = await fetch(`${server.url}/admin/api/v1/config/streams`, {
      method: "PUT",
      headers: { "content-type": "application/json", authorization: `Bearer ops:${SECRETS.adminKey}` },
      body: JSON.stringify({ streams: "x".repeat(4 * 1024 * 1024 + 1) }),
    });
    for (const res of [api, admin]) {
      expect(res.status, res.url).toBe(413);
      expect(await res.text()).toContain("PAYLOAD_TOO_LARGE");
      expect(res.headers.get("cache-control"), res.url).toBe("no-store");
      expect(res.headers.get("x-content-type-options"), res.url).toBe("nosniff");
    }
  });
});

describe("table sources stay inside the data directory", () => {
  /** A configuration in `<dir>/tables/` with one app per source (and `dataDir` when given). */
  async function tablesConfig(sources: string[], dataDir?: string): Promise<string> {
    const h = await secretHashes();
    const apps = sources.map((source, i) => ({
      id: `app${i}`,
      name: `App ${i}`,
      stream: "s",
      tables: [{ name: "t", source }],
    }));
    return JSON.stringify({
      server: { port: 0 },
      ...(dataDir ? { dataDir } : {}),
      admin: { apiKeys: [{ name: "ops", keyHash: h.admin }] },
      streams: [{ id: "s", name: "S" }],
      apps,
    });
  }
  const startIn = (yaml: string) => start(path.join("tables", "portico"), yaml);
  const failure = (started: Promise<RunningServer>) =>
    started.then(
      async (s) => {
        await s.close();
        throw new Error("the server started");
      },
      (error: unknown) => error as { code: string; message: string },
    );

  beforeAll(async () => {
    await mkdir(path.join(dir, "tables"), { recursive: true });
    await mkdir(path.join(dir, "elsewhere"), { recursive: true });
    await writeFile(path.join(dir, "tables", "inside.csv"), "Region,Amount\nNorth,1\n");
    await writeFile(path.join(dir, "outside.csv"), "Secret,Value\nroot,42\n");
    await writeFile(path.join(dir, "elsewhere", "moved.csv"), "Region,Amount\nSouth,2\n");
    await symlink(path.join(dir, "outside.csv"), path.join(dir, "tables", "escape.csv"));
  });

  it("a source outside (../, an absolute path elsewhere, a symbolic link out of it) stops the start, naming each without the host's paths", async () => {
    const error = await failure(
      startIn(
        await tablesConfig(["inside.csv", "../outside.csv", path.join(dir, "outside.csv"), "escape.csv"]),
      ),
    );
    expect(error.code).toBe("CONFIG_INVALID");
    for (const i of [1, 2, 3]) expect(error.message).toContain(`apps[${i}].tables[0].source: "`);
    expect(error.message).toContain("outside the data directory (dataDir)");
    expect(error.message).not.toContain("apps[0]");
    expect(error.message).not.toContain(dir);
  });

  it("a missing source is named relative to the data directory", async () => {
    const error = await failure(startIn(await tablesConfig(["inside.csv", "sub/missing.csv"])));
    expect(error.code).toBe("DATA_LOAD_FAILED");
    expect(error.message).toContain(`cannot read ${path.join("sub", "missing.csv")}: ENOENT`);
    expect(error.message).not.toContain(dir);
  });

  it("dataDir moves the data directory; the admin API cannot point a table outside it, and its answers show no host path", async () => {
    const running = await startIn(await tablesConfig(["moved.csv"], "../elsewhere"));
    try {
      const admin = { authorization: `Bearer ops:${SECRETS.adminKey}`, "content-type": "application/json" };
      const status = (await (
        await fetch(`${running.url}/admin/api/v1/apps/data`, { headers: admin })
      ).json()) as {
        apps: Array<{ app: string }>;
      };
      expect(status.apps.map((a) => a.app)).toEqual(["app0"]);
      for (const source of ["../tables/inside.csv", path.join(dir, "outside.csv"), "../outside.csv"]) {
        const res = await fetch(`${running.url}/admin/api/v1/config/apps`, {
          method: "PUT",
          headers: admin,
          body: JSON.stringify({
            apps: [{ id: "app0", name: "A", stream: "s", tables: [{ name: "t", source }] }],
          }),
        });
        const text = await res.text();
        expect(res.status, source).toBe(400);
        expect(text).toContain("apps[0].tables[0].source");
        expect(text).not.toContain(dir);
      }
      const missing = await fetch(`${running.url}/admin/api/v1/config/apps`, {
        method: "PUT",
        headers: admin,
        body: JSON.stringify({
          apps: [{ id: "app0", name: "A", stream: "s", tables: [{ name: "t", source: "gone.csv" }] }],
        }),
      });
      expect(missing.status).toBe(400);
      const text = await missing.text();
      expect(text).toContain("cannot read gone.csv: ENOENT");
      expect(text).not.toContain(dir);
    } finally {
      await running.close();
    }
  });
});
