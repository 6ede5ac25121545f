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

/** The page's session, shared by its embeds for one server+proxy (see `createSessionCoordinator`). */
export interface SessionCoordinator {
  /** True when no frame holds or is getting a session: the next ticket will be a fresh one. */
  readonly needsFreshTicket: boolean;
  /** The identity of the page's session, when a frame told us. */
  user: SessionUser | undefined;
  /** Called when a frame switched identity on its own (login inside the frame) and siblings failed to follow. */
  onSwitchError: (error: unknown) => void;
  /** The ticket `member` should redeem: a join ticket when a sibling holds a session, else a fresh one. */
  ticketFor(member: SessionMember, reason: TicketReason, fresh: FreshTicket): Promise<string>;
  /** `member`'s frame now holds a session (`ready`, `sessionRecovered`, `sessionChanged`); `user` when the event carried it. */
  established(member: SessionMember, user?: SessionUser): void;
  /**
   * `member` holds no session (any more): it failed before it held one, its session expired, or it is
   * gone. It mints no join tickets, and siblings stop waiting for it.
   */
  remove(member: SessionMember): void;
  /**
   * Switches the page's session to `ticket`'s identity: `first` redeems it, then every sibling that holds
   * the old session joins the new one. Siblings still loading will join it when they ask for a ticket.
   */
  switchTo(first: SessionMember, ticket: string): Promise<SessionUser>;
}

/**
 * One page, one session: the first embed redeems a fresh ticket; every sibling joins that
 * session with a one-time join ticket minted by a frame that holds it. A renewal after expiry is shared the
 * same way, so N embeds cost one ticket, one session and one licence allocation, not N.
 *
 * Ticket decisions take turns: while one member tries a join ticket, another must not conclude that
 * nobody holds a session and start a second one. A member that redeems a fresh ticket keeps its turn until
 * its frame holds the session (siblings then join it), fails, or `waitMs` passed (siblings then decide
 * without it).
 * (A closure rather than a class: the minifier shortens its locals, not a class's members.)
 */
export function createSessionCoordinator(waitMs: number): SessionCoordinator {
  /** Members whose frame holds the page's current session, oldest first. */
  const holders = new Set<SessionMember>();
  /** A member redeeming a fresh ticket (siblings wait for it instead of starting a second session), and the end of its turn. */
  let redeeming: SessionMember | undefined;
  let endTurn = () => {};
  let switching = false;
  /** The end of the last turn taken. */
  let turns: Promise<void> = Promise.resolve();

  function endRedemption(member: SessionMember): void {
    if (redeeming !== member) return;
    redeeming = undefined;
    endTurn();
  }

  /** Every other holder joins `leader`'s session; `leader` becomes the first holder. */
  async function follow(leader: SessionMember): Promise<void> {
    const siblings = [...holders].filter((m) => m !== leader);
    holders.clear();
    holders.add(leader);
    const wasSwitching = switching;
    switching = true;
    try {
      for (const sibling of siblings) {
        await sibling.authenticate(await leader.createJoinTicket());
        holders.add(sibling);
      }
    } finally {
      switching = wasSwitching;
    }
  }

  const coordinator: SessionCoordinator = {
    user: undefined,
    onSwitchError: () => {},
    get needsFreshTicket() {
      return holders.size === 0 && redeeming === undefined;
    },
    async ticketFor(member, reason, fresh) {
      // A member asking for a ticket holds no session (any more), and does not wait for its own turn.
      holders.delete(member);
      endRedemption(member);
      const previous = turns;
      let release = () => {};
      turns = new Promise<void>((resolve) => {
        release = resolve;
      });
      await previous;
      for (const holder of [...holders]) {
        try {
          const ticket = await holder.createJoinTicket();
          release();
          return ticket;
        } catch {
          // That frame's session is gone too (expired or revoked): try the next holder, then a fresh ticket.
          holders.delete(holder);
        }
      }
      redeeming = member;
      endTurn = release;
      setTimeout(release, waitMs);
      try {
        return await fresh(reason);
      } catch (error) {
        endRedemption(member);
        throw error;
      }
    },
    established(member, user) {
      const redeemed = redeeming === member;
      const previous = coordinator.user;
      holders.add(member);
      endRedemption(member);
      if (!user) {
        if (redeemed) coordinator.user = undefined;
        return;
      }
      coordinator.user = user;
      // A frame that changed identity by itself (the visitor logged in inside it) takes its siblings along.
      if (
        !redeemed &&
        !switching &&
        previous &&
        (previous.userDirectory !== user.userDirectory || previous.userId !== user.userId)
      )
        follow(member).catch((error: unknown) => coordinator.onSwitchError(error));
    },
    remove(member) {
      holders.delete(member);
      endRedemption(member);
    },
    async switchTo(first, ticket) {
      switching = true;
      try {
        holders.delete(first);
        const user = await first.authenticate(ticket);
        coordinator.user = user;
        await follow(first);
        return user;
      } finally {
        switching = false;
      }
    },
  };
  return coordinator;
}
