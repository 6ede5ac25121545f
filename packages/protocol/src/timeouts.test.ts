import { describe, expect, it } from "vitest";
import {
  frameTicketWaitMs,
  LEGACY_TICKET_WAIT_MS,
  MAX_TIMEOUT_MS,
  TICKET_HOP_MARGIN_MS,
} from "./timeouts.js";

describe("frameTicketWaitMs", () => {
  it("waits the host's ticket timeout plus the hop margin, so the host's own answer comes first", () => {
    expect(frameTicketWaitMs(300)).toBe(300 + TICKET_HOP_MARGIN_MS);
    expect(frameTicketWaitMs(60_000)).toBe(60_000 + TICKET_HOP_MARGIN_MS);
  });

  it("waits as 1.0 frames did for a host that does not say (protocol 1.0)", () => {
    expect(frameTicketWaitMs(undefined)).toBe(LEGACY_TICKET_WAIT_MS);
  });

  it("stays under setTimeout's limit for the longest timeout a host may announce", () => {
    expect(frameTicketWaitMs(MAX_TIMEOUT_MS)).toBeLessThanOrEqual(2 ** 31 - 1);
  });
});
