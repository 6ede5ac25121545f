import type { SessionUser, TicketReason } from "@portico/protocol";

/** What the coordinator needs from one embed: its frame's session operations. */
export interface SessionMember {
  /** A one-time join ticket to the session this member's frame holds. */
  createJoinTicket(): Promise<string>;
  /** Redeems `ticket` in this member's frame, replacing its session. */
  authenticate(ticket: string): Promise<SessionUser>;
}

/** A fresh (non-join) ticket: anonymous, or from the page's backend. */
export type FreshTicket = (reason: TicketReason) => Promise<string>;

interface Redemption {
  member: SessionMember;
  done: Promise<void>;
  settle: () => void;
}

function sameUser(a: SessionUser, b: SessionUser): boolean {
  return a.userDirectory === b.userDirectory && a.userId === b.userId;
}

/**
 * One page, one session (DESIGN §2): the first embed redeems a fresh ticket; every sibling joins that
 * session with a one-time join ticket minted by a frame that holds it. A renewal after expiry is shared the
 * same way, so N embeds cost one ticket, one session and one licence allocation, not N.
 */
export class SessionCoordinator {
  /** Members whose frame holds the page's current session, oldest first. */
  readonly #holders = new Set<SessionMember>();
  /** A member redeeming a fresh ticket; siblings wait for it instead of starting a second session. */
  #redemption: Redemption | undefined;
  #switching = false;
  /** The tail of the queue of ticket decisions (see `#exclusive`). */
  #lock: Promise<unknown> = Promise.resolve();
  readonly #waitMs: number;
  /** The identity of the page's session, when a frame told us. */
  user: SessionUser | undefined;
  /** Called when a frame switched identity on its own (login inside the frame) and siblings followed. */
  onSwitchError: (error: unknown) => void = () => {};

  /** `waitMs` bounds the wait for a sibling's redemption: after it, the member fetches its own ticket. */
  constructor(waitMs: number) {
    this.#waitMs = waitMs;
  }

  /** True when no frame holds or is getting a session: the next ticket will be a fresh one. */
  get needsFreshTicket(): boolean {
    return this.#holders.size === 0 && this.#redemption === undefined;
  }

  /** The ticket `member` should redeem: a join ticket when a sibling holds a session, else a fresh one. */
  async ticketFor(member: SessionMember, reason: TicketReason, fresh: FreshTicket): Promise<string> {
    // A member asking for a ticket holds no session (any more).
    this.#holders.delete(member);
    for (;;) {
      const redemption = this.#redemption;
      if (redemption && redemption.member !== member) {
        const timedOut = await Promise.race([
          redemption.done.then(() => false),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(true), this.#waitMs)),
        ]);
        if (timedOut && this.#redemption === redemption) this.#redemption = undefined;
        continue;
      }
      // Decisions are taken one at a time: while one member tries a join ticket, another must not conclude
      // that nobody holds a session and start a second one.
      const joined = await this.#exclusive(async () => {
        if (this.#redemption && this.#redemption.member !== member) return "wait";
        for (const holder of [...this.#holders]) {
          try {
            return { ticket: await holder.createJoinTicket() };
          } catch {
            // That frame's session is gone too (expired or revoked): try the next holder, then a fresh ticket.
            this.#holders.delete(holder);
          }
        }
        this.#startRedemption(member);
        return "fresh";
      });
      if (joined === "wait") continue;
      if (joined !== "fresh") return joined.ticket;
      try {
        return await fresh(reason);
      } catch (error) {
        this.#endRedemption(member);
        throw error;
      }
    }
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(task, task);
    this.#lock = run.catch(() => {});
    return run;
  }

  /** `member`'s frame now holds a session (`ready`, `sessionRecovered`); `user` when the event carried it. */
  established(member: SessionMember, user?: SessionUser): void {
    const redeemed = this.#redemption?.member === member;
    const previous = this.user;
    this.#holders.add(member);
    this.#endRedemption(member);
    if (!user) {
      if (redeemed) this.user = undefined;
      return;
    }
    this.user = user;
    // A frame that changed identity by itself (the visitor logged in inside it) takes its siblings along.
    if (!redeemed && !this.#switching && previous && !sameUser(previous, user))
      this.#follow(member).catch((error: unknown) => this.onSwitchError(error));
  }

  /** `member`'s session expired: it no longer mints join tickets. */
  expired(member: SessionMember): void {
    this.#holders.delete(member);
  }

  /** `member` failed before it held a session, or is gone: siblings stop waiting for it. */
  remove(member: SessionMember): void {
    this.#holders.delete(member);
    this.#endRedemption(member);
  }

  /**
   * Switches the page's session to `ticket`'s identity: `first` redeems it, then every sibling that holds
   * the old session joins the new one. Siblings still loading will join it when they ask for a ticket.
   */
  async switchTo(first: SessionMember, ticket: string): Promise<SessionUser> {
    this.#switching = true;
    try {
      this.#holders.delete(first);
      const user = await first.authenticate(ticket);
      this.user = user;
      await this.#follow(first);
      return user;
    } finally {
      this.#switching = false;
    }
  }

  /** Every other holder joins `leader`'s session; `leader` becomes the first holder. */
  async #follow(leader: SessionMember): Promise<void> {
    const siblings = [...this.#holders].filter((m) => m !== leader);
    this.#holders.clear();
    this.#holders.add(leader);
    const wasSwitching = this.#switching;
    this.#switching = true;
    try {
      for (const sibling of siblings) {
        const join = await leader.createJoinTicket();
        await sibling.authenticate(join);
        this.#holders.add(sibling);
      }
    } finally {
      this.#switching = wasSwitching;
    }
  }

  #startRedemption(member: SessionMember): void {
    let settle = () => {};
    const done = new Promise<void>((resolve) => {
      settle = resolve;
    });
    this.#redemption = { member, done, settle };
  }

  #endRedemption(member: SessionMember): void {
    if (this.#redemption?.member !== member) return;
    this.#redemption.settle();
    this.#redemption = undefined;
  }
}
