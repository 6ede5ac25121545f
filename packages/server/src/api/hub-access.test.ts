import { readFile, writeFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness } from "../testing/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

const login = async (prefix = "partner") => {
  const res = await h.login(prefix, {
    userDirectory: "PORTAL",
    userId: "alice",
    password: "alice-correct-horse",
  });
  return ((await res.json()) as { sessionToken: string }).sessionToken;
};
const hubOf = async (prefix: string, token: string) =>
  (await (await h.request(`/${prefix}/api/v1/hub`, h.bearer(token))).json()) as {
    streams: Array<{ id: string; apps: Array<{ id: string }> }>;
  };

describe("hub API", () => {
  it("lists the streams and apps the user may read in hub context", async () => {
    const anonymous = await hubOf("anon", await h.anonymousSession("anon"));
    expect(anonymous.streams.map((s) => s.id)).toEqual(["budget"]);
    expect(anonymous.streams[0]?.apps.map((a) => a.id)).toEqual(["spending"]);
    const alice = await hubOf("partner", await login());
    expect(alice.streams.map((s) => s.id).sort()).toEqual(["budget", "internal"]);
  });

  it("returns sheets and objects of a readable app, fields empty until the engine is wired", async () => {
    const token = await h.anonymousSession("anon");
    const res = await h.request("/anon/api/v1/apps/spending", h.bearer(token));
    expect(res.status).toBe(200);
    const app = (await res.json()) as {
      id: string;
      stream: { id: string };
      sheets: Array<{ id: string; objects: Array<{ id: string }> }>;
      fields: unknown[];
    };
    expect(app).toMatchObject({
      id: "spending",
      stream: { id: "budget", name: "City budget" },
      published: true,
      fields: [],
    });
    expect(app.sheets[0]?.objects.map((o) => o.id)).toEqual(["total"]);
  });

  it("an unreadable app is 404 APP_NOT_FOUND exactly like a nonexistent one", async () => {
    const token = await h.anonymousSession("anon");
    const unreadable = await h.request("/anon/api/v1/apps/salaries", h.bearer(token));
    const missing = await h.request("/anon/api/v1/apps/no-such-app", h.bearer(token));
    expect(unreadable.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await unreadable.text()).toBe(await missing.text());
    expect([...unreadable.headers.entries()]).toEqual([...missing.headers.entries()]);
    // and the app does exist for someone allowed
    expect((await h.request("/partner/api/v1/apps/salaries", h.bearer(await login()))).status).toBe(200);
  });

  it("API calls without a valid session are 401", async () => {
    for (const init of [
      {},
      h.bearer("not-a-token"),
      { headers: { cookie: "X-Portico-Session-anon=forged" } },
    ]) {
      const res = await h.request("/anon/api/v1/apps/spending", init);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");
    }
  });
});

describe("live rule changes take effect without a restart", () => {
  const rulesUrl = "/admin/api/v1/config/securityRules";

  it("through the admin API: persisted to the YAML and recorded in config_changes", async () => {
    const token = await h.anonymousSession("anon");
    expect((await h.request("/anon/api/v1/apps/salaries", h.bearer(token))).status).toBe(404);
    const current = (
      (await (await h.request(rulesUrl, { headers: h.admin() })).json()) as { securityRules: unknown[] }
    ).securityRules;
    const added = [
      ...current,
      {
        name: "Anonymous read internal",
        resourceFilter: "Stream_internal",
        actions: ["read"],
        condition: "user.IsAnonymous()",
        context: "hub",
      },
    ];
    const put = await h.request(rulesUrl, {
      method: "PUT",
      headers: h.admin({ "content-type": "application/json" }),
      body: JSON.stringify({ securityRules: added }),
    });
    expect(put.status).toBe(200);
    expect((await h.request("/anon/api/v1/apps/salaries", h.bearer(token))).status).toBe(200);
    expect(await readFile(h.configPath, "utf8")).toContain("Anonymous read internal");
    const changes = await h.storage.configChanges.list();
    expect(changes.at(-1)).toMatchObject({ section: "securityRules", actor: "admin:ops" });

    const restore = await h.request(rulesUrl, {
      method: "PUT",
      headers: h.admin({ "content-type": "application/json" }),
      body: JSON.stringify({ securityRules: current }),
    });
    expect(restore.status).toBe(200);
    expect((await h.request("/anon/api/v1/apps/salaries", h.bearer(token))).status).toBe(404);
  });

  it("an invalid rule through the admin API is refused with a precise message and the old rules stay", async () => {
    const current = (
      (await (await h.request(rulesUrl, { headers: h.admin() })).json()) as { securityRules: unknown[] }
    ).securityRules;
    const broken = [
      ...current,
      {
        name: "Broken",
        resourceFilter: "Stream_*",
        actions: ["read"],
        condition: 'user.name = "x" andd true',
        context: "hub",
      },
    ];
    const put = await h.request(rulesUrl, {
      method: "PUT",
      headers: h.admin({ "content-type": "application/json" }),
      body: JSON.stringify({ securityRules: broken }),
    });
    expect(put.status).toBe(400);
    const body = (await put.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("CONFIG_INVALID");
    expect(body.error.message).toMatch(/securityRules\[3\]\.condition: line 1, column \d+: /);
    expect(body.error.message).toContain("^");
    expect(h.configStore.current.rules.map((r) => r.name)).not.toContain("Broken");
    expect(await readFile(h.configPath, "utf8")).not.toContain("Broken");
  });

  it("through a file edit", async () => {
    const token = await h.anonymousSession("anon");
    expect((await h.request("/anon/api/v1/apps/salaries", h.bearer(token))).status).toBe(404);
    const original = await readFile(h.configPath, "utf8");
    const edited = original.replace(
      "securityRules:\n",
      'securityRules:\n  - name: File edit grants internal\n    resourceFilter: Stream_internal\n    actions: [read]\n    condition: user.environment.context = "hub"\n    context: hub\n',
    );
    expect(edited).not.toBe(original);
    await writeFile(h.configPath, edited);
    const applied = await h.configStore.reloadFromFile();
    expect(applied, h.logLines.slice(-2).join("")).toBe(true);
    expect((await h.request("/anon/api/v1/apps/salaries", h.bearer(token))).status).toBe(200);

    // An invalid edit is refused: the running rules stay.
    await writeFile(
      h.configPath,
      edited.replace('user.environment.context = "hub"', 'user.environment.context = "hub'),
    );
    expect(await h.configStore.reloadFromFile()).toBe(false);
    expect((await h.request("/anon/api/v1/apps/salaries", h.bearer(token))).status).toBe(200);
    expect(h.logLines.join("")).toContain("configuration file change refused");

    await writeFile(h.configPath, original);
    expect(await h.configStore.reloadFromFile()).toBe(true);
    expect((await h.request("/anon/api/v1/apps/salaries", h.bearer(token))).status).toBe(404);
  });

  it("ticket attributes reach rules as user.environment.<name>", async () => {
    const current = (
      (await (await h.request(rulesUrl, { headers: h.admin() })).json()) as { securityRules: unknown[] }
    ).securityRules;
    const gold = [
      ...current,
      {
        name: "Gold partners read everyone",
        resourceFilter: "Stream_everyone",
        actions: ["read"],
        condition: 'user.environment.tier = "gold"',
        context: "hub",
      },
    ];
    const put = (rules: unknown) =>
      h.request(rulesUrl, {
        method: "PUT",
        headers: h.admin({ "content-type": "application/json" }),
        body: JSON.stringify({ securityRules: rules }),
      });
    expect((await put(gold)).status).toBe(200);
    try {
      const session = async (tier: string) => {
        const res = await h.redeem("partner", await h.userTicket("partner", "PORTAL", `p-${tier}`, { tier }));
        return ((await res.json()) as { sessionToken: string }).sessionToken;
      };
      expect((await hubOf("partner", await session("gold"))).streams.map((s) => s.id)).toContain("everyone");
      expect((await hubOf("partner", await session("silver"))).streams.map((s) => s.id)).not.toContain(
        "everyone",
      );
    } finally {
      expect((await put(current)).status).toBe(200);
    }
  });
});
