import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "./node.js";
import { createLogger } from "./ops/create-logger.js";
import { classicConfig, EVIL, PORTAL, SELF } from "./testing/harness.js";

let dir: string;
let server: RunningServer;
let bare: RunningServer;
const quiet = () => createLogger({ destination: new Writable({ write: (_c, _e, done) => done() }) });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "portico-node-"));
  const frame = path.join(dir, "frame");
  await mkdir(path.join(frame, "assets"), { recursive: true });
  await writeFile(path.join(frame, "embed.html"), "<!doctype html><title>embed</title>");
  await writeFile(path.join(frame, "hub.html"), "<!doctype html><title>hub</title>");
  await writeFile(path.join(frame, "login.html"), "<!doctype html><title>login</title>");
  await writeFile(path.join(frame, "assets", "app.js"), "export {};");
  await writeFile(path.join(dir, "secret.txt"), "not for the web");
  const configPath = path.join(dir, "portico.yaml");
  await writeFile(configPath, await classicConfig());
  server = await startServer({ configPath, port: 0, logger: quiet(), watch: false, frameDir: frame });
  const bareDir = path.join(dir, "bare");
  await mkdir(bareDir);
  await writeFile(path.join(bareDir, "portico.yaml"), "server: { port: 0 }\n");
  bare = await startServer({
    configPath: path.join(bareDir, "portico.yaml"),
    logger: quiet(),
    watch: false,
    frameDir: path.join(dir, "missing"),
  });
});
afterAll(async () => {
  await server?.close();
  await bare?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("real listening server", () => {
  it("CORS: preflight and response headers echo only an allowed origin", async () => {
    const pre = await fetch(`${server.url}/anon/api/v1/tickets/anonymous`, {
      method: "OPTIONS",
      headers: {
        origin: PORTAL,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe(PORTAL);
    expect(pre.headers.get("access-control-allow-methods")).toContain("POST");
    const evilPre = await fetch(`${server.url}/anon/api/v1/tickets/anonymous`, {
      method: "OPTIONS",
      headers: { origin: EVIL, "access-control-request-method": "POST" },
    });
    expect(evilPre.status).toBe(403);
    expect(evilPre.headers.get("access-control-allow-origin")).toBeNull();

    const ok = await fetch(`${server.url}/anon/api/v1/tickets/anonymous`, {
      method: "POST",
      headers: { origin: PORTAL },
    });
    expect(ok.status).toBe(201);
    expect(ok.headers.get("access-control-allow-origin")).toBe(PORTAL);
    expect(ok.headers.get("vary")).toMatch(/Origin/);
    const evil = await fetch(`${server.url}/anon/api/v1/tickets/anonymous`, {
      method: "POST",
      headers: { origin: EVIL },
    });
    expect(evil.status).toBe(403);
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    expect(ok.headers.get("access-control-allow-origin")).not.toBe("*");
  });

  it("CSP frame-ancestors lists exactly the allow list and 'self' on /embed and /hub; only 'self' when it is empty", async () => {
    const embed = await fetch(`${server.url}/anon/embed?app=spending`);
    expect(embed.status).toBe(200);
    expect(await embed.text()).toContain("<title>embed</title>");
    const csp = embed.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/frame-ancestors 'self' http:\/\/localhost:5173 https:\/\/other.example$/);
    expect(csp).not.toContain(EVIL);
    expect(csp).not.toContain("*");
    expect(csp).toContain("default-src 'self'; script-src 'self'");
    expect(embed.headers.get("x-content-type-options")).toBe("nosniff");
    expect(embed.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(embed.headers.get("x-frame-options")).toBeNull();

    const defaultEmbed = await fetch(`${server.url}/embed`);
    expect(defaultEmbed.headers.get("content-security-policy")).toMatch(/frame-ancestors 'self'(;|$)/);
    const hub = await fetch(`${server.url}/partner/hub`);
    expect(hub.headers.get("content-security-policy")).toContain(
      "frame-ancestors 'self' http://localhost:5173",
    );
  });

  it("/hub?login=1 serves the login form except on an anonymous-only proxy", async () => {
    expect(await (await fetch(`${server.url}/partner/hub?login=1`)).text()).toContain("<title>login</title>");
    expect(await (await fetch(`${server.url}/anon/hub?login=1`)).text()).toContain("<title>hub</title>");
  });

  it("serves built assets, never files outside the frame directory", async () => {
    const js = await fetch(`${server.url}/assets/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toContain("text/javascript");
    expect((await fetch(`${server.url}/anon/assets/app.js`)).status).toBe(200);
    for (const p of [
      "/assets/../secret.txt",
      "/assets/%2e%2e/secret.txt",
      "/assets/..%2fsecret.txt",
      "/assets/%E0%A4%A",
    ]) {
      const res = await fetch(`${server.url}${p}`);
      expect(res.status, p).toBe(404);
      expect(await res.text()).not.toContain("not for the web");
    }
  });

  it("answers 503 with a clear text when the frame is not built", async () => {
    const res = await fetch(`${bare.url}/embed`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain("npm run build");
  });

  it("sets the first-party cookie HttpOnly, SameSite=Lax, scoped to the proxy path, not Secure over http", async () => {
    const t = await fetch(`${server.url}/anon/api/v1/tickets/anonymous`, {
      method: "POST",
      headers: { origin: PORTAL },
    });
    const { ticket } = (await t.json()) as { ticket: string };
    const res = await fetch(`${server.url}/anon/api/v1/sessions`, {
      method: "POST",
      headers: { origin: PORTAL, "content-type": "application/json" },
      body: JSON.stringify({ ticket }),
    });
    expect(res.status).toBe(201);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^X-Portico-Session-anon=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\/anon/);
    expect(cookie).not.toMatch(/Secure/);
  });

  it("creates the signing key file with mode 0600 under the data dir", async () => {
    const keysDir = path.join(dir, "data", "keys");
    const files = (await readdir(keysDir)).filter((f) => f.endsWith(".jwk.json"));
    expect(files).toHaveLength(1);
    expect((await stat(path.join(keysDir, files[0] as string))).mode & 0o777).toBe(0o600);
    const jwks = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as {
      keys: Array<{ kid: string }>;
    };
    expect(`${jwks.keys[0]?.kid}.jwk.json`).toBe(files[0]);
  });

  it("closes gracefully: an in-flight request finishes, then the port is released", async () => {
    const local = await startServer({
      configPath: path.join(dir, "portico.yaml"),
      port: 0,
      logger: quiet(),
      watch: false,
    });
    const body = JSON.stringify({ userId: "alice", password: "wrong" });
    const req = request(`${local.url}/api/v1/sessions/login`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        origin: SELF,
      },
    });
    const response = new Promise<number>((resolve, reject) => {
      req.on("response", (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
    });
    // Half the body is sent: the request is in flight when shutdown starts.
    req.write(body.slice(0, 10));
    await new Promise<void>((resolve) =>
      req.on("socket", (socket) => (socket.connecting ? socket.once("connect", () => resolve()) : resolve())),
    );
    await new Promise((r) => setTimeout(r, 50));
    const closing = local.close();
    req.end(body.slice(10));
    expect(await response).toBe(401);
    await closing;
    await expect(fetch(`${local.url}/healthz`)).rejects.toThrow();
    await local.close();
  });
});
