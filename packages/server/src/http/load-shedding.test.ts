// Load shedding (issue 20, item 10), on a real listening server: past `server.maxRequestsInProgress`
// requests answer 503 BUSY with Retry-After at once, the probes never, and the node takes requests again as
// soon as the ones in progress end. Requests are held in progress by a session gate the test releases.
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPorticoServer } from "../app.js";
import type { SessionGate } from "../sessions/session-gate.js";
import { classicConfig, createHarness, type Harness, PORTAL } from "../testing/harness.js";

let h: Harness;
let url: string;
let close: () => Promise<void>;
let release: () => void = () => undefined;
let held = 0;
const holding: SessionGate = {
  admit: () => {
    held++;
    return new Promise((resolve) => {
      const previous = release;
      release = () => {
        previous();
        resolve(undefined);
      };
    });
  },
  admitRequest: () => undefined,
};

beforeAll(async () => {
  const yaml = (await classicConfig()).replace("server:\n", "server:\n  maxRequestsInProgress: 2\n");
  h = await createHarness(yaml, { sessionGates: [holding] });
  const server = createPorticoServer(h.app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await h.close();
  };
});
afterAll(async () => close?.());

async function redeem(): Promise<Response> {
  const ticket = await h.anonymousTicket("anon");
  return fetch(`${url}/anon/api/v1/sessions`, {
    method: "POST",
    headers: { origin: PORTAL, "content-type": "application/json" },
    body: JSON.stringify({ ticket }),
  });
}

/** The node's count of shed requests, from its metrics (0 before the first). */
async function shedTotal(): Promise<number> {
  const metrics = await (await h.app.request("/metrics", { headers: h.admin() })).text();
  return Number(/^portico_requests_shed_total (\d+)$/m.exec(metrics)?.[1] ?? 0);
}

describe("load shedding", () => {
  it("turns requests away past the limit with 503 BUSY, never the probes, and recovers", async () => {
    // A retry (vite.config.ts) starts from nothing held: what a failed run left in the gate goes first.
    release();
    release = () => undefined;
    held = 0;
    const shedBefore = await shedTotal();
    const first = redeem();
    const second = redeem();
    while (held < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    const shed = await fetch(`${url}/anon/api/v1/embed-config`);
    expect(shed.status).toBe(503);
    expect(shed.headers.get("retry-after")).toBe("1");
    expect(((await shed.json()) as { error: { code: string } }).error.code).toBe("BUSY");
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    release();
    expect((await first).status).toBe(201);
    expect((await second).status).toBe(201);
    expect((await fetch(`${url}/anon/api/v1/embed-config`)).status).toBe(200);
    expect(await shedTotal()).toBe(shedBefore + 1);
  });
});
