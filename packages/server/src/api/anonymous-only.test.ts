import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHarness, errorOf, type Harness, SECRETS } from "../testing/harness.js";
import { TicketSigner } from "../tickets/ticket-signer.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

describe("an `always` proxy admits anonymous users only", () => {
  it("the Ticket API refuses identified tickets there with ANONYMOUS_ONLY and says why", async () => {
    const res = await h.request(
      "/anon/api/v1/tickets",
      h.json(
        "POST",
        { userDirectory: "PORTAL", userId: "alice" },
        { authorization: `Bearer portal-backend:${SECRETS.clientSecret}` },
      ),
    );
    expect(res.status).toBe(403);
    const error = await errorOf(res);
    expect(error.code).toBe("ANONYMOUS_ONLY");
    expect(error.message).toMatch(/admits anonymous users only/);
  });

  it("still issues identified tickets on `allow` proxies", async () => {
    expect(await h.userTicket("partner", "PORTAL", "alice")).toMatch(/^ey/);
  });

  it("a validly signed user ticket minted elsewhere does not redeem there (and is not consumed)", async () => {
    const signer = new TicketSigner({ keys: h.keys, clock: h.clock, uuid: () => crypto.randomUUID() });
    const { ticket } = await signer.issue({
      proxy: "anon",
      kind: "user",
      userDirectory: "PORTAL",
      userId: "alice",
      attributes: {},
    });
    const res = await h.redeem("anon", ticket);
    expect(res.status).toBe(403);
    expect((await errorOf(res)).code).toBe("ANONYMOUS_ONLY");
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});
