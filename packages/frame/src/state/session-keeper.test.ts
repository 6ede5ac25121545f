import type { FrameEvent, TicketReason } from "@portico/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FrameError } from "../errors/frame-error.js";
import { SessionStore } from "../session/session-store.js";
import { fakeApi, sessionAnswer } from "../testing/fake-api.js";
import type { HostConnection } from "./host-bridge.js";
import { SessionKeeper, type SessionKeeperOptions, TICKET_TIMEOUT_MS } from "./session-keeper.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

type Options = Partial<SessionKeeperOptions> & { tickets?: (reason: TicketReason) => Promise<unknown> };

function keeper(options: Options = {}, withHost = true) {
  const api = fakeApi();
  const events: FrameEvent[] = [];
  const reasons: TicketReason[] = [];
  const failures: FrameError[] = [];
  const store = new SessionStore("test", () => undefined);
  const tickets = options.tickets ?? (async () => "ticket");
  const host: HostConnection | undefined = withHost
    ? {
        getTicket: (reason) => {
          reasons.push(reason);
          return tickets(reason);
        },
        emit: () => undefined,
      }
    : undefined;
  const restore = vi.fn(async () => ({ sheet: "overview", selections: { Year: [2024] } }));
  const sessions: unknown[] = [];
  const k = new SessionKeeper({
    api: api.api,
    store,
    bridge: { host, emit: (e) => events.push(e) },
    onChange: vi.fn(),
    firstView: () => ({ app: "spending", view: { sheet: "overview", selections: {} } }),
    onSession: (r) => sessions.push(r),
    restore,
    fail: (e) => failures.push(e),
    hostOrigin: "https://host.example",
    ...options,
  });
  return { keeper: k, api, events, reasons, failures, store, restore, sessions };
}

const types = (events: FrameEvent[]) => events.map((e) => e.type);

describe("SessionKeeper", () => {
  it("gets a session with the host's ticket, bound to the host origin, carrying the first view", async () => {
    const onSessionRequest = vi.fn();
    const { keeper: k, api, reasons, store, sessions } = keeper({ onSessionRequest });
    await k.acquire("initial");
    expect(reasons).toEqual(["initial"]);
    expect(api.callsOf("createSession")[0]?.args).toEqual([
      "ticket",
      "https://host.example",
      { app: "spending", view: { sheet: "overview", selections: {} } },
    ]);
    expect(store.token).toBe("token");
    expect(sessions).toHaveLength(1);
    expect(onSessionRequest).toHaveBeenCalledTimes(1);
  });

  it("waits for the host's ticket as long as the host said, else TICKET_TIMEOUT_MS", async () => {
    const never = () => new Promise<unknown>(() => undefined);
    const first = keeper({ tickets: never });
    const waiting = first.keeper.acquire("initial").catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(TICKET_TIMEOUT_MS - 1);
    expect(first.api.callsOf("createSession")).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(await waiting).toMatchObject({ code: "TICKET_TIMEOUT" });

    const second = keeper({ tickets: never });
    second.keeper.setTicketTimeoutMs(2_000);
    const shorter = second.keeper.acquire("initial").catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await shorter).toMatchObject({ code: "TICKET_TIMEOUT" });
    // Nonsense from the host leaves the wait as it was.
    second.keeper.setTicketTimeoutMs(-1);
    second.keeper.setTicketTimeoutMs(Number.NaN);
    const again = second.keeper.acquire("initial").catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await again).toMatchObject({ code: "TICKET_TIMEOUT" });
  });

  it("refuses what is not a ticket from the host", async () => {
    for (const ticket of [42, "", "x".repeat(8193), { ticket: "t" }]) {
      const { keeper: k, api } = keeper({ tickets: async () => ticket });
      await expect(k.acquire("initial")).rejects.toMatchObject({ code: "TICKET_INVALID" });
      expect(api.callsOf("createSession")).toHaveLength(0);
    }
  });

  it("without a host: an anonymous session where the proxy allows one, else a request to log in", async () => {
    const open = keeper({ anonymousAccess: "always" }, false);
    await open.keeper.acquire("initial");
    expect(open.api.callsOf("anonymousSession")).toHaveLength(1);
    const closed = keeper({}, false);
    await expect(closed.keeper.acquire("initial")).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(closed.keeper.acquire("expired")).rejects.toMatchObject({ code: "SESSION_EXPIRED" });
  });

  it("recovers a lapsed session once, restores the view, and retries the request", async () => {
    const { keeper: k, events, reasons, restore } = keeper();
    await k.acquire("initial");
    let attempts = 0;
    const lapsed = async () => {
      attempts++;
      if (attempts <= 2) throw new FrameError("SESSION_EXPIRED", "gone", 401);
      return "data";
    };
    // Two requests find the session gone at the same time: one recovery between them.
    const [a, b] = await Promise.all([k.run(lapsed), k.run(lapsed)]);
    expect([a, b]).toEqual(["data", "data"]);
    expect(reasons).toEqual(["initial", "expired"]);
    expect(restore).toHaveBeenCalledTimes(1);
    expect(events).toEqual([
      { type: "sessionExpired" },
      { type: "sessionRecovered", sheet: "overview", selections: { Year: [2024] } },
    ]);
    expect(k.expired).toBe(false);
  });

  it("passes other errors on without a recovery", async () => {
    const { keeper: k, reasons } = keeper();
    await expect(
      k.run(async () => {
        throw new FrameError("FORBIDDEN", "no");
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(reasons).toEqual([]);
  });

  it("no new ticket: the session-expired screen; a licence denial keeps its own words", async () => {
    const refused = keeper({
      tickets: async () => {
        throw { code: "TICKET_USED", message: "x" };
      },
    });
    const gone = async () => {
      throw new FrameError("UNAUTHENTICATED", "gone", 401);
    };
    await expect(refused.keeper.run(gone)).rejects.toMatchObject({ code: "SESSION_EXPIRED" });
    expect(refused.failures.map((f) => f.code)).toEqual(["SESSION_EXPIRED"]);
    expect(refused.keeper.expired).toBe(true);

    const denied = keeper();
    denied.api.handlers.createSession = async () => {
      throw new FrameError("NO_ACCESS_PASS", "no pass", 403);
    };
    await expect(denied.keeper.run(gone)).rejects.toMatchObject({ code: "NO_ACCESS_PASS" });
    expect(denied.failures.map((f) => f.code)).toEqual(["NO_ACCESS_PASS"]);
  });

  it("warns before the inactivity timeout, ends the session at it, and recovers when the visitor continues", async () => {
    const { keeper: k, events, reasons } = keeper();
    k.adopt(sessionAnswer(undefined, { inactivityTimeoutMs: 10 * 60_000 }));
    await vi.advanceTimersByTimeAsync(9 * 60_000 - 1);
    expect(types(events)).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(types(events)).toEqual(["sessionExpiring"]);
    expect(k.expiringAt).toBeInstanceOf(Date);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(types(events)).toEqual(["sessionExpiring", "sessionExpired"]);
    expect(k.expired).toBe(true);
    expect(k.expiringAt).toBeUndefined();
    // An idle tab mints no session: only the visitor's return does.
    await vi.advanceTimersByTimeAsync(60 * 60_000);
    expect(reasons).toEqual([]);
    expect(await k.continueSession()).toBe(false);
    expect(reasons).toEqual(["expired"]);
    expect(types(events)).toEqual(["sessionExpiring", "sessionExpired", "sessionRecovered"]);
  });

  it("every successful request pushes the timeout back", async () => {
    const { keeper: k, events } = keeper();
    k.adopt(sessionAnswer(undefined, { inactivityTimeoutMs: 10 * 60_000 }));
    await vi.advanceTimersByTimeAsync(8 * 60_000);
    await k.run(async () => "ok");
    await vi.advanceTimersByTimeAsync(8 * 60_000);
    expect(types(events)).toEqual([]);
    expect(await k.continueSession()).toBe(true);
  });

  it("a first load under a stale stored session gets a new one quietly", async () => {
    const { keeper: k, store, reasons, events } = keeper();
    store.set(sessionAnswer());
    let loads = 0;
    const loaded = await k.open(async () => {
      if (++loads === 1) throw new FrameError("UNAUTHENTICATED", "stale", 401);
      return "layout";
    });
    expect(loaded).toBe("layout");
    expect(reasons).toEqual(["initial"]);
    expect(events).toEqual([]);
  });

  it("with a host and no session, the first load starts with a new one", async () => {
    const { keeper: k, reasons } = keeper();
    await k.open(async () => undefined);
    expect(reasons).toEqual(["initial"]);
  });

  it("redeem and logIn replace the session; joinTicket asks for this session's origin", async () => {
    const { keeper: k, api } = keeper();
    await k.redeem("t2");
    expect(api.callsOf("createSession")[0]?.args).toEqual(["t2", "https://host.example"]);
    await k.logIn("alice", "pw");
    expect(api.callsOf("login")[0]?.args).toEqual(["alice", "pw", "https://host.example"]);
    await expect(k.joinTicket()).resolves.toBe("join");
    expect(api.callsOf("joinTicket")[0]?.args).toEqual(["https://host.example"]);
  });
});
