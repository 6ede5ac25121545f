import type { SessionUser, TicketReason } from "@portico/protocol";
import { describe, expect, it } from "vitest";
import {
  createSessionCoordinator,
  type FreshTicket,
  type SessionCoordinator,
  type SessionMember,
} from "./session-coordinator.js";

/**
 * In-memory stand-ins for frames (pure logic: the real frames are exercised in test/embed-*.test.ts).
 * A member "holds" a session id; a join ticket names the session it joins.
 */
class FakeFrame implements SessionMember {
  session: string | undefined;
  joinFails = false;
  readonly authenticated: string[] = [];
  constructor(readonly name: string) {}
  async createJoinTicket(): Promise<string> {
    if (this.joinFails || !this.session) throw { code: "SESSION_EXPIRED", message: "expired" };
    return `join:${this.session}`;
  }
  async authenticate(ticket: string): Promise<SessionUser> {
    this.authenticated.push(ticket);
    this.session = ticket.startsWith("join:") ? ticket.slice(5) : `session-of-${ticket}`;
    return user(this.session);
  }
}

function user(id: string): SessionUser {
  return { userDirectory: "NONE", userId: id, anonymous: true };
}

function freshTickets() {
  const issued: TicketReason[] = [];
  const fresh = async (reason: TicketReason) => {
    issued.push(reason);
    return `fresh${issued.length}`;
  };
  return { issued, fresh };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A coordinator that waits `waitMs` for a redemption, frames `a` and `b`, and a fresh-ticket source. */
function setup(waitMs: number) {
  return {
    coordinator: createSessionCoordinator(waitMs),
    ...freshTickets(),
    a: new FakeFrame("a"),
    b: new FakeFrame("b"),
  };
}

/** What a frame does when it loads: ask for a ticket, redeem it, report the session it got. */
async function load(coordinator: SessionCoordinator, frame: FakeFrame, fresh: FreshTicket): Promise<void> {
  coordinator.established(
    frame,
    await frame.authenticate(await coordinator.ticketFor(frame, "initial", fresh)),
  );
}

describe("SessionCoordinator", () => {
  it("gives the first frame a fresh ticket and its siblings join tickets to that session", async () => {
    const { coordinator, issued, fresh, a, b } = setup(1000);
    expect(coordinator.needsFreshTicket).toBe(true);
    const ticketA = await coordinator.ticketFor(a, "initial", fresh);
    expect(ticketA).toBe("fresh1");
    expect(coordinator.needsFreshTicket).toBe(false);
    coordinator.established(a, await a.authenticate(ticketA));
    expect(await coordinator.ticketFor(b, "initial", fresh)).toBe("join:session-of-fresh1");
    expect(issued).toEqual(["initial"]);
  });

  it("makes a sibling that asks while the first frame redeems wait for it instead of starting a second session", async () => {
    const { coordinator, issued, fresh, a, b } = setup(5000);
    const c = new FakeFrame("c");
    const ticketA = coordinator.ticketFor(a, "initial", fresh);
    const ticketB = coordinator.ticketFor(b, "initial", fresh);
    const ticketC = coordinator.ticketFor(c, "initial", fresh);
    await tick();
    coordinator.established(a, await a.authenticate(await ticketA));
    expect(await ticketB).toBe("join:session-of-fresh1");
    expect(await ticketC).toBe("join:session-of-fresh1");
    expect(issued).toEqual(["initial"]);
  });

  it("lets a waiting sibling fetch its own ticket when the first frame fails", async () => {
    const { coordinator, issued, fresh, a, b } = setup(5000);
    await coordinator.ticketFor(a, "initial", fresh);
    const ticketB = coordinator.ticketFor(b, "initial", fresh);
    await tick();
    coordinator.remove(a);
    expect(await ticketB).toBe("fresh2");
    expect(issued).toEqual(["initial", "initial"]);
  });

  it("lets the redeeming frame ask again at once, without waiting behind the siblings waiting for it", async () => {
    const { coordinator, issued, fresh, a, b } = setup(60_000);
    await coordinator.ticketFor(a, "initial", fresh);
    const ticketB = coordinator.ticketFor(b, "initial", fresh);
    await tick();
    // a's first ticket failed in its frame (say, already used); it asks for another. One of the two
    // redeems a fresh ticket at once (no wait of `waitMs`); the other joins that session.
    const retryA = coordinator.ticketFor(a, "initial", fresh);
    const [redeemer, ticket, other, otherTicket] = await Promise.race([
      retryA.then((t) => [a, t, b, ticketB] as const),
      ticketB.then((t) => [b, t, a, retryA] as const),
    ]);
    expect(ticket).toBe("fresh2");
    coordinator.established(redeemer, await redeemer.authenticate(ticket));
    expect(await otherTicket).toBe("join:session-of-fresh2");
    expect(other).not.toBe(redeemer);
    expect(issued).toEqual(["initial", "initial"]);
  });

  it("bounds the wait for a redemption that never finishes", async () => {
    const coordinator = createSessionCoordinator(20);
    const { fresh } = freshTickets();
    await coordinator.ticketFor(new FakeFrame("stuck"), "initial", fresh);
    expect(await coordinator.ticketFor(new FakeFrame("b"), "initial", fresh)).toBe("fresh2");
  });

  it("shares one renewal after expiry: one fresh ticket, siblings rejoin the renewed session", async () => {
    const { coordinator, issued, fresh, a, b } = setup(5000);
    await load(coordinator, a, fresh);
    await load(coordinator, b, fresh);
    // The server ended the shared session: both frames notice on their own.
    a.joinFails = true;
    b.joinFails = true;
    coordinator.remove(b);
    const renewB = coordinator.ticketFor(b, "expired", fresh);
    const renewA = coordinator.ticketFor(a, "expired", fresh);
    const ticketB = await renewB;
    expect(ticketB).toBe("fresh2");
    b.joinFails = false;
    await b.authenticate(ticketB);
    coordinator.established(b);
    expect(await renewA).toBe("join:session-of-fresh2");
    expect(issued).toEqual(["initial", "expired"]);
  });

  it("falls back to a fresh ticket when the holder's session is gone and it has not noticed yet", async () => {
    const { coordinator, issued, fresh, a } = setup(5000);
    await load(coordinator, a, fresh);
    a.joinFails = true;
    expect(await coordinator.ticketFor(new FakeFrame("b"), "expired", fresh)).toBe("fresh2");
    expect(issued).toEqual(["initial", "expired"]);
  });

  it("clears a failed fresh ticket request so the next frame tries again", async () => {
    const coordinator = createSessionCoordinator(5000);
    const failing = async () => {
      throw new Error("origin refused");
    };
    await expect(coordinator.ticketFor(new FakeFrame("a"), "initial", failing)).rejects.toThrow(
      "origin refused",
    );
    expect(coordinator.needsFreshTicket).toBe(true);
    const { fresh } = freshTickets();
    expect(await coordinator.ticketFor(new FakeFrame("b"), "initial", fresh)).toBe("fresh1");
  });

  it("switches every holder to a new identity with one ticket (authenticate)", async () => {
    const { coordinator, fresh, a, b } = setup(5000);
    const frames = [a, b, new FakeFrame("c")];
    for (const frame of frames) await load(coordinator, frame, fresh);
    const switched = await coordinator.switchTo(b, "user-ticket");
    expect(switched.userId).toBe("session-of-user-ticket");
    expect(coordinator.user).toEqual(switched);
    expect(frames.map((f) => f.session)).toEqual([
      "session-of-user-ticket",
      "session-of-user-ticket",
      "session-of-user-ticket",
    ]);
    expect(b.authenticated.at(-1)).toBe("user-ticket");
    // A frame loading later joins the switched session.
    expect(await coordinator.ticketFor(new FakeFrame("d"), "initial", fresh)).toBe(
      "join:session-of-user-ticket",
    );
  });

  it("takes the siblings along when a frame changes identity by itself (login inside the frame)", async () => {
    const { coordinator, fresh, a, b } = setup(5000);
    await load(coordinator, a, fresh);
    await load(coordinator, b, fresh);
    // Frame b logged the visitor in: it reports a new user.
    b.session = "logged-in";
    coordinator.established(b, user("logged-in"));
    await tick();
    await tick();
    expect(a.session).toBe("logged-in");
    expect(a.authenticated.at(-1)).toBe("join:logged-in");
    // Frame a's own ready with the same user does not start another round.
    coordinator.established(a, user("logged-in"));
    await tick();
    expect(b.authenticated).toHaveLength(1);
  });
});
