import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../sessions/session-token.js";
import { tableRows } from "../storage/testing/table-rows.js";
import { consoleConfig, READER_PASSWORD, ROOT_PASSWORD } from "../testing/console-config.js";
import { classicConfig, createHarness, EVIL, errorOf, type Harness, SECRETS } from "../testing/harness.js";

interface Signed {
  cookie: string;
  csrf: string;
  body: { rights: Record<string, { read: boolean; update: boolean }>; user: { userId: string } };
}

let h: Harness;
beforeAll(async () => {
  h = await createHarness(await consoleConfig());
});
afterAll(async () => h.close());

function signIn(userId: string, password: string, origin = h.ownOrigin(), prefix = "") {
  const path = prefix === "" ? "/qmc/sign-in" : `/${prefix}/qmc/sign-in`;
  return h.request(path, h.json("POST", { userDirectory: "PORTAL", userId, password }, { origin }));
}

async function signedIn(userId: string, password: string): Promise<Signed> {
  const res = await signIn(userId, password);
  expect(res.status).toBe(201);
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] as string;
  const body = (await res.json()) as Signed["body"] & { csrfToken: string };
  return { cookie, csrf: body.csrfToken, body };
}

/** A console request: the cookie, and for changes the CSRF token from Portico's own origin. */
function consoleRequest(
  s: Signed,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = {
    cookie: s.cookie,
    origin: h.ownOrigin(),
    "x-portico-csrf": s.csrf,
    ...init.headers,
  };
  if (init.body === undefined)
    return h.request(`/admin/api/v1${path}`, { method: init.method ?? "GET", headers });
  return h.request(`/admin/api/v1${path}`, h.json(init.method ?? "PUT", init.body, headers));
}

async function section(s: Signed, name: string) {
  const res = await consoleRequest(s, `/config/${name}`);
  expect(res.status).toBe(200);
  return {
    version: res.headers.get("etag") as string,
    value: ((await res.json()) as Record<string, unknown>)[name],
  };
}

describe("management console sign-in", () => {
  it("signs a local user in through the proxy's login: a cookie for the admin API only, and a CSRF token", async () => {
    const res = await signIn("root", ROOT_PASSWORD);
    expect(res.status).toBe(201);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^X-Portico-QMC=/);
    expect(cookie).toContain("Path=/admin/api/v1");
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    const body = (await res.json()) as Signed["body"] & { csrfToken: string; proxy: string };
    expect(body.csrfToken.length).toBeGreaterThan(20);
    expect(body.proxy).toBe("");
    expect(body.rights.virtualProxies).toEqual({ read: true, update: true });

    const s = await signedIn("root", ROOT_PASSWORD);
    const current = await consoleRequest(s, "/console/session");
    expect(current.status).toBe(200);
    expect(((await current.json()) as { user: { userId: string } }).user.userId).toBe("root");
    // A console session is no hub session: it is not on the hub's session list.
    const hub = await h.request("/api/v1/sessions/current", { headers: { cookie: s.cookie } });
    expect(hub.status).toBe(401);
  });

  it("refuses wrong passwords, other sites and anonymous-only proxies", async () => {
    expect((await errorOf(await signIn("root", "wrong"))).code).toBe("LOGIN_FAILED");
    const forged = await signIn("root", ROOT_PASSWORD, EVIL);
    expect(forged.status).toBe(403);
    expect(forged.headers.get("set-cookie")).toBeNull();
    const anon = await signIn("root", ROOT_PASSWORD, h.ownOrigin(), "anon");
    expect(anon.status).toBe(404);
    expect((await h.request("/anon/qmc")).status).toBe(404);
  });

  it("signs out: the cookie no longer opens the admin API", async () => {
    const s = await signedIn("root", ROOT_PASSWORD);
    expect((await consoleRequest(s, "/console/session", { method: "DELETE" })).status).toBe(204);
    const after = await consoleRequest(s, "/config/streams");
    expect(after.status).toBe(401);
  });

  it("keeps the session in storage with the cookie's token only as its hash", async () => {
    const s = await signedIn("root", ROOT_PASSWORD);
    const token = decodeURIComponent(s.cookie.slice(s.cookie.indexOf("=") + 1));
    const rows = await tableRows(h.storage, "console_sessions");
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows.map((r) => r.token_hash)).toContain(hashToken(token));
  });

  it("expires after the proxy's inactivity timeout", async () => {
    const s = await signedIn("root", ROOT_PASSWORD);
    h.advance(31 * 60_000);
    expect((await consoleRequest(s, "/config/streams")).status).toBe(401);
  });
});

describe("the console page", () => {
  it("serves qmc.html on every proxy that is not anonymous-only, never framed by other sites", async () => {
    const page = await createHarness(await classicConfig(), {
      frameFiles: async (file) =>
        file === "qmc.html" ? new TextEncoder().encode("<!doctype html>qmc") : undefined,
    });
    try {
      for (const path of ["/qmc", "/partner/qmc"]) {
        const res = await page.request(path);
        expect(res.status, path).toBe(200);
        expect(await res.text()).toContain("qmc");
        expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'self'");
      }
      expect((await page.request("/anon/qmc")).status).toBe(404);
    } finally {
      await page.close();
    }
    // Without the built frame the page says how to build it.
    const unbuilt = await h.request("/qmc");
    expect(unbuilt.status).toBe(503);
    expect(await unbuilt.text()).toContain("npm run build");
  });
});

describe("console changes through the admin API", () => {
  it("applies a change with the session's CSRF token from Portico's own origin", async () => {
    const s = await signedIn("root", ROOT_PASSWORD);
    const { value, version } = await section(s, "streams");
    const streams = [...(value as unknown[]), { id: "console", name: "Made in the console" }];
    const res = await consoleRequest(s, "/config/streams", {
      body: { streams },
      headers: { "if-match": version },
    });
    expect(res.status).toBe(200);
    expect(h.configStore.current.streams.has("console")).toBe(true);
    const changes = await h.storage.configChanges.list(0);
    expect(changes.at(-1)?.actor).toBe("admin:qmc:PORTAL\\root");
  });

  it("refuses a change without the CSRF token, or from another origin, and changes nothing", async () => {
    const s = await signedIn("root", ROOT_PASSWORD);
    const before = h.configStore.version("streams");
    const body = { streams: [{ id: "forged", name: "Forged" }] };
    const noToken = await consoleRequest(s, "/config/streams", { body, headers: { "x-portico-csrf": "" } });
    expect(noToken.status).toBe(403);
    expect((await errorOf(noToken)).code).toBe("FORBIDDEN");
    const otherToken = await consoleRequest(s, "/config/streams", {
      body,
      headers: { "x-portico-csrf": `${s.csrf.slice(0, -2)}xx` },
    });
    expect(otherToken.status).toBe(403);
    const otherOrigin = await consoleRequest(s, "/config/streams", { body, headers: { origin: EVIL } });
    expect(otherOrigin.status).toBe(403);
    expect((await errorOf(otherOrigin)).code).toBe("ORIGIN_NOT_ALLOWED");
    const noOrigin = await h.request("/admin/api/v1/config/streams", {
      method: "PUT",
      headers: { cookie: s.cookie, "x-portico-csrf": s.csrf, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(noOrigin.status).toBe(403);
    expect(h.configStore.version("streams")).toBe(before);
    expect(h.configStore.current.streams.has("forged")).toBe(false);
  });

  it("refuses a stale version with 409 VERSION_CONFLICT, never overwriting the newer edit", async () => {
    const s = await signedIn("root", ROOT_PASSWORD);
    const opened = await section(s, "streams");
    // Another administrator (here the admin key) changes the section meanwhile.
    const other = [...(opened.value as unknown[]), { id: "other", name: "Other edit" }];
    const first = await h.request(
      "/admin/api/v1/config/streams",
      h.json("PUT", { streams: other }, h.admin({ "if-match": opened.version })),
    );
    expect(first.status).toBe(200);
    expect(first.headers.get("etag")).not.toBe(opened.version);
    const stale = await consoleRequest(s, "/config/streams", {
      body: { streams: [...(opened.value as unknown[]), { id: "late", name: "Late edit" }] },
      headers: { "if-match": opened.version },
    });
    expect(stale.status).toBe(409);
    expect((await errorOf(stale)).code).toBe("VERSION_CONFLICT");
    expect(h.configStore.current.streams.has("other")).toBe(true);
    expect(h.configStore.current.streams.has("late")).toBe(false);
  });

  it("answers an invalid change with the path-precise message and changes nothing", async () => {
    const s = await signedIn("root", ROOT_PASSWORD);
    const { value, version } = await section(s, "virtualProxies");
    const proxies = structuredClone(value) as Array<Record<string, unknown>>;
    (proxies[2] as Record<string, unknown>).hostAllowList = ["https://portal.example/path"];
    const res = await consoleRequest(s, "/config/virtualProxies", {
      body: { virtualProxies: proxies },
      headers: { "if-match": version },
    });
    expect(res.status).toBe(400);
    const error = (await res.json()) as {
      error: { code: string; details: { issues: Array<{ path: string }> } };
    };
    expect(error.error.code).toBe("CONFIG_INVALID");
    expect(error.error.details.issues[0]?.path).toBe("virtualProxies[2].hostAllowList[0]");
    expect(`"${h.configStore.version("virtualProxies")}"`).toBe(version);
  });
});

describe("console rights follow the qmc-context rules", () => {
  it("gives a user with only read on Stream_* in qmc a read-only streams section and nothing else", async () => {
    const s = await signedIn("reader", READER_PASSWORD);
    expect(s.body.rights.streams).toEqual({ read: true, update: false });
    expect(s.body.rights.virtualProxies).toEqual({ read: false, update: false });
    const { value, version } = await section(s, "streams");
    const res = await consoleRequest(s, "/config/streams", {
      body: { streams: [...(value as unknown[]), { id: "mine", name: "Mine" }] },
      headers: { "if-match": version },
    });
    expect(res.status).toBe(403);
    expect((await errorOf(res)).message).toContain("update Stream");
    expect(h.configStore.current.streams.has("mine")).toBe(false);
    expect((await consoleRequest(s, "/config/virtualProxies")).status).toBe(403);
    expect((await consoleRequest(s, "/sessions")).status).toBe(403);
  });

  it("keeps routes without a console right behind the admin key", async () => {
    const s = await signedIn("root", ROOT_PASSWORD);
    expect((await consoleRequest(s, "/keys/rotate", { method: "POST" })).status).toBe(403);
    // The key still works as before, and a wrong key is not rescued by a console cookie.
    expect((await h.request("/admin/api/v1/config/streams", { headers: h.admin() })).status).toBe(200);
    const wrongKey = await h.request("/admin/api/v1/config/streams", {
      headers: { cookie: s.cookie, authorization: `Bearer ops:${SECRETS.adminKey}x` },
    });
    expect(wrongKey.status).toBe(401);
  });
});

describe("checking a rule as it is typed", () => {
  const check = (s: Signed, body: unknown, path = "/rules/check") =>
    consoleRequest(s, path, { method: "POST", body });

  it("places a condition's syntax error at its offset, line and column, as the config check does", async () => {
    const s = await signedIn("root", ROOT_PASSWORD);
    const condition = 'user.IsAnonymous() and\n  user.userDirectory = "NONE';
    const res = await check(s, { condition });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; errors: Array<Record<string, unknown>> };
    expect(body.ok).toBe(false);
    const offset = condition.indexOf('"NONE');
    expect(body.errors).toEqual([
      {
        path: "condition",
        message: expect.stringContaining("unterminated string"),
        offset,
        line: 2,
        column: offset - condition.indexOf("\n"),
        excerpt: '  user.userDirectory = "NONE\n                       ^',
      },
    ]);
  });

  it("names an unknown function at its own position, and every other field's problem", async () => {
    const s = await signedIn("root", ROOT_PASSWORD);
    const res = await check(s, {
      condition: "user.IsAnonymus()",
      resourceFilter: "Stream_*,",
      actions: ["read", "fly"],
      context: "everywhere",
    });
    const body = (await res.json()) as { ok: boolean; errors: Array<{ path: string; column?: number }> };
    expect(body.ok).toBe(false);
    expect(body.errors.map((e) => e.path)).toEqual(["condition", "resourceFilter", "actions[1]", "context"]);
    expect(body.errors[0]?.column).toBe(6);
  });

  it("answers ok for a valid draft (with the warnings of what Portico does not model), and applies nothing", async () => {
    const s = await signedIn("root", ROOT_PASSWORD);
    const version = h.configStore.version("securityRules");
    const ok = await check(s, { condition: 'user.IsAnonymous() or user.userDirectory = "NONE"' });
    expect(await ok.json()).toEqual({ ok: true, warnings: [] });
    const warned = (await (await check(s, { condition: 'resource.category = "x"' })).json()) as {
      ok: boolean;
      warnings: Array<{ field: string }>;
    };
    expect(warned.ok).toBe(true);
    expect(warned.warnings[0]?.field).toBe("condition");
    expect(h.configStore.version("securityRules")).toBe(version);
  });

  it("refuses a malformed request, and a console user who cannot read the rules", async () => {
    const root = await signedIn("root", ROOT_PASSWORD);
    expect((await check(root, { condition: 7 })).status).toBe(400);
    expect((await check(root, { condition: "", extra: true })).status).toBe(400);
    const reader = await signedIn("reader", READER_PASSWORD);
    expect((await check(reader, { condition: "" })).status).toBe(403);
    expect((await check(reader, { condition: "" }, "/licenses/rules/check")).status).toBe(403);
    expect((await check(root, { condition: "" }, "/licenses/rules/check")).status).toBe(200);
  });
});

describe("doctor fix proposals", () => {
  it("proposes the missing proxy mode, licence rule and stream rule; applied, the doctor passes", async () => {
    const s = await signedIn("root", ROOT_PASSWORD);
    const licenses = await consoleRequest(s, "/config/licenses", {
      body: { licenses: { loginAccessPasses: 5, rules: [] } },
      headers: { "if-match": `"${h.configStore.version("licenses")}"` },
    });
    expect(licenses.status).toBe(200);
    const res = await consoleRequest(s, "/doctor/fix", {
      method: "POST",
      body: { proxy: "", app: "salaries" },
    });
    expect(res.status).toBe(200);
    const { report, changes } = (await res.json()) as {
      report: { failing: string[] };
      changes: Array<{ check: string; section: string; summary: string; value: unknown; version: string }>;
    };
    expect(report.failing).toEqual(["proxy", "license", "stream", "app"]);
    expect(changes.map((c) => c.section)).toEqual(["virtualProxies", "licenses", "securityRules"]);
    expect(changes[0]?.summary).toContain("Allow anonymous user");
    expect(changes[1]?.summary).toContain("user.IsAnonymous()");
    for (const change of changes) {
      const put = await consoleRequest(s, `/config/${change.section}`, {
        body: { [change.section]: change.value },
        headers: { "if-match": `"${change.version}"` },
      });
      expect(put.status, change.section).toBe(200);
    }
    const after = await consoleRequest(s, "/doctor", {
      method: "POST",
      body: { proxy: "", app: "salaries" },
    });
    expect(((await after.json()) as { ok: boolean }).ok).toBe(true);
  });
});
