import { afterEach, describe, expect, it } from "vitest";
import { classicConfig, createHarness, type Harness } from "../testing/harness.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

// The user id comes from the portal's backend through the Ticket API, so a visitor who picks their own
// id on the portal chooses the value an administrator's pattern runs against.
describe("a rule's matches pattern over HTTP", () => {
  it("decides a catastrophic pattern on the longest user id the Ticket API takes without stalling the server", async () => {
    h = await createHarness(
      await classicConfig(`
licenses:
  loginAccessPasses: 5
  rules:
    - name: Pattern
      type: loginAccessPass
      condition: user.userId matches "(a+)+b"
`),
      { rateLimit: { capacity: 10_000, refillPerSecond: 10_000 } },
    );
    const hostile = await h.userTicket("partner", "PORTAL", "a".repeat(256));
    const started = performance.now();
    const refused = await h.redeem("partner", hostile);
    // Generous for a loaded machine; a backtracking engine takes seconds on 25 characters.
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(refused.status).toBe(403);
    const granted = await h.redeem("partner", await h.userTicket("partner", "PORTAL", `${"a".repeat(255)}b`));
    expect(granted.status).toBe(201);
  });
});
