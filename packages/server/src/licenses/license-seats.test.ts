import { NO_ACCESS_PASS_MESSAGE } from "@portico/protocol";
import { afterEach, describe, expect, it } from "vitest";
import { NO_ANONYMOUS_LIMITS, withAnonymousLimits } from "../testing/anonymous-limits.js";
import { classicConfig, createHarness, type Harness } from "../testing/harness.js";

const MINUTE = 60_000;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function harness(seats: number) {
  const yaml = await classicConfig(`
licenses:
  anonymousCapacity:
    maxConcurrentSessions: ${seats}
  rules:
    - name: Anonymous seats
      type: anonymousCapacity
      condition: user.IsAnonymous()
`);
  h = await createHarness(withAnonymousLimits(yaml, NO_ANONYMOUS_LIMITS), {
    rateLimit: { capacity: 10_000, refillPerSecond: 10_000 },
  });
  return h;
}

async function seats(h: Harness) {
  const res = await h.request("/admin/api/v1/licenses/usage", { headers: h.admin() });
  return ((await res.json()) as { anonymousCapacity: unknown }).anonymousCapacity;
}

async function start(h: Harness) {
  return h.redeem("anon", await h.anonymousTicket("anon"));
}

describe("concurrent anonymous capacity", () => {
  it("a pool of 3 admits a 4th visitor only once one of the 3 has left", async () => {
    const h = await harness(3);
    const tokens: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await start(h);
      expect(res.status).toBe(201);
      const body = (await res.json()) as { sessionToken: string; license: unknown };
      expect(body.license).toEqual({ type: "anonymousCapacity", rule: "Anonymous seats" });
      tokens.push(body.sessionToken);
    }
    expect(await seats(h)).toEqual({ maxConcurrentSessions: 3, inUse: 3, remaining: 0 });
    const refused = await start(h);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      error: { code: "NO_ACCESS_PASS", message: NO_ACCESS_PASS_MESSAGE },
    });
    expect(h.logLines.join("")).toContain('rule \\"Anonymous seats\\" (anonymousCapacity): pool exhausted');

    // The first visitor leaves: the seat is free at once, and the next visitor gets it.
    const out = await h.request("/anon/api/v1/sessions/current", {
      method: "DELETE",
      ...h.bearer(tokens[0]!),
    });
    expect(out.status).toBe(204);
    expect(await seats(h)).toMatchObject({ inUse: 2, remaining: 1 });
    const fourth = await start(h);
    expect(fourth.status).toBe(201);
    expect(await seats(h)).toMatchObject({ inUse: 3, remaining: 0 });
  });

  it("a live visitor keeps its seat through the rechecks of a full pool; an idle one's seat frees when it times out", async () => {
    const h = await harness(2);
    const active = ((await (await start(h)).json()) as { sessionToken: string }).sessionToken;
    expect((await start(h)).status).toBe(201);
    // 25 minutes of activity: five rechecks of the seat, each with the pool full.
    for (let minute = 0; minute < 25; minute += 5) {
      h.advance(5 * MINUTE);
      expect((await h.request("/anon/api/v1/hub", h.bearer(active))).status).toBe(200);
    }
    expect((await start(h)).status).toBe(403);
    // The second visitor has been idle past /anon's 30-minute timeout: its seat is free.
    h.advance(6 * MINUTE);
    expect((await h.request("/anon/api/v1/hub", h.bearer(active))).status).toBe(200);
    expect(await seats(h)).toMatchObject({ inUse: 1, remaining: 1 });
    expect((await start(h)).status).toBe(201);
  });

  it("the licence audit says whether a seat is free", async () => {
    const h = await harness(1);
    const audit = async () =>
      (await (
        await h.request(
          "/admin/api/v1/licenses/audit",
          h.json("POST", { user: "NONE\\anonymous1" }, h.admin()),
        )
      ).json()) as { granted?: unknown; attempts: Array<{ result: string }> };
    expect((await audit()).granted).toEqual({ type: "anonymousCapacity", rule: "Anonymous seats" });
    expect((await start(h)).status).toBe(201);
    const full = await audit();
    expect(full.granted).toBeUndefined();
    expect(full.attempts).toMatchObject([{ result: "poolExhausted" }]);
  });
});
