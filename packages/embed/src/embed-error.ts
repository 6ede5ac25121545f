import { type ErrorCode, isRpcFailure, type RpcFailure } from "@portico/protocol";
import { PenpalError } from "penpal";

/**
 * The SDK's one error class. `code` is a stable catalogue code (`ErrorCode` of `@portico/protocol`), so
 * callers `switch` on it; `message` is written for the web developer who has to fix the page. A code the
 * frame or server reports is passed on when well-formed, even if this SDK predates it (keep a `default`).
 */
export class EmbedError extends Error {
  override name = "EmbedError";

  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }

  /** The plain `{code, message}` shape that survives postMessage's structured clone. */
  toJSON(): RpcFailure {
    return { code: this.code, message: this.message };
  }
}

/** Penpal's own error codes, mapped to the catalogue. */
const PENPAL_CODES: Record<string, ErrorCode> = {
  CONNECTION_DESTROYED: "DESTROYED",
  CONNECTION_TIMEOUT: "HANDSHAKE_TIMEOUT",
  METHOD_CALL_TIMEOUT: "CALL_TIMEOUT",
  // A frame without the method speaks another protocol.
  METHOD_NOT_FOUND: "PROTOCOL_MISMATCH",
  TRANSMISSION_FAILED: "UNAVAILABLE",
};

/** Anything thrown or rejected (a penpal error, a frame's `RpcFailure`, a bug) as an `EmbedError`. */
export function toEmbedError(error: unknown): EmbedError {
  if (error instanceof EmbedError) return error;
  // Penpal's first: its codes have a catalogue code's shape, which is all `isRpcFailure` checks.
  if (error instanceof PenpalError)
    return new EmbedError(
      Object.hasOwn(PENPAL_CODES, error.code) ? (PENPAL_CODES[error.code] as ErrorCode) : "INTERNAL",
      error.message,
    );
  if (isRpcFailure(error)) return new EmbedError(error.code, error.message);
  return new EmbedError("INTERNAL", error instanceof Error ? error.message : String(error));
}

/** For `.catch()`: anything rejected, rethrown as an `EmbedError`. */
export function rethrow(error: unknown): never {
  throw toEmbedError(error);
}
