import { afterEach, describe, expect, it } from "vitest";
import { PORTAL } from "../testing/harness.js";
import { createVisitHarness, type VisitHarness } from "../testing/visit-harness.js";

let v: VisitHarness | undefined;
afterEach(async () => {
  await v?.close();
  v = undefined;
});

const STRANGER = "https://copycat.example";

function ticketFrom(h: VisitHarness, origin: string) {
  return h.request("/anon/api/v1/tickets/anonymous", { method: "POST", headers: { origin } });
}

describe("pages trying to embed you (originRefused)", () => {
  it("records a refused origin once per minute however many requests it sends", async () => {
    const h = await createVisitHarness();
    v = h;
    const burst = await Promise.all(Array.from({ length: 50 }, () => ticketFrom(h, STRANGER)));
    for (const res of burst) expect(res.status).toBe(403);
    expect((await ticketFrom(h, "https://other-copycat.example")).status).toBe(403);
    // The allowed page and a request with no Origin (not a page) record nothing.
    expect((await ticketFrom(h, PORTAL)).status).toBe(201);
    await h.request("/anon/api/v1/tickets/anonymous", { method: "POST" });
    // Nor a made-up header that no browser sends as an Origin.
    expect((await ticketFrom(h, "<script>x</script>")).status).toBe(403);
    expect((await ticketFrom(h, "null")).status).toBe(403);
    const first = async () => h.events("&type=originRefused");
    await expect.poll(async () => (await first()).length).toBe(2);
    const [one, two] = await first();
    expect(one).toMatchObject({
      type: "originRefused",
      proxy: "anon",
      origin: STRANGER,
      denialCode: "ORIGIN_NOT_ALLOWED",
      ip: "203.0.113.7",
      sessionId: null,
    });
    expect(two).toMatchObject({ origin: "https://other-copycat.example" });

    h.advance(60_000);
    await Promise.all(Array.from({ length: 20 }, () => ticketFrom(h, STRANGER)));
    await expect.poll(async () => (await first()).length).toBe(3);
  });
});
