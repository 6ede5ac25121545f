import { ErrorCode } from "@portico/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, defaultIds } from "../app.js";
import { isPorticoError } from "../errors/portico-error.js";
import { Metrics } from "../ops/metrics.js";
import type { Storage } from "../storage/storage.js";
import { createHarness, type Harness } from "../testing/harness.js";
import { TicketSigner } from "../tickets/ticket-signer.js";
import { SESSION_CACHE_TTL_MS, SessionService } from "./session-service.js";
import { hashToken } from "./session-token.js";

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

async function sessionId(token: string): Promise<string> {
  const res = await h.request("/anon/api/v1/sessions/current", h.bearer(token));
  return ((await res.json()) as { id: string }).id;
}

/** A session service of its own over `storage` (the harness's, with a method or two replaced). */
function serviceOn(storage: Storage): SessionService {
  return new SessionService({
    storage,
    config: () => h.configStore.current,
    signer: new TicketSigner({ keys: h.keys, clock: h.clock, uuid: defaultIds.uuid }),
    clock: h.clock,
    ids: defaultIds,
    metrics: new Metrics(),
  });
}

/** Another server node on the same storage (as behind a load balancer), with the same clock. */
function otherNode() {
  return createApp({
    configStore: h.configStore,
    storage: h.storage,
    keys: h.keys,
    logger: h.logger,
    clock: h.clock,
  });
}

describe("session cache", () => {
  it("a revocation on this node refuses the very next request, however recently the session was read", async () => {
    const token = await h.anonymousSession("anon");
    const id = await sessionId(token);
    expect((await h.request("/anon/api/v1/hub", h.bearer(token))).status).toBe(200);
    const del = await h.request(`/admin/api/v1/sessions/${id}`, { method: "DELETE", headers: h.admin() });
    expect(del.status).toBe(204);
    const after = await h.request("/anon/api/v1/hub", h.bearer(token));
    expect(after.status).toBe(401);
    expect(await codeOf(after)).toBe("SESSION_REVOKED");
  });

  it("a logout on this node refuses the very next request", async () => {
    const token = await h.anonymousSession("anon");
    expect((await h.request("/anon/api/v1/hub", h.bearer(token))).status).toBe(200);
    const out = await h.request("/anon/api/v1/sessions/current", { method: "DELETE", ...h.bearer(token) });
    expect(out.status).toBe(204);
    expect((await h.request("/anon/api/v1/hub", h.bearer(token))).status).toBe(401);
  });

  it("a revocation on another node shows here within SESSION_CACHE_TTL_MS", async () => {
    const node = otherNode();
    const token = await h.anonymousSession("anon");
    const id = await sessionId(token);
    expect((await h.request("/anon/api/v1/hub", h.bearer(token))).status).toBe(200);
    const del = await node.request(`/admin/api/v1/sessions/${id}`, {
      method: "DELETE",
      headers: h.admin(),
    });
    expect(del.status).toBe(204);
    // The other node itself refuses at once.
    expect((await node.request("/anon/api/v1/hub", h.bearer(token))).status).toBe(401);
    // This node may answer from what it read less than the TTL ago, and never later than that.
    h.advance(SESSION_CACHE_TTL_MS);
    const after = await h.request("/anon/api/v1/hub", h.bearer(token));
    expect(after.status).toBe(401);
    expect(await codeOf(after)).toBe("SESSION_REVOKED");
  });

  it("an expired session is refused from the cache too", async () => {
    const token = await h.anonymousSession("anon");
    expect((await h.request("/anon/api/v1/hub", h.bearer(token))).status).toBe(200);
    h.advance(30 * 60_000);
    const res = await h.request("/anon/api/v1/hub", h.bearer(token));
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe("SESSION_EXPIRED");
  });

  it("a read that raced a revocation is not cached", async () => {
    // The real storage, with a gate that holds one read's answer until the revocation has committed.
    let hold: Promise<void> | undefined;
    const storage = withSessions(h.storage, {
      findByTokenHash: async (tokenHash: string) => {
        const session = await h.storage.sessions.findByTokenHash(tokenHash);
        await hold;
        return session;
      },
    });
    const sessions = serviceOn(storage);
    const { token, session } = await sessions.create({
      proxy: "anon",
      userDirectory: "NONE",
      userId: "anonymous-race",
      anonymous: true,
      attributes: {},
      origin: null,
    });
    let release!: () => void;
    hold = new Promise((resolve) => {
      release = resolve;
    });
    const inFlight = sessions.authenticate(token, "anon");
    await new Promise((resolve) => setTimeout(resolve, 20)); // the read has its (live) row by now
    expect(await sessions.revoke(session.id)).toBe(true);
    release();
    hold = undefined;
    // Started before the revocation: it may pass. Everything after it must not.
    await inFlight.catch(() => undefined);
    const refused = await sessions.authenticate(token, "anon").then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isPorticoError(refused) && refused.code).toBe(ErrorCode.SESSION_REVOKED);
    expect((await h.storage.sessions.findByTokenHash(hashToken(token)))?.endReason).toBe("revoked");
  });

  it("writes the activity of every session authenticated in one turn in one call, and refuses them all if it fails", async () => {
    const calls: number[] = [];
    let failing = false;
    const storage = withSessions(h.storage, {
      touch: async (touches) => {
        calls.push(touches.length);
        if (failing) throw new Error("disk full");
        return h.storage.sessions.touch(touches);
      },
    });
    const sessions = serviceOn(storage);
    const created = [];
    for (let i = 0; i < 5; i++)
      created.push(
        await sessions.create({
          proxy: "anon",
          userDirectory: "NONE",
          userId: `anonymous-touch-${i}`,
          anonymous: true,
          attributes: {},
          origin: null,
        }),
      );
    h.advance(5_000);
    // Five sessions, one of them twice: one write of five touches.
    const tokens = [...created.map((c) => c.token), created[0]?.token as string];
    await Promise.all(tokens.map((token) => sessions.authenticate(token, "anon")));
    expect(calls).toEqual([5]);
    for (const { session } of created)
      expect((await h.storage.sessions.find(session.id))?.lastActiveAt).toBe(h.clock());
    h.advance(5_000);
    failing = true;
    const results = await Promise.allSettled(
      created.slice(0, 3).map((c) => sessions.authenticate(c.token, "anon")),
    );
    expect(calls).toEqual([5, 3]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
  });

  it("proxies stay independent: a cached session is unknown on another proxy", async () => {
    const token = await h.anonymousSession("anon");
    expect((await h.request("/anon/api/v1/hub", h.bearer(token))).status).toBe(200);
    expect((await h.request("/api/v1/hub", h.bearer(token))).status).toBe(401);
  });
});

/** The storage with some of its sessions repository's methods replaced. */
function withSessions(base: Storage, overrides: Partial<Storage["sessions"]>): Storage {
  const sessions = Object.assign(Object.create(base.sessions), overrides) as Storage["sessions"];
  return Object.assign(Object.create(base), { sessions }) as Storage;
}
