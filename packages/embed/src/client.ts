import { type SessionUser, type TicketReason, withTimeout } from "@portico/protocol";
import { fetchAnonymousTicket } from "./anonymous-ticket.js";
import {
  type ClientOptions,
  clientKey,
  type ResolvedClientOptions,
  resolveClientOptions,
} from "./client-options.js";
import { EmbedError, toEmbedError } from "./embed-error.js";
import { type EmbedOptions, resolveEmbedOptions } from "./embed-options.js";
import { createEmbedView, type EmbedView } from "./embed-view.js";
import { keepCredential, ownCredential, postCredential, resumeTicket } from "./page-resume.js";
import { createSessionCoordinator, type SessionCoordinator } from "./session-coordinator.js";

/** A client for one server and virtual proxy; every embed it makes shares the page's session. */
export interface PorticoClient {
  /** The normalised server URL. */
  readonly server: string;
  /** The virtual proxy prefix (`""` for the default proxy). */
  readonly proxy: string;
  /** The views this client made that are not destroyed. */
  readonly views: readonly EmbedView[];
  /** The page session's user, once a frame reported it. */
  readonly user: SessionUser | undefined;
  /** Puts a view into `container` (an iframe is appended to it). Throws `MISCONFIGURED` for bad options. */
  embed(container: Element, options: EmbedOptions): EmbedView;
  /** Switches every embed of the page to the ticket's identity (an `allow` proxy's visitor logging in). */
  authenticate(ticket: string): Promise<SessionUser>;
  /** Destroys every view. */
  destroy(): void;
}

/** A prefetched ticket is only used well within its 60 s lifetime, leaving time to redeem it. */
export const PREFETCH_MAX_AGE_MS = 20_000;

/** A ticket failure that leaves a new view nothing to show. */
const FATAL_TICKET_CODES = new Set(["ORIGIN_NOT_ALLOWED", "PROXY_NOT_FOUND", "UNAVAILABLE"]);

/** One coordinator per page per server+proxy, whichever client made the embed: one session, not one per client. */
const coordinators = new Map<string, SessionCoordinator>();

type InternalView = EmbedView & { fail(error: EmbedError): void; readonly isReady: boolean };

/** Per server+proxy: its options and how many views of any client use its session now. */
const pages = new Map<string, { client: ResolvedClientOptions; views: number }>();

/** The page says its visitor left: the server ends the session after a short grace unless a page resumes it. */
function leave(key: string): void {
  const page = pages.get(key);
  const credential = page && ownCredential(key);
  if (page && credential) postCredential(page.client, "leave", credential).catch(() => {});
}

/**
 * Leaving the page (closing the tab, navigating away, a reload) says so for every session. A page brought
 * back from the back/forward cache needs nothing more: its frames' next requests show the server someone is
 * there again, and a session whose grace ran out meanwhile is resumed (same visitor) by the frame's recovery.
 */
function watchPage(): void {
  addEventListener("pagehide", () => {
    for (const key of pages.keys()) leave(key);
  });
}

/** Creates a client; throws `MISCONFIGURED` or `INSECURE_SERVER` with what to change. */
export function createClient(options: ClientOptions): PorticoClient {
  const client = resolveClientOptions(options, location.href);
  const {
    server,
    getTicket,
    timeouts: { ticketMs },
  } = client;
  const key = clientKey(client);
  const coordinator = coordinators.get(key) ?? createSessionCoordinator(ticketMs);
  if (coordinators.size === 0) watchPage();
  coordinators.set(key, coordinator);
  const page = pages.get(key) ?? { client, views: 0 };
  pages.set(key, page);
  const views = new Set<InternalView>();
  let prefetched: Promise<string> | undefined;
  let destroyed = false;

  function requestTicket(): Promise<string> {
    const source = getTicket
      ? Promise.resolve()
          .then(getTicket)
          .then(
            (ticket) => {
              if (typeof ticket !== "string" || ticket === "")
                throw new EmbedError("TICKET_INVALID", "getTicket() must return a non-empty string");
              return ticket;
            },
            (error: unknown) => {
              const cause = toEmbedError(error);
              throw cause.code === "INTERNAL"
                ? new EmbedError("UNAUTHENTICATED", `getTicket() failed: ${cause.message}`)
                : cause;
            },
          )
      : resumeTicket(client, key, client.resume).then(
          (ticket) =>
            ticket ??
            fetchAnonymousTicket(client, location.origin, fetch, (credential) =>
              keepCredential(key, client.resume, credential),
            ),
        );
    return withTimeout(
      source,
      ticketMs,
      () =>
        new EmbedError(
          "TICKET_TIMEOUT",
          `No ticket from ${getTicket ? "getTicket()" : server} within ${ticketMs} ms`,
        ),
    );
  }

  function freshTicket(reason: TicketReason): Promise<string> {
    const ticket = prefetched;
    prefetched = undefined;
    return ticket && reason === "initial" ? ticket : requestTicket();
  }

  /** The first embed fetches its ticket while the iframe loads, instead of after the handshake. */
  function prefetch(): void {
    if (prefetched || !coordinator.needsFreshTicket) return;
    const ticket = requestTicket();
    prefetched = ticket;
    const drop = () => {
      if (prefetched === ticket) prefetched = undefined;
    };
    // Used only well within the ticket's lifetime, leaving time to redeem it.
    setTimeout(drop, PREFETCH_MAX_AGE_MS);
    ticket.catch((error: unknown) => {
      const embedError = toEmbedError(error);
      // A refused origin (the frame is blocked by CSP frame-ancestors too), a proxy that does not exist or
      // an unreachable server leaves nothing to load: say so now, not after the handshake timeout.
      if (FATAL_TICKET_CODES.has(embedError.code))
        for (const view of views) if (!view.isReady) view.fail(embedError);
      // The next embed asks again (and learns the same, quickly) instead of waiting for a handshake timeout.
      drop();
    });
  }

  coordinator.onSwitchError = (error) => {
    for (const view of views) view.fail(toEmbedError(error));
  };

  return {
    server,
    proxy: client.proxy,
    get views() {
      return [...views];
    },
    get user() {
      return coordinator.user;
    },
    embed(container, embedOptions) {
      if (destroyed) throw new EmbedError("DESTROYED", "embed: the client was destroyed");
      if (!(container instanceof Element))
        throw new EmbedError("MISCONFIGURED", "embed: container must be a DOM element");
      const view = createEmbedView(
        container,
        resolveEmbedOptions(embedOptions),
        client,
        coordinator,
        freshTicket,
        (released) => {
          if (views.delete(released as InternalView) && --page.views === 0) leave(key);
        },
      ) as InternalView;
      views.add(view);
      page.views++;
      prefetch();
      return view;
    },
    async authenticate(ticket) {
      const [first] = views;
      if (!first) throw new EmbedError("MISCONFIGURED", "authenticate: the client has no view");
      return first.authenticate(ticket);
    },
    destroy() {
      destroyed = true;
      for (const view of [...views]) view.destroy();
    },
  };
}
