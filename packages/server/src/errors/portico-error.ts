import type { ErrorCode } from "@portico/protocol";

/**
 * The one error class of the server. `code` is a stable catalogue code from @portico/protocol; the HTTP
 * layer maps it to a status in one place (`statusForCode`). `message` is safe to show to the caller;
 * anything that must not leak stays out of it.
 */
export class PorticoError extends Error {
  override name = "PorticoError";
  readonly code: ErrorCode;
  readonly details: unknown;
  /** Extra response headers (e.g. `Retry-After`). */
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, message: string, details?: unknown, headers: Record<string, string> = {}) {
    super(message);
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

export function isPorticoError(value: unknown): value is PorticoError {
  return value instanceof PorticoError;
}
