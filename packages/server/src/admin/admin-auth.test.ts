// The admin key is checked once, at the `/admin` mount: every route any module registers there refuses a
// request without a valid key, so a module added without a guard of its own is still guarded.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVisitHarness, type VisitHarness } from "../testing/visit-harness.js";

let h: VisitHarness;
beforeAll(async () => {
  // With the visit log and an app-data provider, so every admin module is mounted.
  h = await createVisitHarness(undefined, { analytics: true });
});
afterAll(async () => h?.close());

/** Every admin route the app registered (not its middleware), with its parameters filled in. */
function adminRoutes(): Array<{ method: string; path: string }> {
  const seen = new Set<string>();
  return h.app.routes
    .filter((r) => r.path.startsWith("/admin/") && r.method !== "ALL")
    .map((r) => ({ method: r.method, path: r.path.replace(/:[A-Za-z]+(\{[^}]*\})?/g, "x") }))
    .filter((r) => {
      const key = `${r.method} ${r.path}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

describe("admin auth at the /admin mount", () => {
  it("finds the admin routes of every module", () => {
    const paths = adminRoutes().map((r) => r.path);
    for (const expected of [
      "/admin/api/v1/config",
      "/admin/api/v1/apps/data",
      "/admin/api/v1/visits",
      "/admin/api/v1/licenses/usage",
      "/admin/api/v1/doctor",
    ])
      expect(paths).toContain(expected);
  });

  it("refuses every admin route without a key, and with a wrong one", async () => {
    const routes = adminRoutes();
    expect(routes.length).toBeGreaterThan(10);
    // One client per route: wrong keys from one address would soon be refused before they are checked.
    for (const [index, { method, path }] of routes.entries()) {
      const init = (headers: Record<string, string>): RequestInit => ({
        method,
        headers: { "content-type": "application/json", ...headers },
        ...(method === "GET" || method === "HEAD" ? {} : { body: "{}" }),
      });
      const attempts: Array<Record<string, string>> = [
        {},
        { authorization: "Bearer ops:not-the-key" },
        { authorization: "Bearer nobody:ops-admin-key-0123456789" },
        { authorization: "Basic b3BzOmtleQ==" },
      ];
      for (const headers of attempts) {
        const res = await h.request(path, init(headers), `198.51.${index >> 8}.${index & 255}`);
        expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(401);
        const body = (await res.json()) as { error: { code: string } };
        expect(body.error.code).toBe("ADMIN_UNAUTHORIZED");
      }
    }
  });

  it("still answers with the key", async () => {
    const res = await h.request("/admin/api/v1/config", { headers: h.admin() });
    expect(res.status).toBe(200);
  });
});
