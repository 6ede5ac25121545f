import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, type Harness, PORTAL, SECRETS } from "../testing/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness(undefined, { rateLimit: { capacity: 3, refillPerSecond: 1 } });
});
afterAll(async () => h.close());

describe("rate limit on anonymous tickets", () => {
  it("answers 429 RATE_LIMITED with Retry-After once a client IP's bucket is empty; other IPs are unaffected", async () => {
    const ask = (ip: string) =>
      h.request("/anon/api/v1/tickets/anonymous", { method: "POST", headers: { origin: PORTAL } }, ip);
    for (let i = 0; i < 3; i++) expect((await ask("198.51.100.1")).status).toBe(201);
    const limited = await ask("198.51.100.1");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe("RATE_LIMITED");
    expect(limited.headers.get("access-control-allow-origin")).toBe(PORTAL);
    expect((await ask("198.51.100.2")).status).toBe(201);
    h.advance(1000);
    expect((await ask("198.51.100.1")).status).toBe(201);
  });

  it("X-Forwarded-For from an untrusted peer does not pick a fresh bucket", async () => {
    const ask = (xff: string) =>
      h.request(
        "/anon/api/v1/tickets/anonymous",
        { method: "POST", headers: { origin: PORTAL, "x-forwarded-for": xff } },
        "198.51.100.9",
      );
    for (let i = 0; i < 3; i++) expect((await ask(`10.0.0.${i}`)).status).toBe(201);
    expect((await ask("10.0.0.99")).status).toBe(429);
  });
});

describe("errors never leak internals", () => {
  it("an unexpected failure is a bare 500 with a fixed body", async () => {
    const broken = await createHarness();
    await broken.storage.close();
    try {
      const res = await broken.request("/readyz");
      expect(res.status).toBe(503);
      const login = await broken.login("", { userId: "alice", password: SECRETS.alicePassword });
      expect(login.status).toBe(500);
      expect(await login.text()).toBe('{"error":{"code":"INTERNAL","message":"Internal error"}}');
    } finally {
      await broken.close().catch(() => undefined);
    }
  });
});

describe("secrets never reach the logs", () => {
  it("tickets, session tokens, passwords, API keys and client secrets stay out of the log output", async () => {
    const seen: string[] = [];
    const ticket = await h.userTicket("partner", "PORTAL", "bob");
    seen.push(ticket);
    const redeemed = await h.redeem("partner", ticket);
    const token = ((await redeemed.json()) as { sessionToken: string }).sessionToken;
    seen.push(token);
    await h.request("/partner/api/v1/hub", h.bearer(token));
    await h.request("/partner/api/v1/hub", { headers: { cookie: `X-Portico-Session-partner=${token}` } });
    await h.login("partner", { userId: "alice", password: SECRETS.alicePassword });
    await h.login("partner", { userId: "alice", password: "wrong-password-in-body" });
    await h.request("/admin/api/v1/sessions", { headers: h.admin() });
    await h.request("/admin/api/v1/sessions", { headers: { authorization: "Bearer ops:guessed-admin-key" } });
    await h.request("/partner/api/v1/sessions", h.json("POST", { ticket }));
    await h.request(`/partner/api/v1/hub?token=${token}`);
    const secrets = [
      ...seen,
      SECRETS.alicePassword,
      "wrong-password-in-body",
      SECRETS.adminKey,
      "guessed-admin-key",
      SECRETS.clientSecret,
    ];
    const output = h.logLines.join("");
    expect(output).toContain('"path":"/partner/api/v1/hub"');
    for (const secret of secrets) expect(output, secret.slice(0, 12)).not.toContain(secret);
    // and a careless log call with secrets in it is redacted
    h.logger.info(
      { authorization: `Bearer ${token}`, body: { password: SECRETS.alicePassword, ticket } },
      "careless",
    );
    const last = h.logLines.at(-1) ?? "";
    expect(last).toContain("careless");
    for (const secret of [token, SECRETS.alicePassword, ticket]) expect(last).not.toContain(secret);
  });
});
