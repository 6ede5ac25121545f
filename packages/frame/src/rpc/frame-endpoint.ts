import {
  type FrameMethods,
  type HostMethods,
  isLocale,
  isSelectionValue,
  isTheme,
  PROTOCOL_VERSION,
  RPC_CHANNEL,
  type RpcFailure,
  type Theme,
} from "@portico/protocol";
import { connect, type RemoteProxy, WindowMessenger } from "penpal";
import { FrameError, toFrameError } from "../errors/frame-error.js";
import type { FrameController } from "../state/frame-controller.js";

/** How long the frame waits for a host to complete the handshake before it runs on its own. */
export const HANDSHAKE_TIMEOUT_MS = 3_000;

export interface FrameEndpointOptions {
  controller: FrameController;
  /** The exact parent origin, already checked against the proxy's host allow list. */
  parentOrigin: string;
  parentWindow: Window;
  timeoutMs?: number;
  log?: (...args: unknown[]) => void;
}

export interface FrameEndpoint {
  /** The host's methods, or `undefined` when no host answered in time (a plain iframe without the SDK). */
  host: Promise<RemoteProxy<HostMethods> | undefined>;
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
      (v: number) => Number.isInteger(v),
      (hostVersion: number) => ({
        protocolVersion: PROTOCOL_VERSION,
        compatible: hostVersion === PROTOCOL_VERSION,
      }),
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
    messenger: new WindowMessenger({
      remoteWindow: options.parentWindow,
      allowedOrigins: [options.parentOrigin],
    }),
    methods: methods as unknown as Record<string, (...args: unknown[]) => unknown>,
    channel: RPC_CHANNEL,
    timeout: options.timeoutMs ?? HANDSHAKE_TIMEOUT_MS,
  });

  return {
    host: connection.promise.catch((error: unknown) => {
      log("no host answered the handshake; running without one", error);
      return undefined;
    }),
    destroy: () => connection.destroy(),
  };
}

function failure(error: FrameError): RpcFailure {
  return { code: error.code, message: error.message };
}
