// docs/deployment.md's systemd unit and nginx site, checked as far as this machine allows: against the CLI
// always (the command, its options, the environment variable, the stop signal, the paths the service may
// write), with `systemd-analyze verify` and `nginx -t` where those programs are installed (.ci/run installs
// them; `npm test` does not, since neither is needed to run Portico: a missing one is skipped with the reason
// in the log).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { ROOT } from "./support/build-bundles.js";

const DOC = readFileSync(path.join(ROOT, "docs/deployment.md"), "utf8");
const BIN = path.join(ROOT, "packages/server/bin/portico.js");
const work = mkdtempSync(path.join(tmpdir(), "portico-deploy-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The fenced blocks of one language, in document order. */
const blocks = (lang: string) =>
  [...DOC.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\``, "gm"))].map((m) => m[1] ?? "");

/** A unit file's `Key=value` lines by section (repeated keys keep every value). */
function parseUnit(text: string): Map<string, Array<[string, string]>> {
  const sections = new Map<string, Array<[string, string]>>();
  let current: Array<[string, string]> | undefined;
  for (const line of text.split("\n").map((l) => l.trim())) {
    if (line === "" || line.startsWith("#")) continue;
    const section = /^\[(\w+)\]$/.exec(line);
    if (section) {
      current = [];
      sections.set(section[1] as string, current);
    } else {
      const at = line.indexOf("=");
      current?.push([line.slice(0, at), line.slice(at + 1)]);
    }
  }
  return sections;
}

const UNIT_TEXT = blocks("ini")[0] ?? "";
const UNIT = parseUnit(UNIT_TEXT);
const service = (key: string) => (UNIT.get("Service") ?? []).filter(([k]) => k === key).map(([, v]) => v);
/** The YAML block right after the unit: the configuration the service runs with. */
const SERVICE_CONFIG = parseYaml(
  DOC.slice(DOC.indexOf(UNIT_TEXT)).match(/```yaml\n([\s\S]*?)```/)?.[1] ?? "",
) as {
  server: { port: number; host: string; dataDir: string; trustProxy: string[] };
  storage: string;
};

function cli(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: work,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, PORTICO_CONFIG: "", ...env },
  });
}

const has = (program: string) => spawnSync("sh", ["-c", `command -v ${program}`]).status === 0;

/**
 * Whether `programs` are all installed; if not, says in the log which check is skipped and how to get them
 * (.ci/run installs them on a fresh Debian machine; `npm test` elsewhere does not install them for you).
 */
function installed(check: string, programs: string[], packages: string): boolean {
  const missing = programs.filter((p) => !has(p));
  if (missing.length > 0)
    console.log(
      `deployment-docs: ${check} skipped: ${missing.join(" and ")} not installed (apt-get install -y ${packages})`,
    );
  return missing.length === 0;
}

describe("docs/deployment.md: the systemd unit", { timeout: 60_000 }, () => {
  it("starts the installed package's bin with commands and options the CLI has", () => {
    const usage = cli(["--help"]).stdout;
    for (const line of [...service("ExecStartPre"), ...service("ExecStart")]) {
      const [node, bin, command, ...options] = line.split(/\s+/);
      expect(node, line).toMatch(/^\/.*\/node$/);
      // The path `npm install @portico/server` gives the bin named in the package's manifest.
      const manifest = JSON.parse(readFileSync(path.join(ROOT, "packages/server/package.json"), "utf8"));
      expect(bin).toBe(
        path.posix.join(
          service("WorkingDirectory")[0] ?? "",
          "node_modules/@portico/server",
          manifest.bin.portico,
        ),
      );
      const usageLine = usage.split("\n").find((l) => l.trim().startsWith(`${command} `)) ?? "";
      expect(usageLine, `${command} is a command`).not.toBe("");
      for (const option of options.filter((o) => o.startsWith("--")))
        expect(usageLine, line).toContain(`[${option} `);
    }
    expect(service("ExecStart")[0]).toContain(
      `serve --host ${SERVICE_CONFIG.server.host} --port ${SERVICE_CONFIG.server.port}`,
    );
  });

  it("names the configuration through PORTICO_CONFIG, which every command reads", () => {
    const env = Object.fromEntries(service("Environment").map((e) => e.split("=", 2) as [string, string]));
    expect(env.PORTICO_CONFIG).toBe("/etc/portico/portico.yaml");
    // The service's configuration, with its absolute paths moved into a scratch folder.
    const config = path.join(work, "portico.yaml");
    writeFileSync(
      config,
      `${DOC.slice(DOC.indexOf(UNIT_TEXT)).match(/```yaml\n([\s\S]*?)```/)?.[1]}`.replaceAll(
        "/var/lib/portico",
        work,
      ),
    );
    const check = cli(["check"], { PORTICO_CONFIG: config });
    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toContain(`${config}: OK`);
  });

  it("stops with the signal serve handles, leaving it time to finish requests; writes only where the data lives", () => {
    expect(service("KillSignal")).toEqual(["SIGTERM"]);
    expect(readFileSync(path.join(ROOT, "packages/server/src/cli.ts"), "utf8")).toContain(
      'process.on("SIGTERM"',
    );
    const grace = Number(
      /SHUTDOWN_GRACE_MS = ([\d_]+)/
        .exec(readFileSync(path.join(ROOT, "packages/server/src/node.ts"), "utf8"))?.[1]
        ?.replaceAll("_", ""),
    );
    expect(Number(service("TimeoutStopSec")[0]) * 1000).toBeGreaterThan(grace);
    const writable = `/var/lib/${service("StateDirectory")[0]}`;
    expect(service("ReadWritePaths")).toEqual([writable]);
    expect(SERVICE_CONFIG.server.dataDir).toBe(writable);
    expect(path.dirname(SERVICE_CONFIG.storage.replace(/^sqlite:/, ""))).toBe(writable);
  });

  it.runIf(installed("systemd-analyze verify", ["systemd-analyze"], "systemd"))(
    "systemd-analyze verify accepts it",
    () => {
      const dir = mkdtempSync(path.join(work, "unit-"));
      // verify checks that ExecStart's program exists: this machine's node stands in for /usr/bin/node.
      writeFileSync(
        path.join(dir, "portico.service"),
        UNIT_TEXT.replaceAll("/usr/bin/node", process.execPath),
      );
      const r = spawnSync("systemd-analyze", ["verify", "--man=no", path.join(dir, "portico.service")], {
        encoding: "utf8",
      });
      expect(r.status, r.stderr).toBe(0);
    },
  );
});

describe("docs/deployment.md: the nginx site", () => {
  const site = blocks("nginx")[0] ?? "";
  const proxyConfig = parseYaml(
    DOC.match(/## Behind a reverse proxy[\s\S]*?```yaml\n([\s\S]*?)```/)?.[1] ?? "",
  ) as {
    server: { port: number; trustProxy: string[]; forwardedHeader: string };
  };

  it("forwards to the port Portico listens on, from an address it trusts, in the header it reads", () => {
    const [, host, port] = /proxy_pass http:\/\/([\d.]+):(\d+);/.exec(site) ?? [];
    expect(Number(port)).toBe(proxyConfig.server.port);
    expect(proxyConfig.server.trustProxy).toContain(host);
    expect(site).toContain(
      `proxy_set_header ${proxyConfig.server.forwardedHeader.replace(/\b\w/g, (c) => c.toUpperCase())} $remote_addr;`,
    );
    expect(site).toMatch(/listen 443 ssl/);
    expect(site).toMatch(/return 301 https:\/\/\$host\$request_uri;/);
  });

  it.runIf(installed("nginx -t", ["nginx", "openssl"], "nginx openssl"))("nginx -t accepts it", () => {
    const dir = mkdtempSync(path.join(work, "nginx-"));
    const [cert, key] = [path.join(dir, "cert.pem"), path.join(dir, "key.pem")];
    const ssl = spawnSync("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=portico.example.com",
      "-keyout",
      key,
      "-out",
      cert,
    ]);
    expect(ssl.status).toBe(0);
    writeFileSync(
      path.join(dir, "portico.conf"),
      site
        .replace(/ssl_certificate\s+\S+;/, `ssl_certificate ${cert};`)
        .replace(/ssl_certificate_key\s+\S+;/, `ssl_certificate_key ${key};`),
    );
    writeFileSync(
      path.join(dir, "nginx.conf"),
      `pid ${dir}/nginx.pid;\nerror_log stderr;\nevents {}\nhttp {\n  include ${dir}/portico.conf;\n}\n`,
    );
    const r = spawnSync("nginx", ["-t", "-e", "stderr", "-p", dir, "-c", path.join(dir, "nginx.conf")], {
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
  });
});
