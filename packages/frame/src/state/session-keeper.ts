import {
  LEGACY_TICKET_WAIT_MS,
  type Selections,
  type SessionResponse,
  type SessionUser,
  type TicketReason,
  withTimeout,
} from "@portico/protocol";
import type { ApiClient, FirstView } from "../api/api-client.js";
import { FrameError, isSessionError, toFrameError } from "../errors/frame-error.js";
import { InactivityTimer } from "../session/inactivity-timer.js";
import type { SessionStore } from "../session/session-store.js";
import type { HostBridge } from "./host-bridge.js";

/** How long the frame waits for the host's `getTicket()` unless the host says otherwise in `hello`. */
export const TICKET_TIMEOUT_MS = LEGACY_TICKET_WAIT_MS;

/** Until a session tells the real one (the proxy's embed config usually does first). */
const DEFAULT_INACTIVITY_TIMEOUT_MS = 30 * 60_000;

/** What a recovered view shows again; the host hears it in `sessionRecovered`. */
export interface RestoredView {
  sheet?: string;
  selections: Selections;
}

export interface SessionKeeperOptions {
  api: Pick<ApiClient, "createSession" | "anonymousSession" | "login" | "joinTicket">;
  store: Pick<SessionStore, "current" | "set" | "clear">;
  /** The host page, once connected (tickets come from it), and where the session's events go. */
  bridge: Pick<HostBridge, "host" | "emit">;
  /** `expiringAt` changed (the UI shows or hides its "stay connected" bar). */
  onChange: () => void;
  /** The app and view a new session is asked to carry, so they arrive with its answer. */
  firstView: () => FirstView;
  /** Every new session's answer, before anything else uses the session (its app and results to keep). */
  onSession: (response: SessionResponse) => void;
  /** A session request is on its way. */
  onSessionRequest?: () => void;
  /** After a recovery: the same view again under the new session. */
  restore: () => Promise<RestoredView>;
  /** Puts the frame on its error screen. */
  fail: (error: FrameError) => void;
  anonymousAccess?: "none" | "allow" | "always";
  /** The pinned host page origin, sent along when redeeming tickets (they are bound to it). */
  hostOrigin?: string | undefined;
  inactivityTimeoutMs?: number | undefined;
}

const LAPSED_TICKET_CODES = new Set([
  "UNAUTHENTICATED",
  "TICKET_TIMEOUT",
  "TICKET_INVALID",
  "TICKET_EXPIRED",
  "TICKET_USED",
]);

/**
 * The frame's session: gets one (a ticket from the host, or an anonymous session on Portico's own pages),
 * mirrors the server's inactivity clock to warn the host before it ends, and recovers a lapsed session on
 * the next request with a new ticket, restoring the same view.
 */
export class SessionKeeper {
  /** Set while the session is about to end for inactivity (the UI offers to continue). */
  expiringAt: Date | undefined;
  /** The session ended; the next request recovers it. */
  expired = false;

  readonly #o: SessionKeeperOptions;
  readonly #anonymousAccess: "none" | "allow" | "always";
  #timer: InactivityTimer | undefined;
  #timeoutMs: number;
  #ticketTimeoutMs: number;
  #recovering: Promise<void> | undefined;

  constructor(options: SessionKeeperOptions) {
    this.#o = options;
    this.#anonymousAccess = options.anonymousAccess ?? "none";
    this.#timeoutMs = options.inactivityTimeoutMs ?? DEFAULT_INACTIVITY_TIMEOUT_MS;
    this.#ticketTimeoutMs = TICKET_TIMEOUT_MS;
  }

  get user(): SessionUser | undefined {
    return this.#o.store.current?.user;
  }

  /** How long a `getTicket()` of the host may take; the host tells its own in `hello`. */
  setTicketTimeoutMs(ms: number): void {
    if (Number.isFinite(ms) && ms > 0) this.#ticketTimeoutMs = ms;
  }

  /**
   * The first load of the view under a session: with a host, or on an anonymous-only proxy, a new session
   * at once (no cookie session is worth trying first: one round trip less before the first chart);
   * otherwise the stored or cookie session, and a new one quietly when `load` finds it gone (a first load,
   * not a recovery: no sessionExpired/sessionRecovered events).
   */
  async open<T>(load: () => Promise<T>): Promise<T> {
    const direct = this.#o.bridge.host !== undefined || this.#anonymousAccess === "always";
    const current = this.#o.store.current;
    if (direct && !current) await this.acquire("initial");
    else if (current) this.#startTimer(current.inactivityTimeoutMs);
    try {
      const loaded = await load();
      this.touch();
      return loaded;
    } catch (error) {
      if (!isSessionError(toFrameError(error))) throw error;
      this.#o.store.clear();
      await this.acquire("initial");
      return load();
    }
  }

  /** Any successful request is activity on the server. */
  touch(): void {
    this.#timer?.touch();
  }

  /**
   * A new session: with a host, its ticket; without one, an anonymous session where the proxy allows it.
   * Its answer carries the first view (see `firstView`).
   */
  async acquire(reason: TicketReason): Promise<SessionResponse> {
    const host = this.#o.bridge.host;
    const first = this.#o.firstView();
    let request: Promise<SessionResponse>;
    if (host) {
      const ticket: unknown = await withTimeout(
        host.getTicket(reason),
        this.#ticketTimeoutMs,
        () => new FrameError("TICKET_TIMEOUT", "The host page did not provide a ticket in time"),
      );
      // The host is untrusted input: a ticket is a non-empty string and nothing else.
      if (typeof ticket !== "string" || ticket.length === 0 || ticket.length > 8192)
        throw new FrameError("TICKET_INVALID", "The host page provided no usable ticket");
      request = this.#o.api.createSession(ticket, this.#o.hostOrigin, first);
    } else if (this.#anonymousAccess !== "none") {
      // Our own page, no host: an anonymous session in one request (no ticket to bind another origin).
      request = this.#o.api.anonymousSession(first);
    } else {
      throw new FrameError(reason === "expired" ? "SESSION_EXPIRED" : "UNAUTHENTICATED", "Please log in");
    }
    this.#o.onSessionRequest?.();
    return this.adopt(await request);
  }

  /** Redeems a ticket the host handed over itself (`authenticate`), replacing the session. */
  async redeem(ticket: string): Promise<SessionResponse> {
    const response = this.adopt(await this.#o.api.createSession(ticket, this.#o.hostOrigin));
    this.expired = false;
    return response;
  }

  /** The visitor's in-frame login (local user directory), replacing the session. */
  async logIn(userId: string, password: string): Promise<SessionResponse> {
    const response = this.adopt(await this.#o.api.login(userId, password, this.#o.hostOrigin));
    this.expired = false;
    return response;
  }

  /** A ticket into this session for another embed of the page (it then shares the visitor's session). */
  async joinTicket(): Promise<string> {
    return (await this.run(() => this.#o.api.joinTicket(this.#o.hostOrigin))).ticket;
  }

  /** Makes `response` the frame's session. */
  adopt(response: SessionResponse): SessionResponse {
    const stored = this.#o.store.set(response);
    this.#startTimer(stored.inactivityTimeoutMs);
    this.#o.onSession(response);
    return response;
  }

  /** Runs a request; when the session has lapsed, gets a new one, restores the view, and retries once. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    try {
      const result = await fn();
      this.touch();
      return result;
    } catch (error) {
      const e = toFrameError(error);
      if (!isSessionError(e)) throw e;
      await this.recover();
      return fn();
    }
  }

  /** The visitor chose to continue: recovers an ended session, or reports true when it still runs. */
  async continueSession(): Promise<boolean> {
    this.expiringAt = undefined;
    this.#o.onChange();
    if (!this.expired) return true;
    await this.recover();
    return false;
  }

  /** One recovery at a time, however many requests found the session gone. */
  recover(): Promise<void> {
    this.#recovering ??= this.#recover().finally(() => {
      this.#recovering = undefined;
    });
    return this.#recovering;
  }

  async #recover(): Promise<void> {
    if (!this.expired) this.#o.bridge.emit({ type: "sessionExpired" });
    this.expired = true;
    this.expiringAt = undefined;
    this.#o.store.clear();
    try {
      await this.acquire("expired");
    } catch (error) {
      // No new session: say so on screen (a licence denial keeps its own words).
      const e = toFrameError(error);
      const shown = LAPSED_TICKET_CODES.has(e.code)
        ? new FrameError("SESSION_EXPIRED", "The session ended and could not be renewed")
        : e;
      this.#o.fail(shown);
      throw shown;
    }
    // Same app, same sheet, same selections: the visitor should not notice more than a blink.
    const view = await this.#o.restore();
    this.expired = false;
    this.#o.bridge.emit({
      type: "sessionRecovered",
      ...(view.sheet ? { sheet: view.sheet } : {}),
      selections: view.selections,
    });
  }

  /** Stops the inactivity clock; the keeper must not be used afterwards. */
  dispose(): void {
    this.#timer?.stop();
  }

  #startTimer(timeoutMs: number): void {
    this.#timeoutMs = timeoutMs > 0 ? timeoutMs : this.#timeoutMs;
    this.#timer?.stop();
    this.#timer = new InactivityTimer({
      timeoutMs: this.#timeoutMs,
      onExpiring: (expiresAt) => {
        this.expiringAt = expiresAt;
        this.#o.onChange();
        this.#o.bridge.emit({ type: "sessionExpiring", expiresAt: expiresAt.toISOString() });
      },
      onExpired: () => {
        // Recovery waits for the visitor's next action (or a host call): an idle tab must not keep
        // minting sessions and consuming access passes.
        this.expired = true;
        this.expiringAt = undefined;
        this.#o.onChange();
        this.#o.bridge.emit({ type: "sessionExpired" });
      },
    });
    this.#timer.touch();
  }
}
