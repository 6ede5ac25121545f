import { type ErrorCode, isRpcFailure, type RpcFailure } from "@portico/protocol";

/**
 * The SDK's one error class. `code` is a stable catalogue code (`ErrorCode` of `@portico/protocol`), so
 * callers `switch` on it; `message` is written for the web developer who has to fix the page.
 */
export class EmbedError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "EmbedError";
    this.code = code;
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

/** Anything thrown or rejected (a frame's `RpcFailure`, a penpal error, a bug) as an `EmbedError`. */
export function toEmbedError(error: unknown): EmbedError {
  if (error instanceof EmbedError) return error;
  if (isRpcFailure(error)) return new EmbedError(error.code, error.message);
  const penpalCode = (error as { code?: unknown } | null)?.code;
  if (typeof penpalCode === "string" && Object.hasOwn(PENPAL_CODES, penpalCode)) {
    const code = PENPAL_CODES[penpalCode] as ErrorCode;
    return new EmbedError(code, (error as Error).message);
  }
  return new EmbedError("INTERNAL", error instanceof Error ? error.message : String(error));
}
