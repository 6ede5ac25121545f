import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, errorOf, type Harness, PORTAL } from "../testing/harness.js";
import { audienceFor, TICKET_ISSUER } from "../tickets/ticket-signer.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

describe("API answers are never cached or sniffed", () => {
  it("proxy API and admin API answers, errors included, carry no-store and nosniff", async () => {
    const token = await h.anonymousSession("anon");
    const answers = [
      await h.request("/anon/api/v1/hub", h.bearer(token)),
      await h.request("/anon/api/v1/hub"),
      await h.request("/anon/api/v1/apps/nope", h.bearer(token)),
      await h.request("/anon/api/v1/tickets/anonymous", { method: "POST", headers: { origin: PORTAL } }),
      await h.request("/admin/api/v1/sessions", { headers: h.admin() }),
      await h.request("/admin/api/v1/sessions"),
    ];
    for (const res of answers) {
      expect(res.headers.get("cache-control"), res.url).toBe("no-store");
      expect(res.headers.get("x-content-type-options"), res.url).toBe("nosniff");
    }
  });

  it("health answers keep their own cache header", async () => {
    const res = await h.request("/healthz");
    expect(res.headers.get("cache-control")).not.toBe("no-store");
  });
});

describe("admin bodies and lists are bounded", () => {
  it("a deeply nested admin body is 400 before validation, never a 500", async () => {
    const depth = 200_000;
    const res = await h.request("/admin/api/v1/config/securityRules", {
      method: "PUT",
      headers: h.admin({ "content-type": "application/json" }),
      body: `{"securityRules":${"[".repeat(depth)}${"]".repeat(depth)}}`,
    });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).code).toBe("BAD_REQUEST");
  });

  it("GET /admin/api/v1/sessions validates limit (400), and a valid one caps the list", async () => {
    for (const limit of ["-1", "0", "abc", "1.5", "5001"]) {
      const res = await h.request(`/admin/api/v1/sessions?limit=${limit}`, { headers: h.admin() });
      expect(res.status, limit).toBe(400);
      expect((await errorOf(res)).code).toBe("VALIDATION_FAILED");
    }
    await h.anonymousSession("anon");
    await h.anonymousSession("anon");
    const one = await h.request("/admin/api/v1/sessions?limit=1", { headers: h.admin() });
    expect(((await one.json()) as { sessions: unknown[] }).sessions).toHaveLength(1);
  });
});

describe("ticket lifetime", () => {
  it("a validly signed ticket with a one-year lifetime is refused at redemption (401 TICKET_INVALID)", async () => {
    const iat = Math.floor(h.clock() / 1000);
    const ticket = await new SignJWT({ kind: "anonymous", origin: PORTAL })
      .setProtectedHeader({ alg: "ES256", kid: h.keys.current().kid, typ: "JWT" })
      .setIssuer(TICKET_ISSUER)
      .setAudience(audienceFor("anon"))
      .setJti(crypto.randomUUID())
      .setIssuedAt(iat)
      .setExpirationTime(iat + 365 * 24 * 3600)
      .sign(h.keys.current().privateKey);
    const res = await h.redeem("anon", ticket);
    expect(res.status).toBe(401);
    expect((await errorOf(res)).code).toBe("TICKET_INVALID");
  });
});
