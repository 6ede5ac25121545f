import { afterEach, describe, expect, it } from "vitest";
import { classicConfig, createHarness, type Harness } from "../testing/harness.js";
import { doctorCommand } from "./doctor-command.js";
import type { DoctorReport } from "./run-doctor.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The classic case: the budget stream is visible to anonymous users, but licences only cover named users. */
const CLASSIC_LICENSES = `
licenses:
  loginAccessPasses: 10
  rules:
    - name: Portal users
      type: loginAccessPass
      condition: user.userDirectory = "PORTAL"
`;

/** The CLI function, on the harness clock (the pools it reads were filled at harness time). */
async function runCli(args: string[]) {
  let out = "";
  let err = "";
  const clock = h ? h.clock : Date.now;
  const code = await doctorCommand(args, { out: (t) => (out += t), err: (t) => (err += t) }, clock);
  return { code, out, err };
}

async function doctor(harness: Harness, body: unknown): Promise<DoctorReport> {
  const res = await harness.request("/admin/api/v1/doctor", harness.json("POST", body, harness.admin()));
  expect(res.status).toBe(200);
  return (await res.json()) as DoctorReport;
}

describe("portico doctor", () => {
  it("reproduces the classic case: stream visible, app refused for lack of a licence rule", async () => {
    h = await createHarness(await classicConfig(CLASSIC_LICENSES));
    // What the visitor meets: the session is refused for lack of an access pass.
    const refused = await h.redeem("anon", await h.anonymousTicket("anon"));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("NO_ACCESS_PASS");

    const report = await doctor(h, { proxy: "anon", app: "spending" });
    expect(report.ok).toBe(false);
    expect(report.failing).toEqual(["license"]);
    expect(report.user).toMatch(/^NONE\\anonymous/);
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(byId.proxy?.ok).toBe(true);
    expect(byId.stream).toMatchObject({ ok: true, rules: ["Anonymous read budget stream"] });
    expect(byId.app).toMatchObject({ ok: true, rules: ["Stream"] });
    expect(byId.license).toMatchObject({ ok: false, rules: ["Portal users"] });
    expect(byId.license?.detail).toContain('rule "Portal users" (loginAccessPass): condition false');
    expect(byId.license?.fix).toContain('condition: "user.IsAnonymous()"');

    const cli = await runCli(["--config", h.configPath, "--proxy", "anon", "--app", "spending"]);
    expect(cli.code).toBe(2);
    expect(cli.out).toContain("[PASS] 1. The virtual proxy allows anonymous access");
    expect(cli.out).toContain("[FAIL] 2. A licence rule gives the visitor an access pass");
    expect(cli.out).toContain("[PASS] 3. The app's stream is readable in hub context");
    expect(cli.out).toContain("[PASS] 4. The app is readable");
    expect(cli.out).toContain("fix: add a licence rule for anonymous users");
    expect(cli.out.trimEnd().split("\n").at(-1)).toBe("Result: FAIL — failing requirement: licence rule");
  });

  it("passes once a licence rule for anonymous users is added (live), and the CLI exits 0", async () => {
    h = await createHarness(await classicConfig(CLASSIC_LICENSES));
    const put = await h.request(
      "/admin/api/v1/config/licenses",
      h.json(
        "PUT",
        {
          licenses: {
            loginAccessPasses: 10,
            rules: [{ name: "Anonymous access", type: "loginAccessPass", condition: "user.IsAnonymous()" }],
          },
        },
        h.admin(),
      ),
    );
    expect(put.status).toBe(200);
    const report = await doctor(h, { proxy: "anon", app: "spending" });
    expect(report).toMatchObject({ ok: true, failing: [] });
    expect(report.checks.find((c) => c.id === "license")?.rules).toEqual(["Anonymous access"]);
    const cli = await runCli(["--config", h.configPath, "--proxy", "anon", "--app", "spending", "--json"]);
    expect(cli.code).toBe(0);
    expect((JSON.parse(cli.out) as DoctorReport).ok).toBe(true);
    // The doctor consumed nothing.
    const usage = (await (
      await h.request("/admin/api/v1/licenses/usage", { headers: h.admin() })
    ).json()) as {
      loginAccessPasses: { used: number };
    };
    expect(usage.loginAccessPasses.used).toBe(0);
  });

  it("names an exhausted pool with the fix, reading the live pool from storage", async () => {
    h = await createHarness(
      await classicConfig(`
licenses:
  loginAccessPasses: 1
  rules:
    - { name: Anonymous access, type: loginAccessPass, condition: user.IsAnonymous() }
`),
    );
    await h.anonymousSession("anon");
    const cli = await runCli(["--config", h.configPath, "--proxy", "anon", "--app", "spending"]);
    expect(cli.code).toBe(2);
    expect(cli.out).toContain('rule "Anonymous access" (loginAccessPass): pool exhausted');
    expect(cli.out).toContain("fix: raise licenses.loginAccessPasses (now 1)");
  });

  it("names a full pool of anonymous seats, and frees the seat when its session ends", async () => {
    h = await createHarness(
      await classicConfig(`
licenses:
  anonymousCapacity: { maxConcurrentSessions: 1 }
  rules:
    - { name: Anonymous seats, type: anonymousCapacity, condition: user.IsAnonymous() }
`),
    );
    const token = await h.anonymousSession("anon");
    const full = await runCli(["--config", h.configPath, "--proxy", "anon", "--app", "spending"]);
    expect(full.code).toBe(2);
    expect(full.out).toContain('rule "Anonymous seats" (anonymousCapacity): pool exhausted');
    expect(full.out).toContain("fix: raise licenses.anonymousCapacity.maxConcurrentSessions (now 1)");
    await h.request("/anon/api/v1/sessions/current", { method: "DELETE", ...h.bearer(token) });
    const free = await runCli(["--config", h.configPath, "--proxy", "anon", "--app", "spending"]);
    expect(free.code).toBe(0);
  });

  it("names the proxy, stream and app requirements when those fail, with the rules involved", async () => {
    h = await createHarness(await classicConfig());
    const onDefault = await doctor(h, { proxy: "", app: "spending" });
    expect(onDefault.failing).toEqual(["proxy"]);
    expect(onDefault.checks[0]?.fix).toBe(
      "set virtualProxies[0].anonymousAccess to always (or allow, to let visitors log in)",
    );
    // Without a licenses section nothing is licence-checked, and the doctor says so.
    expect(onDefault.checks[1]).toMatchObject({
      ok: true,
      detail: expect.stringContaining("not licence-checked"),
    });

    const internal = await doctor(h, { proxy: "anon", app: "salaries" });
    expect(internal.failing).toEqual(["stream", "app"]);
    const stream = internal.checks.find((c) => c.id === "stream");
    expect(stream?.rules).toEqual(["Logged-in read budget and internal"]);
    expect(stream?.detail).toContain('stream "internal": read denied');
    expect(stream?.fix).toContain("resourceFilter: Stream_internal");
    expect(internal.checks.find((c) => c.id === "app")?.rules).toEqual(["Stream"]);

    const unknown = await runCli(["--config", h.configPath, "--proxy", "nope", "--app", "ghost"]);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toContain('no virtual proxy has the prefix "nope"');
    expect(unknown.out).toContain('no app has the id "ghost"');
    expect(unknown.out).toContain("failing requirements: virtual proxy, stream read rule, app read rule");
  });

  it("requires an admin key, and reports bad usage", async () => {
    h = await createHarness(await classicConfig());
    const res = await h.request("/admin/api/v1/doctor", h.json("POST", { proxy: "anon", app: "spending" }));
    expect(res.status).toBe(401);
    const bad = await h.request("/admin/api/v1/doctor", h.json("POST", { proxy: "anon" }, h.admin()));
    expect(bad.status).toBe(400);
    const cli = await runCli(["--config", h.configPath, "--app", "spending"]);
    expect(cli.code).toBe(1);
    expect(cli.err).toContain("--proxy <prefix> and --app <id> are required");
  });
});
