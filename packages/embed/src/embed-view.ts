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
  PROTOCOL_VERSION,
  type QueryResult,
  RPC_CHANNEL,
  type Selections,
  type SelectionValue,
  type SessionUser,
  type SheetSummary,
  type Theme,
  type TicketReason,
} from "@portico/protocol";
import { CallOptions, connect, type RemoteProxy } from "penpal";
import type { ResolvedClientOptions } from "./client-options.js";
import { EmbedError, toEmbedError } from "./embed-error.js";
import { embedUrl, type ResolvedEmbedOptions } from "./embed-options.js";
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

/** What a view needs from its client. */
export interface ViewContext {
  client: ResolvedClientOptions;
  coordinator: SessionCoordinator;
  freshTicket: FreshTicket;
  pageOrigin: string;
  release(view: EmbedView): void;
}

/**
 * `allow-same-origin` keeps the frame's real origin, without which penpal's exact-origin pinning (and the
 * frame's own API calls) could not work; the sandbox still denies top-level navigation of the host page.
 */
export const IFRAME_SANDBOX = "allow-scripts allow-same-origin allow-forms allow-popups allow-downloads";
/** No powerful feature is delegated to the frame except writing to the clipboard (copying values). */
export const IFRAME_ALLOW = "clipboard-write";

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

export function createEmbedView(
  container: Element,
  options: ResolvedEmbedOptions,
  context: ViewContext,
): EmbedView {
  const { client, coordinator } = context;
  const { timeouts } = client;
  const listeners = new Map<FrameEventType, Set<(event: FrameEvent) => void>>();
  const cancels = new Set<(error: EmbedError) => void>();
  let destroyed = false;
  let isReady = false;
  let failed: EmbedError | undefined;
  let user: SessionUser | undefined;
  /** The code of the last failure the SDK reported itself, so the frame's echo of it is not a second event. */
  let reportedCode: ErrorCode | undefined;

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
  iframe.style.cssText = "display:block;border:0;width:100%;height:100%";
  iframe.src = embedUrl(client, options, context.pageOrigin);
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

  const remote: Promise<RemoteProxy<FrameMethods>> = (async () => {
    let proxy: RemoteProxy<FrameMethods>;
    try {
      proxy = await connection.promise;
    } catch (error) {
      const embedError = toEmbedError(error);
      if (embedError.code === "HANDSHAKE_TIMEOUT")
        throw new EmbedError(
          "HANDSHAKE_TIMEOUT",
          `No answer from ${client.server}${client.proxyBase}/embed in ${timeouts.handshakeMs} ms: check "server" and the proxy's host allow list`,
        );
      throw embedError;
    }
    let hello: unknown;
    try {
      hello = await proxy.hello(PROTOCOL_VERSION, new CallOptions({ timeout: timeouts.callMs }));
    } catch (error) {
      const embedError = toEmbedError(error);
      if (embedError.code !== "PROTOCOL_MISMATCH") throw embedError;
    }
    if (!isHelloResponse(hello) || !hello.compatible)
      throw new EmbedError(
        "PROTOCOL_MISMATCH",
        `The frame speaks protocol ${isHelloResponse(hello) ? hello.protocolVersion : 0}, this SDK speaks ${PROTOCOL_VERSION}: match @portico/embed to the server`,
      );
    return proxy;
  })();
  remote.catch((error: unknown) => fail(toEmbedError(error), true));

  /** Rejects with `DESTROYED` when the view is destroyed first. */
  function track<T>(promise: Promise<T>): Promise<T> {
    if (destroyed) return Promise.reject(destroyedError());
    return new Promise<T>((resolve, reject) => {
      cancels.add(reject);
      promise.then(resolve, reject).finally(() => cancels.delete(reject));
    });
  }

  function call<K extends keyof FrameMethods>(
    method: K,
    ...args: Parameters<FrameMethods[K]>
  ): Promise<Awaited<ReturnType<FrameMethods[K]>>> {
    type Result = Awaited<ReturnType<FrameMethods[K]>>;
    return track<Result>(
      (async (): Promise<Result> => {
        const fn = (await remote)[method] as unknown as AnyMethod;
        // penpal's timeout error names the method and the delay ("Method call getData() timed out after
        // 20000ms"); `toEmbedError` gives it the CALL_TIMEOUT code.
        return (await fn(...args, new CallOptions({ timeout: timeouts.callMs })).catch((error: unknown) => {
          throw toEmbedError(error);
        })) as Result;
      })(),
    );
  }

  /** A frame method that needs the view to be ready (a session and a loaded app). */
  async function callWhenReady<K extends keyof FrameMethods>(
    method: K,
    ...args: Parameters<FrameMethods[K]>
  ): Promise<Awaited<ReturnType<FrameMethods[K]>>> {
    // `ready` keeps its first outcome; a frame that comes up after a failure (the visitor pressed retry)
    // is usable all the same.
    if (!isReady) await track(ready);
    return call(method, ...args);
  }

  // ---- host methods (called by the frame; arguments are untrusted) ----

  async function getTicket(reason: unknown): Promise<string> {
    try {
      if (reason !== "initial" && reason !== "expired")
        throw new EmbedError("BAD_REQUEST", "getTicket: unknown reason");
      // Never hand a ticket to a frame whose protocol the SDK has not accepted.
      await remote;
      return await track(coordinator.ticketFor(member, reason as TicketReason, context.freshTicket));
    } catch (error) {
      const embedError = toEmbedError(error);
      if (embedError.code !== "DESTROYED") report(embedError);
      // A plain object, not an Error: penpal would keep only the message of an Error instance.
      throw embedError.toJSON();
    }
  }

  function emit(event: unknown): void {
    if (destroyed) return;
    if (!isFrameEvent(event)) {
      // Untrusted input: dropped, never thrown back into the frame.
      console.warn("[portico] dropped an invalid event from the frame", event);
      return;
    }
    switch (event.type) {
      case "ready":
        // The embed URL carries only the theme's base name; token overrides follow over RPC.
        if (!isReady && typeof options.theme === "object")
          call("setTheme", options.theme).catch((error: unknown) => report(toEmbedError(error)));
        isReady = true;
        user = event.user;
        reportedCode = undefined;
        coordinator.established(member, event.user);
        resolveReady(event);
        break;
      case "sessionRecovered":
        reportedCode = undefined;
        coordinator.established(member);
        break;
      case "sessionChanged":
        // The visitor logged in inside this frame: its session becomes the page's, and siblings follow.
        user = event.user;
        coordinator.established(member, event.user);
        break;
      case "sessionExpired":
        coordinator.expired(member);
        break;
      case "resize":
        if (options.autoResize) iframe.style.height = `${Math.ceil(event.height)}px`;
        break;
      case "error":
        if (event.code === reportedCode) return;
        if (!isReady) {
          failed ??= new EmbedError(event.code, event.message);
          coordinator.remove(member);
          rejectReady(failed);
        }
        break;
    }
    dispatch(event);
  }

  function dispatch(event: FrameEvent): void {
    for (const listener of listeners.get(event.type) ?? []) {
      try {
        listener(event);
      } catch (error) {
        // One faulty listener must not keep the others (or the RPC) from running.
        console.error("[portico] an event listener threw", error);
      }
    }
  }

  /** An SDK-side failure: an `error` event for the page, and `ready` rejects if it had not resolved. */
  function report(error: EmbedError): void {
    if (destroyed || reportedCode === error.code) return;
    reportedCode = error.code;
    if (!isReady) {
      failed ??= error;
      rejectReady(error);
    }
    dispatch({ type: "error", code: error.code, message: error.message });
  }

  /** A failure that leaves nothing to show (no handshake, wrong protocol, origin refused): the frame goes. */
  function fail(error: EmbedError, hideFrame: boolean): void {
    if (destroyed || failed?.code === error.code) return;
    coordinator.remove(member);
    if (hideFrame && !isReady) {
      iframe.hidden = true;
      connection.destroy();
    }
    report(error);
  }

  function destroyedError(): EmbedError {
    return new EmbedError("DESTROYED", "The view was destroyed");
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
      let set = listeners.get(type);
      if (!set) {
        set = new Set();
        listeners.set(type, set);
      }
      const entry = listener as (event: FrameEvent) => void;
      set.add(entry);
      return () => {
        listeners.get(type)?.delete(entry);
      };
    },
    async authenticate(ticket) {
      if (typeof ticket !== "string" || ticket === "")
        throw new EmbedError("BAD_REQUEST", "authenticate: ticket must be a non-empty string");
      await track(remote);
      return track(coordinator.switchTo(member, ticket));
    },
    getSheets: () => callWhenReady("getSheets"),
    openSheet: async (sheetId) => callWhenReady("openSheet", requireString("openSheet", "sheetId", sheetId)),
    async select(field, values) {
      requireString("select", "field", field);
      if (!Array.isArray(values) || !values.every(isSelectionValue))
        throw new EmbedError("BAD_REQUEST", "select: values must be strings or numbers");
      return callWhenReady("select", field, values);
    },
    clearSelections: async (field) =>
      field === undefined
        ? callWhenReady("clearSelections")
        : callWhenReady("clearSelections", requireString("clearSelections", "field", field)),
    getSelections: () => callWhenReady("getSelections"),
    getData: async (objectId) => callWhenReady("getData", requireString("getData", "objectId", objectId)),
    exportData: async (objectId, format = "csv") =>
      callWhenReady("exportData", requireString("exportData", "objectId", objectId), format),
    async setTheme(theme) {
      if (!isTheme(theme)) throw new EmbedError("BAD_REQUEST", "setTheme: invalid theme");
      return callWhenReady("setTheme", theme);
    },
    setLocale: async (locale) => callWhenReady("setLocale", requireString("setLocale", "locale", locale)),
    fail: (error) => fail(error, true),
    destroy() {
      if (destroyed) return;
      destroyed = true;
      const error = destroyedError();
      for (const cancel of cancels) cancel(error);
      cancels.clear();
      rejectReady(error);
      connection.destroy();
      iframe.remove();
      coordinator.remove(member);
      listeners.clear();
      context.release(view);
    },
  };
  return view;
}

function requireString(method: string, name: string, value: unknown): string {
  if (typeof value !== "string" || value === "")
    throw new EmbedError("BAD_REQUEST", `${method}: ${name} must be a non-empty string`);
  return value;
}
