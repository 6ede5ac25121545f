import { afterEach, describe, expect, it } from "vitest";
import { classicConfig } from "../testing/harness.js";
import { createVisitHarness, type VisitHarness } from "../testing/visit-harness.js";

/** Behind a load balancer at 10.0.0.5; the office (198.51.100.50) may read the internal stream. */
async function proxiedConfig(): Promise<string> {
  const yaml = await classicConfig(`  - name: Office reads internal
    resourceFilter: Stream_internal
    actions: [read]
    condition: user.environment.ip = "198.51.100.50"
    context: hub
`);
  return yaml.replace("  port: 0\n", '  port: 0\n  trustProxy: ["10.0.0.5"]\n');
}

let h: VisitHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("client IP through the whole server", () => {
  it("via the trusted proxy, the visitor's address reaches the visit log and the rules", async () => {
    h = await createVisitHarness(await proxiedConfig());
    const xff = { "x-forwarded-for": "198.51.100.50" };
    const token = await h.anonymousSession("anon", { ip: "10.0.0.5", headers: xff });
    const res = await h.request("/anon/api/v1/apps/salaries", { headers: h.auth(token, xff) }, "10.0.0.5");
    expect(res.status).toBe(200);
    const events = await h.events();
    expect(events.map((e) => [e.type, e.ip])).toEqual([
      ["sessionStart", "198.51.100.50"],
      ["appOpen", "198.51.100.50"],
    ]);
  });

  it("a spoofed header from an untrusted peer changes nothing: not the log, not the rules", async () => {
    h = await createVisitHarness(await proxiedConfig());
    const spoof = { "x-forwarded-for": "198.51.100.50" };
    const token = await h.anonymousSession("anon", { ip: "203.0.113.66", headers: spoof });
    const res = await h.request(
      "/anon/api/v1/apps/salaries",
      { headers: h.auth(token, spoof) },
      "203.0.113.66",
    );
    expect(res.status).toBe(404);
    const events = await h.events();
    expect(events.map((e) => [e.type, e.ip])).toEqual([
      ["sessionStart", "203.0.113.66"],
      ["denied", "203.0.113.66"],
    ]);
  });

  it("decides each beacon for the address and browser it comes from, also within one session", async () => {
    const yaml = (await proxiedConfig()).replace(
      'condition: user.environment.ip = "198.51.100.50"',
      'condition: user.environment.ip = "198.51.100.50" and user.environment.browser = "Chrome"',
    );
    h = await createVisitHarness(yaml);
    const chrome =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
    const firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0";
    const office = { "x-forwarded-for": "198.51.100.50", "user-agent": chrome };
    const token = await h.anonymousSession("anon", { ip: "10.0.0.5", headers: office });
    const view = { type: "sheetView", app: "salaries" };
    const from = async (xff: string, userAgent: string) =>
      (await h?.beacon("anon", token, view, "10.0.0.5", { "x-forwarded-for": xff, "user-agent": userAgent }))
        ?.status;
    // The same session and app, alternating: an earlier answer must never stand in for another request's.
    expect(await from("198.51.100.50", chrome)).toBe(204);
    expect(await from("198.51.100.51", chrome)).toBe(404);
    expect(await from("198.51.100.50", firefox)).toBe(404);
    expect(await from("198.51.100.50", chrome)).toBe(204);
    expect(await from("198.51.100.51", chrome)).toBe(404);
    const events = await h.events("&type=sheetView");
    expect(events.map((e) => e.ip)).toEqual(["198.51.100.50", "198.51.100.50"]);
  });

  it("a spoofed header cannot escape the rate limit, even appended through the trusted proxy", async () => {
    const { createHarness } = await import("../testing/harness.js");
    const limited = await createHarness(await proxiedConfig(), {
      rateLimit: { capacity: 2, refillPerSecond: 0.001 },
    });
    try {
      const ask = (xff: string, peer: string) =>
        limited.request(
          "/anon/api/v1/tickets/anonymous",
          { method: "POST", headers: { origin: "http://localhost:5173", "x-forwarded-for": xff } },
          peer,
        );
      // The visitor at 203.0.113.9 forges a different left-most entry each time; the proxy appends the truth.
      expect((await ask("1.1.1.1, 203.0.113.9", "10.0.0.5")).status).toBe(201);
      expect((await ask("1.1.1.2, 203.0.113.9", "10.0.0.5")).status).toBe(201);
      expect((await ask("1.1.1.3, 203.0.113.9", "10.0.0.5")).status).toBe(429);
      // Another real visitor behind the same proxy has their own bucket.
      expect((await ask("203.0.113.10", "10.0.0.5")).status).toBe(201);
    } finally {
      await limited.close();
    }
  });

  it("refuses a trustProxy entry that is not an address or a CIDR block, naming the path", async () => {
    const yaml = (await classicConfig()).replace("  port: 0\n", '  port: 0\n  trustProxy: ["lb.internal"]\n');
    await expect(createVisitHarness(yaml)).rejects.toThrow(/server\.trustProxy\[0\]|server\.trustProxy\.0/);
  });
});
