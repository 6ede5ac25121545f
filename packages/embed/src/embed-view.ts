import {
  type ErrorCode,
  type ExportResult,
  type FrameEvent,
  type FrameEventOf,
  type FrameEventType,
  type FrameMethods,
  isFrameEvent,
  isHelloResponse,
  isSelectionValue,
  isTheme,
  PROTOCOL_MAJOR,
  PROTOCOL_VERSION,
  type QueryResult,
  RPC_CHANNEL,
  type Selections,
  type SelectionValue,
  type SessionUser,
  type SheetSummary,
  type Theme,
} from "@portico/protocol";
import { CallOptions, connect, type RemoteProxy } from "penpal";
import type { ResolvedClientOptions } from "./client-options.js";
import { EmbedError, rethrow, toEmbedError } from "./embed-error.js";
import { DEFAULT_TITLE, embedUrl, type ResolvedEmbedOptions } from "./embed-options.js";
import { hostMessenger } from "./host-messenger.js";
import type { FreshTicket, SessionCoordinator, SessionMember } from "./session-coordinator.js";

export type ReadyEvent = FrameEventOf<"ready">;
export type FrameEventListener<T extends FrameEventType> = (event: FrameEventOf<T>) => void;

/** One embedded view: the frame's methods, its events, and its lifetime. */
export interface EmbedView {
  /** The iframe the view lives in. */
  readonly iframe: HTMLIFrameElement;
  /** Resolves once the frame holds a session and shows the view; rejects with an `EmbedError` if it never does. */
  readonly ready: Promise<ReadyEvent>;
  /** The session's user, once ready. */
  readonly user: SessionUser | undefined;
  /** Listens to one frame event type (SDK failures arrive as `error` too); returns the unsubscribe function. */
  on<T extends FrameEventType>(type: T, listener: FrameEventListener<T>): () => void;
  /** Switches every embed of the page (same server and proxy) to the ticket's identity. */
  authenticate(ticket: string): Promise<SessionUser>;
  getSheets(): Promise<SheetSummary[]>;
  openSheet(sheetId: string): Promise<void>;
  select(field: string, values: SelectionValue[]): Promise<Selections>;
  clearSelections(field?: string): Promise<Selections>;
  getSelections(): Promise<Selections>;
  getData(objectId: string): Promise<QueryResult>;
  exportData(objectId: string, format?: "csv"): Promise<ExportResult>;
  setTheme(theme: Theme): Promise<void>;
  setLocale(locale: string): Promise<void>;
  /** Removes the iframe and rejects pending calls with `DESTROYED`. Safe to call more than once. */
  destroy(): void;
}

/**
 * `allow-same-origin` keeps the frame's real origin, without which penpal's exact-origin pinning (and the
 * frame's own API calls) could not work; the sandbox still denies top-level navigation of the host page.
 */
export const IFRAME_SANDBOX = "allow-scripts allow-same-origin allow-forms allow-popups allow-downloads";
/** No powerful feature is delegated to the frame except writing to the clipboard (copying values). */
export const IFRAME_ALLOW = "clipboard-write";

/** The shape an auto-resizing single object takes (width / height): a chart's usual landscape card. */
export const OBJECT_ASPECT_RATIO = "16 / 9";

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

type Result<K extends keyof FrameMethods> = Promise<Awaited<ReturnType<FrameMethods[K]>>>;

/**
 * A view in `container`, for its client: the client's options, the page's session coordinator, where fresh
 * tickets come from, and what to call once the view is destroyed.
 */
export function createEmbedView(
  container: Element,
  options: ResolvedEmbedOptions,
  client: ResolvedClientOptions,
  coordinator: SessionCoordinator,
  freshTicket: FreshTicket,
  release: (view: EmbedView) => void,
): EmbedView {
  const { timeouts } = client;
  // penpal's timeout error names the method and the delay ("Method call getData() timed out after
  // 20000ms"); `toEmbedError` gives it the CALL_TIMEOUT code.
  const callOptions = new CallOptions({ timeout: timeouts.callMs });
  /**
   * The page's listeners. An `EventTarget` runs every listener even when one throws (the error is reported
   * like any uncaught one), so a faulty listener keeps neither the others nor the RPC from running.
   */
  const events = new EventTarget();
  let destroyed = false;
  let isReady = false;
  let user: SessionUser | undefined;
  /** The code of the last failure the SDK reported itself, so the frame's echo of it is not a second event. */
  let reportedCode: ErrorCode | undefined;
  /** The frame's version and its methods, from its `hello` answer (a 1.0 frame lists no methods). */
  let frameVersion: string | number = "";
  let frameMethods: string[] | undefined;

  let resolveReady: (event: ReadyEvent) => void = () => {};
  let rejectReady: (error: EmbedError) => void = () => {};
  const ready = new Promise<ReadyEvent>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  // Failures also arrive as `error` events: a page that never awaits `ready` must not get an unhandled rejection.
  ready.catch(() => {});

  const iframe = document.createElement("iframe");
  iframe.title = options.title;
  iframe.setAttribute("sandbox", IFRAME_SANDBOX);
  iframe.setAttribute("allow", IFRAME_ALLOW);
  // One object fills whatever it is given and has no height of its own to report: with auto-resize, the
  // frame takes a default aspect ratio from the page's width instead of following its content.
  const ratioSized = options.autoResize && options.view === "object";
  iframe.style.cssText = `display:block;border:0;width:100%;${ratioSized ? `height:auto;aspect-ratio:${OBJECT_ASPECT_RATIO}` : "height:100%"}`;
  iframe.src = embedUrl(client, options, location.origin);
  container.append(iframe);

  const member: SessionMember = {
    createJoinTicket: () => call("createJoinTicket"),
    authenticate: (ticket) => call("authenticate", ticket),
  };

  const connection = connect<FrameMethods>({
    // Pinned to the server's exact origin: a message from any other window or origin is dropped by penpal.
    messenger: hostMessenger(iframe.contentWindow as Window, client.serverOrigin),
    channel: RPC_CHANNEL,
    timeout: timeouts.handshakeMs,
    methods: { getTicket, emit },
  });

  /** The frame's methods once its protocol is accepted; rejects with an `EmbedError` otherwise. */
  const remote: Promise<RemoteProxy<FrameMethods>> = (async () => {
    const proxy = await connection.promise.catch((error: unknown) => {
      throw toEmbedError(error).code === "HANDSHAKE_TIMEOUT"
        ? new EmbedError(
            "HANDSHAKE_TIMEOUT",
            `No answer from ${client.server}${client.proxyBase}/embed in ${timeouts.handshakeMs} ms: check "server" and the proxy's host allow list`,
          )
        : error;
    });
    // A frame without `hello` (METHOD_NOT_FOUND) speaks another protocol: reported below. A 1.0 frame reads
    // only the major, as an integer; a later one reads the full version and the ticket timeout too.
    const hello = await proxy
      .hello(
        PROTOCOL_MAJOR,
        { protocolVersion: PROTOCOL_VERSION, ticketTimeoutMs: timeouts.ticketMs },
        callOptions,
      )
      .catch((error: unknown) => {
        if (toEmbedError(error).code !== "PROTOCOL_MISMATCH") throw error;
      });
    if (!isHelloResponse(hello) || !hello.compatible)
      throw new EmbedError(
        "PROTOCOL_MISMATCH",
        `The frame speaks protocol ${isHelloResponse(hello) ? hello.protocolVersion : "unknown"}, this SDK speaks ${PROTOCOL_VERSION}: match @portico/embed to the server`,
      );
    frameVersion = hello.protocolVersion;
    frameMethods = hello.methods;
    return proxy;
  })().catch(rethrow);
  remote.catch(fail);

  /**
   * Calls a frame method. `destroy()` rejects what is pending with `DESTROYED`: penpal rejects its calls
   * when the connection is destroyed, and `ready` rejects itself (the page's calls wait for it).
   */
  function call<K extends keyof FrameMethods>(method: K, ...args: Parameters<FrameMethods[K]>): Result<K> {
    return remote
      .then((proxy) => {
        // A frame of an older minor lacks what came after it. A 1.0 frame lists nothing, and has every
        // method of 1.0: today's all are, and one added later must be refused for such a frame here too.
        if (frameMethods && !frameMethods.includes(method))
          throw new EmbedError(
            "NOT_SUPPORTED",
            `${method}: the frame speaks protocol ${frameVersion} without it, this SDK speaks ${PROTOCOL_VERSION}: update the server`,
          );
        return (proxy[method] as unknown as AnyMethod)(...args, callOptions);
      })
      .catch(rethrow) as Result<K>;
  }

  /**
   * A frame method that needs the view to be ready (a session and a loaded app). `ready` keeps its first
   * outcome; a frame that comes up after a failure (the visitor pressed retry) is usable all the same.
   */
  async function callWhenReady<K extends keyof FrameMethods>(
    method: K,
    ...args: Parameters<FrameMethods[K]>
  ): Result<K> {
    if (!isReady) await ready;
    return call(method, ...args);
  }

  /** A view method whose first argument is a non-empty string: a page mistake names the method and argument. */
  const withString =
    (
      method: "openSheet" | "select" | "clearSelections" | "getData" | "exportData" | "setLocale",
      name: string,
    ) =>
    async (value: unknown, ...rest: unknown[]): Promise<never> => {
      if (typeof value !== "string" || value === "")
        throw new EmbedError("BAD_REQUEST", `${method}: ${name} must be a non-empty string`);
      return (callWhenReady as (...args: unknown[]) => Promise<never>)(method, value, ...rest);
    };

  // ---- host methods (called by the frame; arguments are untrusted) ----

  async function getTicket(reason: unknown): Promise<string> {
    try {
      if (reason !== "initial" && reason !== "expired")
        throw new EmbedError("BAD_REQUEST", "getTicket: unknown reason");
      // Never hand a ticket to a frame whose protocol the SDK has not accepted.
      await remote;
      return await coordinator.ticketFor(member, reason, freshTicket);
    } catch (error) {
      const embedError = toEmbedError(error);
      report(embedError);
      // A plain object, not an Error: penpal would keep only the message of an Error instance.
      throw embedError.toJSON();
    }
  }

  function emit(event: unknown): void {
    if (destroyed) return;
    // Untrusted input: a malformed event is dropped, never thrown back into the frame.
    if (!isFrameEvent(event)) {
      console.warn("[portico] dropped an invalid event from the frame", event);
      return;
    }
    switch (event.type) {
      case "ready":
        // The embed URL carries only the theme's base name; token overrides follow over RPC.
        if (!isReady && typeof options.theme === "object") call("setTheme", options.theme).catch(report);
        isReady = true;
        user = event.user;
        // A page that named its embed keeps that name; otherwise the frame's words beat the generic one.
        if (event.title && options.title === DEFAULT_TITLE) iframe.title = event.title;
        reportedCode = undefined;
        coordinator.established(member, user);
        resolveReady(event);
        break;
      case "sessionRecovered":
        reportedCode = undefined;
        coordinator.established(member);
        break;
      case "sessionChanged":
        // The visitor logged in inside this frame: its session becomes the page's, and siblings follow.
        user = event.user;
        coordinator.established(member, user);
        break;
      case "sessionExpired":
        // The frame tells this before it asks for a renewal ticket (messages keep their order).
        coordinator.remove(member);
        break;
      case "resize":
        if (options.autoResize && !ratioSized) iframe.style.height = `${Math.ceil(event.height)}px`;
        break;
      case "error":
        // A warning: the frame dropped part of what the page asked for and goes on without it.
        if (event.level === "warning") break;
        if (event.code === reportedCode) return;
        if (!isReady) {
          coordinator.remove(member);
          rejectReady(new EmbedError(event.code, event.message));
        }
    }
    dispatch(event);
  }

  function dispatch(event: FrameEvent): void {
    // The developer reads the precise code in the console too; the visitor sees plain words in the frame.
    if (event.type === "error" && event.code !== "DESTROYED")
      (event.level === "warning" ? console.warn : console.error)(
        `[portico] ${event.code}${event.field ? ` (${event.field})` : ""}: ${event.message}`,
      );
    events.dispatchEvent(new CustomEvent(event.type, { detail: event }));
  }

  /**
   * An SDK-side failure: an `error` event for the page, and `ready` rejects if it had not resolved. `fatal`
   * when it leaves nothing to show (no handshake, wrong protocol, origin refused): the frame goes.
   */
  function report(error: EmbedError, fatal?: boolean): void {
    if (destroyed || reportedCode === error.code) return;
    reportedCode = error.code;
    if (fatal) coordinator.remove(member);
    if (!isReady) {
      rejectReady(error);
      if (fatal) {
        iframe.hidden = true;
        // The iframe's inline `display: block` would win over `hidden` and leave the browser's
        // broken-page screen (or a refused frame) on view.
        iframe.style.display = "none";
        connection.destroy();
      }
    }
    dispatch({ type: "error", code: error.code, message: error.message });
  }
  function fail(error: EmbedError): void {
    report(error, true);
  }

  const view: EmbedView & { fail(error: EmbedError): void; readonly isReady: boolean } = {
    iframe,
    ready,
    get user() {
      return user;
    },
    get isReady() {
      return isReady;
    },
    on(type, listener) {
      const handler = (event: Event) => listener((event as CustomEvent).detail);
      events.addEventListener(type, handler);
      return () => events.removeEventListener(type, handler);
    },
    async authenticate(ticket) {
      if (typeof ticket !== "string" || ticket === "")
        throw new EmbedError("BAD_REQUEST", "authenticate: ticket must be a non-empty string");
      // Destroyed before the handshake: `remote` would wait for the handshake timeout; `ready` says DESTROYED.
      await (destroyed ? ready : remote);
      return coordinator.switchTo(member, ticket);
    },
    getSheets: () => callWhenReady("getSheets"),
    openSheet: withString("openSheet", "sheetId"),
    async select(field, values) {
      if (!Array.isArray(values) || !values.every(isSelectionValue))
        throw new EmbedError("BAD_REQUEST", "select: values must be strings or numbers");
      return withString("select", "field")(field, values);
    },
    clearSelections: async (field) =>
      field === undefined ? callWhenReady("clearSelections") : withString("clearSelections", "field")(field),
    getSelections: () => callWhenReady("getSelections"),
    getData: withString("getData", "objectId"),
    exportData: (objectId, format = "csv") => withString("exportData", "objectId")(objectId, format),
    async setTheme(theme) {
      if (!isTheme(theme)) throw new EmbedError("BAD_REQUEST", "setTheme: invalid theme");
      return callWhenReady("setTheme", theme);
    },
    setLocale: withString("setLocale", "locale"),
    fail,
    destroy() {
      if (destroyed) return;
      destroyed = true;
      const error = new EmbedError("DESTROYED", "The view was destroyed");
      rejectReady(error);
      connection.destroy();
      iframe.remove();
      coordinator.remove(member);
      release(view);
    },
  };
  return view;
}
