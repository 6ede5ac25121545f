import {
  answerHello,
  eventForHost,
  type FrameMethods,
  frameTicketWaitMs,
  type HelloRequest,
  HOST_HANDSHAKE_TIMEOUT_MS,
  type HostMethods,
  isHelloRequest,
  isLocale,
  isSelectionValue,
  isTheme,
  PROTOCOL_MAJOR,
  RPC_CHANNEL,
  type RpcFailure,
  type Theme,
} from "@portico/protocol";
import { connect, type Messenger, WindowMessenger } from "penpal";
import { FrameError, toFrameError } from "../errors/frame-error.js";
import type { FrameController, HostConnection } from "../state/frame-controller.js";

export interface FrameEndpointOptions {
  controller: FrameController;
  /** The exact parent origin, already checked against the proxy's host allow list. */
  parentOrigin: string;
  parentWindow: Window;
  /** How long to wait for a host's handshake, and then for its `hello` (`HOST_HANDSHAKE_TIMEOUT_MS`). */
  timeoutMs?: number;
  /** Another transport than the parent window (tests talk to the endpoint over a `MessageChannel`). */
  messenger?: Messenger;
  log?: (...args: unknown[]) => void;
}

export interface FrameEndpoint {
  /**
   * The host, once it has said `hello` (so the controller knows its ticket timeout before it asks for a
   * ticket), or `undefined` when no host answered in time (a plain iframe without the SDK).
   */
  host: Promise<HostConnection | undefined>;
  destroy(): void;
}

/**
 * Exposes `FrameMethods` to the host page over penpal. Every argument is checked before it reaches the
 * controller: the host is another origin and its messages are untrusted input. A bad call is logged and
 * refused with `BAD_REQUEST`; failures reach the host as plain `RpcFailure` objects.
 */
export function createFrameEndpoint(options: FrameEndpointOptions): FrameEndpoint {
  const { controller } = options;
  const log = options.log ?? ((...args: unknown[]) => console.warn("[portico frame]", ...args));
  const timeoutMs = options.timeoutMs ?? HOST_HANDSHAKE_TIMEOUT_MS;
  /** The version of the host that said hello (the integer major of a 1.0 host, which sends no `HelloRequest`). */
  let hostVersion: string | number = PROTOCOL_MAJOR;
  let helloSaid = () => {};
  const said = new Promise<void>((resolve) => {
    helloSaid = resolve;
  });

  const guarded =
    <A extends unknown[], R>(
      name: string,
      check: (...args: A) => boolean,
      fn: (...args: A) => R | Promise<R>,
    ) =>
    async (...args: A): Promise<R> => {
      if (!check(...args)) {
        log(`dropped malformed ${name} call`, args);
        throw failure(new FrameError("BAD_REQUEST", `Malformed arguments for ${name}`));
      }
      try {
        return await fn(...args);
      } catch (error) {
        throw failure(toFrameError(error));
      }
    };

  const isId = (v: unknown) => typeof v === "string" && v.length > 0 && v.length <= 200;

  const methods: FrameMethods = {
    hello: guarded(
      "hello",
      (major: number, request?: HelloRequest) =>
        Number.isInteger(major) && (request === undefined || isHelloRequest(request)),
      (major: number, request?: HelloRequest) => {
        const answer = answerHello(major, request, Object.keys(methods));
        if (answer.compatible) {
          hostVersion = request?.protocolVersion ?? major;
          controller.setTicketTimeoutMs(frameTicketWaitMs(request?.ticketTimeoutMs));
        }
        helloSaid();
        return answer;
      },
    ),
    authenticate: guarded(
      "authenticate",
      (t: string) => typeof t === "string" && t.length > 0 && t.length <= 8192,
      (t: string) => controller.authenticate(t),
    ),
    createJoinTicket: guarded(
      "createJoinTicket",
      () => true,
      () => controller.createJoinTicket(),
    ),
    getSheets: guarded(
      "getSheets",
      () => true,
      () => controller.getSheets(),
    ),
    openSheet: guarded("openSheet", isId, (id: string) => controller.openSheet(id)),
    select: guarded(
      "select",
      (field: string, values: unknown[]) =>
        isId(field) && Array.isArray(values) && values.length <= 10_000 && values.every(isSelectionValue),
      (field: string, values) => controller.select(field, values as Array<string | number>),
    ),
    clearSelections: guarded(
      "clearSelections",
      (field?: string) => field === undefined || isId(field),
      (field?: string) => controller.clearSelections(field),
    ),
    getSelections: guarded(
      "getSelections",
      () => true,
      () => controller.selections,
    ),
    getData: guarded("getData", isId, (id: string) => controller.getData(id)),
    exportData: guarded(
      "exportData",
      (id: string, format: string) => isId(id) && format === "csv",
      (id: string) => controller.exportData(id),
    ),
    setTheme: guarded("setTheme", isTheme, (theme: Theme) => controller.setThemeAndNotify(theme)),
    setLocale: guarded("setLocale", isLocale, (locale: string) => controller.setLocaleAndNotify(locale)),
  };

  const connection = connect<HostMethods>({
    // Pinned to exactly one origin: penpal drops messages from any other sender and posts only to it.
    messenger:
      options.messenger ??
      new WindowMessenger({ remoteWindow: options.parentWindow, allowedOrigins: [options.parentOrigin] }),
    methods: methods as unknown as Record<string, (...args: unknown[]) => unknown>,
    channel: RPC_CHANNEL,
    timeout: timeoutMs,
  });

  const host = connection.promise.then(
    async (remote): Promise<HostConnection> => {
      // The SDK says hello as soon as its side of the handshake is done; waiting for it costs no time, as
      // the SDK hands out no ticket before it has the answer. A host that never says it gets the defaults.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([said, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
      return {
        getTicket: (reason) => remote.getTicket(reason),
        // A 1.0 host's guard refuses a `ready` whose version is not an integer: it gets the major. An
        // older host gets each event in the form it reads, or not at all (`eventForHost`).
        emit: (event) => {
          const legacyHost = typeof hostVersion === "number";
          const sent = eventForHost(
            legacyHost && event.type === "ready" ? { ...event, protocolVersion: PROTOCOL_MAJOR } : event,
            hostVersion,
          );
          return sent && remote.emit(sent);
        },
      };
    },
    (error: unknown) => {
      log("no host answered the handshake; running without one", error);
      return undefined;
    },
  );
  return { host, destroy: () => connection.destroy() };
}

function failure(error: FrameError): RpcFailure {
  return { code: error.code, message: error.message };
}
